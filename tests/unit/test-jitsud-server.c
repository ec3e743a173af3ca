/*
 * jitsud's DNS server on loopback, in one process: its listeners, TCP
 * framing and limits, and forwarding to a second server as the upstream
 * resolver. Every wait is for a condition, with a deadline.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <libknot/libknot.h>

#include "check.h"
#include "jitsud-net.h"
#include "deadline.h"
#include "server.h"

static struct event_base *base;

static bool
wait_readable(int fd, int ms)
{
	return jdt_readable(base, fd, ms);
}

static int
bound(int type, uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(*port);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0)) {
		perror("bind");
		exit(99);
	}
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return fd;
}

/* A server on 127.0.0.1, UDP and TCP on one port; returns the port. */
static const struct jd_summon *summoner;

static uint16_t
server(struct jc_conf *c, const struct jc_addr *res, unsigned int nres,
    struct jd_server **out)
{
	struct jd_sock socks[2];
	uint16_t port = 0;

	socks[0].fd = bound(SOCK_DGRAM, &port);
	socks[0].tcp = false;
	socks[1].fd = bound(SOCK_STREAM, &port);
	socks[1].tcp = true;
	CHECK_EQ(jd_server_new(base, c, socks, 2, res, nres, summoner, out),
	    0);
	return port;
}

static void
conf_with(struct jc_conf *c, const char *zone, const char *name,
    const char *a)
{
	char err[256];
	char spec[512];

	jc_defaults(c);
	snprintf(spec, sizeof(spec), "dns=%s.%s,ip=%s,name=x", name, zone, a);
	CHECK_EQ(jc_add_spec(c, spec, err, sizeof(err)), 0);
	CHECK_EQ(jc_conf_check("test", c, stderr), 0);
	c->services[0].vm[0] = '\0';	/* a name only: always up */
}

static size_t
query(uint8_t *q, uint16_t id, const char *name, uint16_t type)
{
	knot_dname_t *d = knot_dname_from_str_alloc(name);
	size_t n = knot_dname_size(d);

	memset(q, 0, 12);
	q[0] = (uint8_t)(id >> 8);
	q[1] = (uint8_t)id;
	q[2] = 1;	/* RD */
	q[5] = 1;
	memcpy(q + 12, d, n);
	free(d);
	knot_wire_write_u16(q + 12 + n, type);
	knot_wire_write_u16(q + 14 + n, KNOT_CLASS_IN);
	return 16 + n;
}

static int
client(int type, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("connect");
		exit(99);
	}
	return fd;
}

