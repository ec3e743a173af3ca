/*
 * jitsud's sockets: UDP and TCP on each configured address, and with
 * socket activation (LISTEN_FDS, LISTEN_PID, fds from 3) the inet sockets
 * systemd passed, whatever the configuration says, other kinds skipped.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "check.h"
#include "listen.h"

static int
type_of(int fd)
{
	int t = 0;
	socklen_t len = sizeof(t);

	getsockopt(fd, SOL_SOCKET, SO_TYPE, &t, &len);
	return t;
}

static uint16_t
port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	getsockname(fd, (struct sockaddr *)&ss, &len);
	return ss.ss_family == AF_INET ?
	    ntohs(((struct sockaddr_in *)&ss)->sin_port) :
	    ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static int
loopback(int type)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, type, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 4) < 0))
		exit(99);
	return fd;
}

/* The configured addresses: a TCP port that is free, UDP on the same. */
static void
test_configured(void)
{
	struct jc_conf c;
	struct jd_sock s[JD_MAX_SOCKS];
	char what[64], err[128];
	bool act = true;
	int probe = loopback(SOCK_STREAM), n;
	uint16_t port = port_of(probe);

	close(probe);
	jc_defaults(&c);
	c.port = port;
	CHECK_EQ(jc_conf_item(&(struct conf_item){ "t", 1, NULL, NULL,
	    "listen", "127.0.0.1 [::1]" }, &c, err, sizeof(err)), 0);
	n = listen_open(&c, s, &act, what, sizeof(what));
	if (n == -EADDRNOTAVAIL || n == -EAFNOSUPPORT) {
		/* no IPv6 loopback here: IPv4 alone */
		c.nlisten = 1;
		n = listen_open(&c, s, &act, what, sizeof(what));
	}
	CHECK(n == 2 || n == 4);
	CHECK(!act);
	for (int i = 0; i < n; i++) {
		CHECK_EQ(type_of(s[i].fd), s[i].tcp ? SOCK_STREAM : SOCK_DGRAM);
		CHECK_EQ(port_of(s[i].fd), port);
		close(s[i].fd);
	}
	/* a port in use: the address is named, nothing is left open */
	probe = loopback(SOCK_DGRAM);
	c.port = port_of(probe);
	c.nlisten = 1;
	n = listen_open(&c, s, &act, what, sizeof(what));
	CHECK_EQ(n, -EADDRINUSE);
	CHECK_STR(what, "127.0.0.1");
	close(probe);
}

/* Puts fd at to, which may be taken by one of those still to move. */
static int
moved(int fd, int to)
{
	int high = fcntl(fd, F_DUPFD, 20);

	close(fd);
	if (high < 0 || dup2(high, to) < 0)
		return -1;
	close(high);
	return 0;
}

/* Activation: fds 3 (UDP), 4 (TCP) and 5 (a unix socket, skipped). */
static void
test_activated(void)
{
	struct jc_conf c;
	struct jd_sock s[JD_MAX_SOCKS];
	char what[64], pid[32];
	bool act = false;
	int u = loopback(SOCK_DGRAM), t = loopback(SOCK_STREAM), x, n;
	uint16_t uport = port_of(u), tport = port_of(t);

	x = socket(AF_UNIX, SOCK_STREAM, 0);
	if (x < 0 || moved(u, 3) < 0 || moved(t, 4) < 0 || moved(x, 5) < 0)
		exit(99);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "3", 1);
	jc_defaults(&c);	/* port 53: never bound, as systemd's are used */
	n = listen_open(&c, s, &act, what, sizeof(what));
#ifdef HAVE_SYSTEMD
	CHECK_EQ(n, 2);
	CHECK(act);
	CHECK_EQ(s[0].fd, 3);
	CHECK(!s[0].tcp);
	CHECK_EQ(port_of(3), uport);
	CHECK_EQ(s[1].fd, 4);
	CHECK(s[1].tcp);
	CHECK_EQ(port_of(4), tport);
#else
	(void)uport; (void)tport;
	CHECK(!act);
	for (int i = 0; i < n; i++)
		close(s[i].fd);
#endif
	close(3);
	close(4);
	close(5);
}

int
main(void)
{
	test_configured();
	test_activated();
	return CHECK_DONE();
}
