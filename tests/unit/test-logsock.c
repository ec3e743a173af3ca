/*
 * lib/logsock: the journal entry in the native protocol's binary form
 * (any byte in a value survives), the syslog message as glibc writes it,
 * too small a buffer, and sending: a datagram arrives whole, a receiver
 * that does not read makes -EAGAIN instead of blocking, and an absent one
 * is an error, not a silent success.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "check.h"
#include "logsock.h"

/* Finds field name in a native-protocol entry; its value and length. */
static int
field(const char *buf, size_t len, const char *name, const char **val,
      uint64_t *vlen)
{
	size_t at = 0, nl = strlen(name);

	while (at < len) {
		const char *nlp = memchr(buf + at, '\n', len - at);
		uint64_t n = 0;
		size_t klen;

		if (nlp == NULL)
			return 0;
		klen = (size_t)(nlp - (buf + at));
		if (len - at < klen + 1 + 8)
			return 0;
		for (int i = 0; i < 8; i++)
			n |= (uint64_t)(unsigned char)nlp[1 + i] << (8 * i);
		if (len - at - klen - 9 < n + 1 || nlp[9 + n] != '\n')
			return 0;
		if (klen == nl && memcmp(buf + at, name, nl) == 0) {
			*val = nlp + 9;
			*vlen = n;
			return 1;
		}
		at += klen + 9 + n + 1;
	}
	return 0;
}

static int
has(const char *buf, size_t len, const char *name, const char *want,
    size_t wlen)
{
	const char *v;
	uint64_t n;

	return field(buf, len, name, &v, &n) && n == wlen &&
	    memcmp(v, want, wlen) == 0;
}

static void
test_journal(void)
{
	/* A line with a hostile mix of bytes, a newline among them. */
	static const char text[] = "boot \x01\x7f\xff=MESSAGE=x\r\n done";
	static const char uuid[] = "0f0e0d0c-0000-4000-8000-000000000001";
	struct ls_field f[] = {
		{ "MESSAGE", text, sizeof(text) - 1 },
		{ "PRIORITY", "6", 1 },
		{ "XEN_DOMID", "7", 1 },
		{ "XEN_DOMAIN_UUID", uuid, sizeof(uuid) - 1 },
		{ "EMPTY", "", 0 },
	};
	char buf[1024];
	size_t n = ls_journal_encode(buf, sizeof(buf), f, 5);

	CHECK(n > 0);
	CHECK(has(buf, n, "MESSAGE", text, sizeof(text) - 1));
	CHECK(has(buf, n, "PRIORITY", "6", 1));
	CHECK(has(buf, n, "XEN_DOMID", "7", 1));
	CHECK(has(buf, n, "XEN_DOMAIN_UUID", uuid, sizeof(uuid) - 1));
	CHECK(has(buf, n, "EMPTY", "", 0));
	CHECK(!has(buf, n, "x", "", 0));
	/* Too small: nothing, not a truncated entry. */
	CHECK_EQ(ls_journal_encode(buf, n - 1, f, 5), 0);
	CHECK_EQ(ls_journal_encode(buf, n, f, 5), n);
}

static void
test_syslog(void)
{
	char buf[256], want[256], stamp[32];
	struct tm tm;
	time_t t = 0;
	size_t n = ls_syslog_encode(buf, sizeof(buf), LOG_DAEMON | LOG_WARNING,
	    "xenconsoled", 42, 0, "guest-g: XCDS 000001", 20);

	CHECK(n > 0);
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	snprintf(want, sizeof(want), "<%d>%s xenconsoled[42]: guest-g: "
	    "XCDS 000001", LOG_DAEMON | LOG_WARNING, stamp);
	CHECK_EQ(n, strlen(want));
	CHECK(memcmp(buf, want, n) == 0);
	CHECK_EQ(ls_syslog_encode(buf, 20, LOG_INFO, "x", 1, 0, "m", 1), 0);
	CHECK_EQ(ls_syslog_encode(buf, n, LOG_DAEMON | LOG_WARNING,
	    "xenconsoled", 42, 0, "guest-g: XCDS 000001", 20), n);
}

static void
test_send(void)
{
	char dir[] = "/tmp/test-logsock.XXXXXX", path[64], got[64];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int rx, fd, r = 0, sent = 0;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/socket", dir);
	fd = ls_socket();
	CHECK(fd >= 0);
	/* Nobody there: an error, not a silent success. */
	r = ls_send(fd, path, "x", 1);
	CHECK(r == -ENOENT || r == -ECONNREFUSED);
	rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	CHECK_EQ(bind(rx, (struct sockaddr *)&sa, sizeof(sa)), 0);
	CHECK_EQ(ls_send(fd, path, "hello", 5), 0);
	CHECK_EQ(recv(rx, got, sizeof(got), 0), 5);
	CHECK(memcmp(got, "hello", 5) == 0);
	/* A receiver that does not read: -EAGAIN, soon, never a block. */
	while (sent < 100000 && (r = ls_send(fd, path, "fill", 4)) == 0)
		sent++;
	CHECK_EQ(r, -EAGAIN);
	CHECK(sent > 0);
	/* It reads one: room for one more. */
	CHECK_EQ(recv(rx, got, sizeof(got), 0), 4);
	CHECK_EQ(ls_send(fd, path, "more", 4), 0);
	close(rx);
	close(fd);
	unlink(path);
	rmdir(dir);
	CHECK_EQ(ls_send(-1, path, "x", 1), -EBADF);
}

int
main(void)
{
	test_journal();
	test_syslog();
	test_send();
	return CHECK_DONE();
}