/* One UDP exchange: the response's length, 0 if none came. */
static size_t
udp_ask(uint16_t port, const uint8_t *q, size_t len, uint8_t *r, int ms)
{
	int fd = client(SOCK_DGRAM, port);
	ssize_t n = 0;

	CHECK_EQ(send(fd, q, len, 0), (ssize_t)len);
	if (wait_readable(fd, ms))
		n = recv(fd, r, 65535, MSG_DONTWAIT);
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

/* Reads one length-prefixed message from a TCP socket. */
static size_t
tcp_read(int fd, uint8_t *r)
{
	size_t have = 0, want = 2;

	while (have < want) {
		ssize_t n;

		if (!wait_readable(fd, 3000))
			return 0;
		n = recv(fd, r + have, want - have, MSG_DONTWAIT);
		if (n <= 0)
			return 0;
		have += (size_t)n;
		if (have == 2 && want == 2)
			want = 2 + ((size_t)r[0] << 8 | r[1]);
	}
	memmove(r, r + 2, want - 2);
	return want - 2;
}

static void
expect(const uint8_t *r, size_t len, uint16_t id, int rcode, int an, int ns)
{
	CHECK(len >= 12);
	if (len < 12)
		return;
	CHECK_EQ(knot_wire_get_id(r), id);
	CHECK(knot_wire_get_qr(r));
	CHECK_EQ(knot_wire_get_rcode(r), rcode);
	CHECK_EQ(knot_wire_get_ancount(r), an);
	CHECK_EQ(knot_wire_get_nscount(r), ns);
}

static uint8_t q[512], r[65536];

static void
test_udp(uint16_t port)
{
	size_t n;

	n = udp_ask(port, q, query(q, 0x1234, "WWW.example.org", KNOT_RRTYPE_A),
	    r, 3000);
	expect(r, n, 0x1234, KNOT_RCODE_NOERROR, 1, 0);
	CHECK(n >= 12 && knot_wire_get_aa(r));
	n = udp_ask(port, q, query(q, 2, "nope.example.org", KNOT_RRTYPE_A),
	    r, 3000);
	expect(r, n, 2, KNOT_RCODE_NXDOMAIN, 0, 1);
	n = udp_ask(port, q, query(q, 3, "www.example.org",
	    KNOT_RRTYPE_AAAA), r, 3000);
	expect(r, n, 3, KNOT_RCODE_NOERROR, 0, 1);
	n = udp_ask(port, q, query(q, 4, "www.example.net", KNOT_RRTYPE_A),
	    r, 3000);
	expect(r, n, 4, KNOT_RCODE_REFUSED, 0, 0);
}

/*
 * More queries than the listener takes in one batch (recvmmsg), all
 * waiting before the loop turns: each client gets its own answer, the
 * one for its query, and the answers queued in a batch all go.
 */
static void
test_udp_batch(uint16_t port)
{
	enum { N = 80 };
	static const char *const names[4] = { "www.example.org",
		"WwW.ExAmPlE.oRg", "nope.example.org", "www.example.net" };
	static const int rcodes[4] = { KNOT_RCODE_NOERROR, KNOT_RCODE_NOERROR,
		KNOT_RCODE_NXDOMAIN, KNOT_RCODE_REFUSED };
	int fds[N], got = 0;

	for (int i = 0; i < N; i++) {
		size_t len = query(q, (uint16_t)(0x4000 + i), names[i % 4],
		    KNOT_RRTYPE_A);

		fds[i] = client(SOCK_DGRAM, port);
		CHECK_EQ(send(fds[i], q, len, 0), (ssize_t)len);
	}
	for (int i = 0; i < N; i++) {
		ssize_t n = 0;

		if (wait_readable(fds[i], 3000))
			n = recv(fds[i], r, sizeof(r), MSG_DONTWAIT);
		expect(r, n > 0 ? (size_t)n : 0, (uint16_t)(0x4000 + i),
		    rcodes[i % 4], i % 4 < 2, i % 4 == 2);
		/* the question as asked, its case kept */
		if (n > 12) {
			size_t qn = query(q, 0, names[i % 4], KNOT_RRTYPE_A);

			CHECK(memcmp(r + 12, q + 12, qn - 12) == 0);
			got++;
		}
		/* and nothing more (loopback delivers as it sends: a second
		 * answer from the same batch would be here already) */
		CHECK(recv(fds[i], r, sizeof(r), MSG_DONTWAIT) < 0 &&
		    errno == EAGAIN);
		close(fds[i]);
	}
	CHECK_EQ(got, N);
}

/*
 * A listener on the wildcard address answers from the address its query
 * was sent to (127.0.0.2 here): the connected client takes nothing from
 * any other.
 */
static void
test_udp_wildcard(struct jc_conf *c)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct jd_server *s;
	struct jd_sock sock;
	int fd;
	size_t len;
	ssize_t n = 0;

	sock.tcp = false;
	sock.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	CHECK(sock.fd >= 0);
	CHECK_EQ(bind(sock.fd, (struct sockaddr *)&a, sizeof(a)), 0);
	CHECK_EQ(getsockname(sock.fd, (struct sockaddr *)&a, &alen), 0);
	CHECK_EQ(jd_server_new(base, c, &sock, 1, NULL, 0, NULL, &s), 0);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);
	CHECK_EQ(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	for (int i = 0; i < 3; i++) {
		len = query(q, (uint16_t)(0x5000 + i), "www.example.org",
		    KNOT_RRTYPE_A);
		CHECK_EQ(send(fd, q, len, 0), (ssize_t)len);
	}
	for (int i = 0; i < 3; i++) {
		n = 0;
		if (wait_readable(fd, 3000))
			n = recv(fd, r, sizeof(r), MSG_DONTWAIT);
		expect(r, n > 0 ? (size_t)n : 0, (uint16_t)(0x5000 + i),
		    KNOT_RCODE_NOERROR, 1, 0);
	}
	close(fd);
	jd_server_free(s);
}

