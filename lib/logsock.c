/* Log lines to journald or syslog without blocking: see logsock.h. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "logsock.h"

size_t
ls_journal_encode(char *buf, size_t cap, const struct ls_field *f, size_t n)
{
	size_t at = 0;

	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(f[i].name);
		uint64_t len = f[i].len;

		if (cap - at < nl + 1 + 8 + f[i].len + 1)
			return 0;
		memcpy(buf + at, f[i].name, nl);
		at += nl;
		buf[at++] = '\n';
		for (int b = 0; b < 8; b++)
			buf[at++] = (char)(len >> (8 * b) & 0xff);
		memcpy(buf + at, f[i].val, f[i].len);
		at += f[i].len;
		buf[at++] = '\n';
	}
	return at;
}

size_t
ls_syslog_encode(char *buf, size_t cap, int pri, const char *ident,
		 long pid, time_t now, const char *msg, size_t len)
{
	char stamp[32];
	struct tm tm;
	int n;

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm) == 0)
		return 0;
	n = snprintf(buf, cap, "<%d>%s %s[%ld]: ", pri, stamp, ident, pid);
	if (n < 0 || (size_t)n >= cap || cap - (size_t)n < len)
		return 0;
	memcpy(buf + n, msg, len);
	return (size_t)n + len;
}

int
ls_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	return fd < 0 ? -errno : fd;
}

int
ls_send(int fd, const char *path, const void *buf, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	/* Unconnected: a restarted journald or syslogd is found again. */
	if (sendto(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL,
	    (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return 0;
}
