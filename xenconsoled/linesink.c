/* Guest lines to journald or syslog without blocking: see linesink.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "linesink.h"

/* Appends NAME\n<le64 len>value\n; returns the new length or 0. */
static size_t
put_field(char *buf, size_t cap, size_t at, const char *name,
	  const char *val, size_t len)
{
	size_t nl = strlen(name);
	uint64_t n = len;

	if (cap - at < nl + 1 + 8 + len + 1)
		return 0;
	memcpy(buf + at, name, nl);
	at += nl;
	buf[at++] = '\n';
	for (int i = 0; i < 8; i++)
		buf[at++] = (char)(n >> (8 * i) & 0xff);
	memcpy(buf + at, val, len);
	at += len;
	buf[at++] = '\n';
	return at;
}

size_t
ls_journal_encode(char *buf, size_t cap, const struct ls_line *l)
{
	char prio[4], domid[16];
	size_t at = 0;
	struct {
		const char *name, *val;
		size_t len;
	} f[] = {
		{ "MESSAGE", l->text, l->len },
		{ "PRIORITY", prio, 0 },
		{ "SYSLOG_IDENTIFIER", "xenconsoled", 0 },
		{ "XEN_DOMID", domid, 0 },
		{ "XEN_DOMAIN_NAME", l->name, 0 },
		{ "XEN_DOMAIN_UUID", l->uuid, 0 },
		{ "XEN_CONSOLE", l->console, 0 },
	};

	snprintf(prio, sizeof(prio), "%d", l->prio & 7);
	snprintf(domid, sizeof(domid), "%u", (unsigned)l->domid);
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		size_t len = i == 0 ? f[i].len : strlen(f[i].val);

		if ((at = put_field(buf, cap, at, f[i].name, f[i].val,
		    len)) == 0)
			return 0;
	}
	return at;
}

size_t
ls_syslog_encode(char *buf, size_t cap, const struct ls_line *l, time_t now,
		 long pid)
{
	char stamp[32];
	struct tm tm;
	int n;

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm) == 0)
		return 0;
	if (l->secondary)
		n = snprintf(buf, cap, "<%d>%s xenconsoled[%ld]: guest-%s-%s: ",
		    LOG_DAEMON | (l->prio & 7), stamp, pid, l->name,
		    l->console);
	else
		n = snprintf(buf, cap, "<%d>%s xenconsoled[%ld]: guest-%s: ",
		    LOG_DAEMON | (l->prio & 7), stamp, pid, l->name);
	if (n < 0 || (size_t)n >= cap || cap - (size_t)n < l->len)
		return 0;
	memcpy(buf + n, l->text, l->len);
	return (size_t)n + l->len;
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