/* Two queries in one write, a third a byte at a time. */
static void
test_tcp(uint16_t port)
{
	uint8_t buf[1024];
	size_t a, b, n;
	int fd = client(SOCK_STREAM, port);

	a = query(buf + 2, 10, "www.example.org", KNOT_RRTYPE_A);
	buf[0] = 0;
	buf[1] = (uint8_t)a;
	b = query(buf + 4 + a, 11, "zzz.example.org", KNOT_RRTYPE_A);
	buf[2 + a] = 0;
	buf[3 + a] = (uint8_t)b;
	CHECK_EQ(send(fd, buf, 4 + a + b, 0), (ssize_t)(4 + a + b));
	n = tcp_read(fd, r);
	expect(r, n, 10, KNOT_RCODE_NOERROR, 1, 0);
	n = tcp_read(fd, r);
	expect(r, n, 11, KNOT_RCODE_NXDOMAIN, 0, 1);
	a = query(buf + 2, 12, "example.org", KNOT_RRTYPE_SOA);
	buf[1] = (uint8_t)a;
	for (size_t i = 0; i < a + 2; i++) {
		CHECK_EQ(send(fd, buf + i, 1, 0), 1);
		event_base_loop(base, EVLOOP_NONBLOCK);
	}
	n = tcp_read(fd, r);
	expect(r, n, 12, KNOT_RCODE_NOERROR, 1, 0);
	/* the idle timeout (200 ms here) closes it: EOF */
	CHECK(wait_readable(fd, 3000));
	CHECK_EQ(recv(fd, buf, 1, MSG_DONTWAIT), 0);
	close(fd);
}

/* The server's status text has line (or a line starting so). */
static bool
status_has(struct jd_server *s, const char *line)
{
	char *text = NULL;
	size_t len = 0;
	bool found;
	FILE *f = open_memstream(&text, &len);

	jd_server_status(f, s);
	fclose(f);
	found = strstr(text, line) != NULL;
	if (!found)
		fprintf(stderr, "no '%s' in:\n%s", line, text);
	free(text);
	return found;
}

/* tcp-max 2: a third client waits in the backlog until one goes. */
static void
test_tcp_limit(void)
{
	struct jc_conf conf;
	struct jd_server *s;
	uint16_t port;
	int a, b, c;
	size_t n;

	conf_with(&conf, "example.org", "www", "10.0.0.2");
	conf.tcp_max = 2;
	port = server(&conf, NULL, 0, &s);
	a = client(SOCK_STREAM, port);
	b = client(SOCK_STREAM, port);
	c = client(SOCK_STREAM, port);
	n = query(q + 2, 20, "www.example.org", KNOT_RRTYPE_A);
	q[0] = 0;
	q[1] = (uint8_t)n;
	CHECK_EQ(send(c, q, n + 2, 0), (ssize_t)(n + 2));
	CHECK(!wait_readable(c, 300));	/* not accepted yet */
	CHECK(status_has(s, "tcp: open=2 "));
	CHECK(status_has(s, "at-limit=1"));
	close(a);
	n = tcp_read(c, r);
	expect(r, n, 20, KNOT_RCODE_NOERROR, 1, 0);
	close(b);
	close(c);
	jd_server_free(s);
}

static void
test_forward(uint16_t up_port)
{
	struct jc_conf c;
	struct jc_addr res[2];
	struct jd_server *s;
	uint16_t port, dead = 0;
	int deadfd = bound(SOCK_DGRAM, &dead);
	char addr[64];
	size_t n;
	int fd;

	/* the first resolver never answers; the second is the upstream */
	snprintf(addr, sizeof(addr), "127.0.0.1:%u", dead);
	CHECK_EQ(jc_parse_addr(addr, &res[0]), 0);
	snprintf(addr, sizeof(addr), "127.0.0.1:%u", up_port);
	CHECK_EQ(jc_parse_addr(addr, &res[1]), 0);
	conf_with(&c, "example.net", "local", "10.9.9.9");
	c.out_of_zone = JC_FORWARD;
	c.forward_timeout_ms = 100;
	port = server(&c, res, 2, &s);
	n = udp_ask(port, q, query(q, 0x4242, "www.example.org",
	    KNOT_RRTYPE_A), r, 3000);
	expect(r, n, 0x4242, KNOT_RCODE_NOERROR, 1, 0);
	CHECK(n > 12 && knot_wire_get_rd(r));
	/* over TCP too, and NXDOMAIN passes through */
	fd = client(SOCK_STREAM, port);
	n = query(q + 2, 0x4343, "no.example.org", KNOT_RRTYPE_A);
	q[0] = 0;
	q[1] = (uint8_t)n;
	CHECK_EQ(send(fd, q, n + 2, 0), (ssize_t)(n + 2));
	n = tcp_read(fd, r);
	expect(r, n, 0x4343, KNOT_RCODE_NXDOMAIN, 0, 1);
	close(fd);
	/* our own names are still ours */
	n = udp_ask(port, q, query(q, 5, "local.example.net", KNOT_RRTYPE_A),
	    r, 3000);
	expect(r, n, 5, KNOT_RCODE_NOERROR, 1, 0);
	jd_server_free(s);

	/* only the silent resolver: SERVFAIL once both tries time out */
	port = server(&c, res, 1, &s);
	n = udp_ask(port, q, query(q, 6, "www.example.org", KNOT_RRTYPE_A),
	    r, 3000);
	expect(r, n, 6, KNOT_RCODE_SERVFAIL, 0, 0);
	jd_server_free(s);
	close(deadfd);
}

/* A summoner that only counts; the test says when a service is up. */
static int starts, start_ret;

static int
fake_start(void *arg, int svc)
{
	(void)arg;
	CHECK_EQ(svc, 0);
	starts++;
	return start_ret;
}

static int used;

static void
fake_used(void *arg, int svc)
{
	(void)arg;
	CHECK_EQ(svc, 0);
	used++;
}

/* Sends a UDP query; the socket is the caller's to read and close. */
static int
udp_send(uint16_t port, uint16_t id, uint16_t type)
{
	int fd = client(SOCK_DGRAM, port);
	size_t n = query(q, id, "www.example.org", type);

	CHECK_EQ(send(fd, q, n, 0), (ssize_t)n);
	return fd;
}

static size_t
udp_recv(int fd, int ms)
{
	ssize_t n = 0;

	if (wait_readable(fd, ms))
		n = recv(fd, r, sizeof(r), MSG_DONTWAIT);
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

/*
 * The HOLD path: queries for a service with a domain wait for it; three
 * share one start; they are answered when it is ready; AAAA of an A-only
 * service does not start it; a boot that fails, or does not finish within
 * the boot timeout, gives SERVFAIL; without a summoner, SERVFAIL at once.
 */
static void
test_hold(void)
{
	static const struct jd_summon fake = { fake_start, fake_used, NULL,
		NULL };
	struct jd_server *s;
	struct jc_conf c;
	uint16_t port;
	int fd[3];
	size_t n;

	conf_with(&c, "example.org", "www", "10.0.0.2");
	snprintf(c.services[0].vm, sizeof(c.services[0].vm), "www");
	c.services[0].boot_ms = 300;
	c.services[0].summon_rate = 0;
	summoner = &fake;
	port = server(&c, NULL, 0, &s);
	for (int i = 0; i < 3; i++)
		fd[i] = udp_send(port, (uint16_t)(100 + i), KNOT_RRTYPE_A);
	/* the three are held: nothing comes while the service boots */
	CHECK(!wait_readable(fd[0], 100));
	CHECK_EQ(starts, 1);
	n = udp_ask(port, q, query(q, 7, "www.example.org", KNOT_RRTYPE_AAAA),
	    r, 3000);
	expect(r, n, 7, KNOT_RCODE_NOERROR, 0, 1);
	CHECK_EQ(starts, 1);
	jd_server_service_state(s, 0, JD_READY);
	for (int i = 0; i < 3; i++) {
		n = udp_recv(fd[i], 3000);
		expect(r, n, (uint16_t)(100 + i), KNOT_RCODE_NOERROR, 1, 0);
	}
	/* each answer for the name restarts the idle time: the AAAA one
	 * (NODATA) too */
	CHECK_EQ(used, 4);
	/* stopped again: the next query starts it; a failed boot */
	jd_server_service_state(s, 0, JD_STOPPED);
	fd[0] = udp_send(port, 200, KNOT_RRTYPE_A);
	CHECK(!wait_readable(fd[0], 50));
	CHECK_EQ(starts, 2);
	jd_server_service_state(s, 0, JD_STOPPED);
	n = udp_recv(fd[0], 3000);
	expect(r, n, 200, KNOT_RCODE_SERVFAIL, 0, 0);
	/* a boot that never finishes: SERVFAIL at the boot timeout */
	fd[0] = udp_send(port, 201, KNOT_RRTYPE_A);
	n = udp_recv(fd[0], 3000);
	expect(r, n, 201, KNOT_RCODE_SERVFAIL, 0, 0);
	CHECK_EQ(starts, 3);
	/* a summoner that cannot start: SERVFAIL at once */
	jd_server_service_state(s, 0, JD_STOPPED);
	start_ret = -EIO;
	fd[0] = udp_send(port, 202, KNOT_RRTYPE_A);
	n = udp_recv(fd[0], 3000);
	expect(r, n, 202, KNOT_RCODE_SERVFAIL, 0, 0);
	CHECK_EQ(starts, 4);
	jd_server_free(s);

	summoner = NULL;
	port = server(&c, NULL, 0, &s);
	n = udp_ask(port, q, query(q, 8, "www.example.org", KNOT_RRTYPE_A), r,
	    3000);
	expect(r, n, 8, KNOT_RCODE_SERVFAIL, 0, 0);
	jd_server_free(s);
}

static unsigned int others;	/* other services' guests up */

static unsigned int
fake_running(void *arg, int svc)
{
	(void)arg;
	CHECK_EQ(svc, 0);
	return others;
}

/*
 * The summon limits: a query that would start the service while another
 * service's guest runs (max-running 1) gets REFUSED and starts nothing;
 * one summon a minute lets the first start through and refuses the
 * next; both are counted; with limit-action drop, no answer at all.
 */
static void
test_limits(void)
{
	static const struct jd_summon fake = { fake_start, fake_used, NULL,
		fake_running };
	struct jd_server *s;
	struct jc_conf c;
	uint16_t port;
	size_t n;
	int fd;

	conf_with(&c, "example.org", "www", "10.0.0.2");
	snprintf(c.services[0].vm, sizeof(c.services[0].vm), "www");
	c.max_running = 1;
	c.services[0].summon_rate = 1;
	c.services[0].summon_burst = 1;
	summoner = &fake;
	starts = start_ret = 0;
	port = server(&c, NULL, 0, &s);
	others = 1;
	n = udp_ask(port, q, query(q, 30, "www.example.org", KNOT_RRTYPE_A),
	    r, 3000);
	expect(r, n, 30, KNOT_RCODE_REFUSED, 0, 0);
	CHECK_EQ(starts, 0);
	others = 0;
	fd = udp_send(port, 31, KNOT_RRTYPE_A);
	CHECK(!wait_readable(fd, 50));
	CHECK_EQ(starts, 1);
	jd_server_service_state(s, 0, JD_READY);
	n = udp_recv(fd, 3000);
	expect(r, n, 31, KNOT_RCODE_NOERROR, 1, 0);
	/* up: queries pass whatever runs */
	others = 5;
	n = udp_ask(port, q, query(q, 32, "www.example.org", KNOT_RRTYPE_A),
	    r, 3000);
	expect(r, n, 32, KNOT_RCODE_NOERROR, 1, 0);
	/* stopped again: the minute's summon is spent */
	others = 0;
	jd_server_service_state(s, 0, JD_STOPPED);
	n = udp_ask(port, q, query(q, 33, "www.example.org", KNOT_RRTYPE_A),
	    r, 3000);
	expect(r, n, 33, KNOT_RCODE_REFUSED, 0, 0);
	CHECK_EQ(starts, 1);
	CHECK(status_has(s, "limited: rrl=0 rrl-slipped=0 max-running=1 "
	    "summon-rate=1\n"));
	CHECK(status_has(s, "service x: name=www.example.org queries=4 "
	    "limited=2\n"));
	jd_server_free(s);

	c.limit_action = JC_LIMIT_DROP;
	port = server(&c, NULL, 0, &s);
	others = 1;
	n = udp_ask(port, q, query(q, 34, "www.example.org", KNOT_RRTYPE_A),
	    r, 300);
	CHECK_EQ(n, 0);
	CHECK_EQ(starts, 1);
	CHECK(status_has(s, "dropped: 1 "));
	CHECK(status_has(s, "max-running=1 "));
	jd_server_free(s);
	summoner = NULL;
}

/*
 * Response rate limiting: from one client, 40 UDP queries at once get
 * the rate's answers, then are dropped, every second one slipping out
 * truncated; TCP is not limited; with rrl-action refuse every limited
 * one gets REFUSED.
 */
static void
test_rrl(void)
{
	struct jd_server *s;
	struct jc_conf c;
	uint16_t port;
	unsigned int full = 0, tc = 0, refused = 0, other = 0;
	unsigned long long lim, slipped;
	char *text = NULL;
	size_t n, tlen = 0;
	FILE *f;
	int fd;

	conf_with(&c, "example.org", "www", "10.0.0.2");
	c.rrl_rate = 2;
	c.rrl_slip = 2;
	port = server(&c, NULL, 0, &s);
	fd = client(SOCK_DGRAM, port);
	for (int i = 0; i < 40; i++) {
		n = query(q, (uint16_t)(100 + i), "www.example.org",
		    KNOT_RRTYPE_A);
		CHECK_EQ(send(fd, q, n, 0), (ssize_t)n);
	}
	while (wait_readable(fd, 300)) {
		ssize_t got = recv(fd, r, sizeof(r), MSG_DONTWAIT);

		if (got < 12)
			break;
		if (knot_wire_get_tc(r) && knot_wire_get_ancount(r) == 0)
			tc++;
		else if (knot_wire_get_ancount(r) == 1)
			full++;
		else
			other++;
	}
	close(fd);
	/* a budget of 2 (and 1 more a half second the test may take) */
	CHECK(full >= 2 && full <= 10);
	CHECK(tc >= (40 - full) / 2 - 5 && tc <= (40 - full + 1) / 2);
	CHECK_EQ(other, 0);
	f = open_memstream(&text, &tlen);
	jd_server_status(f, s);
	fclose(f);
	CHECK(sscanf(strstr(text, "limited: "), "limited: rrl=%llu "
	    "rrl-slipped=%llu", &lim, &slipped) == 2);
	CHECK_EQ(slipped, tc);
	CHECK_EQ(lim + slipped, 40 - full);
	free(text);
	/* TCP: not limited */
	fd = client(SOCK_STREAM, port);
	n = query(q + 2, 0x77, "www.example.org", KNOT_RRTYPE_A);
	q[0] = 0;
	q[1] = (uint8_t)n;
	CHECK_EQ(send(fd, q, n + 2, 0), (ssize_t)(n + 2));
	n = tcp_read(fd, r);
	expect(r, n, 0x77, KNOT_RCODE_NOERROR, 1, 0);
	close(fd);
	jd_server_free(s);

	c.rrl_slip = 0;
	c.rrl_action = JC_LIMIT_REFUSE;
	port = server(&c, NULL, 0, &s);
	fd = client(SOCK_DGRAM, port);
	full = 0;
	for (int i = 0; i < 20; i++) {
		n = query(q, (uint16_t)(200 + i), "www.example.org",
		    KNOT_RRTYPE_A);
		CHECK_EQ(send(fd, q, n, 0), (ssize_t)n);
	}
	while (wait_readable(fd, 300)) {
		if (recv(fd, r, sizeof(r), MSG_DONTWAIT) < 12)
			break;
		if (knot_wire_get_rcode(r) == KNOT_RCODE_REFUSED)
			refused++;
		else if (knot_wire_get_ancount(r) == 1)
			full++;
	}
	close(fd);
	CHECK(full >= 2 && full <= 10);
	CHECK_EQ(full + refused, 20);
	jd_server_free(s);
}

int
main(void)
{
	struct jc_conf c;
	struct jd_server *s;
	uint16_t port;

	base = event_base_new();
	conf_with(&c, "example.org", "www", "10.0.0.2");
	c.tcp_idle_ms = 200;
	port = server(&c, NULL, 0, &s);
	test_udp(port);
	test_udp_batch(port);
	test_udp_wildcard(&c);
	test_tcp(port);
	test_tcp_limit();
	test_forward(port);
	test_hold();
	test_limits();
	test_rrl();
	jd_server_free(s);
	event_base_free(base);
	return CHECK_DONE();
}
