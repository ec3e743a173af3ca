/*
 * jitsud's privilege separation: the messages' codec accepts only what
 * each side may act on; a real DNS process (forked here, as jitsud
 * does) asks for a boot and answers once told the service is up, and
 * gives its counters for the status; a DNS process that breaks the
 * protocol or goes away is reported once, and nothing it sent is acted
 * on.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <event2/event.h>
#include <libknot/libknot.h>

#include "check.h"
#include "jitsud-net.h"
#include "dnsproc.h"
#include "limits.h"
#include "privmsg.h"
#include "privsep.h"
#include "ratelimit.h"

static struct event_base *base;

/* --- the codec ------------------------------------------------------------ */

static int
decode(const struct pm_msg *in, size_t cut, unsigned int nsvc,
    struct pm_msg *out)
{
	uint8_t buf[PM_MAX];
	size_t n = pm_encode(in, buf);

	return pm_decode(buf, n - cut, nsvc, out);
}

static void
test_codec(void)
{
	struct pm_msg m = { .type = PM_STATE, .a = 2, .b = JD_READY }, d;
	uint8_t buf[PM_MAX + 8];

	CHECK_EQ(decode(&m, 0, 3, &d), 0);
	CHECK_EQ(d.type, PM_STATE);
	CHECK_EQ(d.a, 2);
	CHECK_EQ(d.b, JD_READY);
	/* a service that is not configured, a state that is none */
	CHECK_EQ(decode(&m, 0, 2, &d), -EBADMSG);
	m.b = JD_READY + 1;
	CHECK_EQ(decode(&m, 0, 3, &d), -EBADMSG);
	/* text: exactly as long as it says */
	m = (struct pm_msg){ .type = PM_TEXT, .a = 7, .len = 5 };
	memcpy(m.text, "hello", 5);
	CHECK_EQ(decode(&m, 0, 0, &d), 0);
	CHECK_EQ(d.len, 5);
	CHECK(memcmp(d.text, "hello", 5) == 0);
	CHECK_EQ(decode(&m, 1, 0, &d), -EBADMSG);
	CHECK_EQ(decode(&m, 5 + PM_HEADER, 0, &d), -EBADMSG);
	/* a body where none belongs */
	m.type = PM_START;
	m.a = 0;
	CHECK_EQ(decode(&m, 0, 1, &d), -EBADMSG);
	m.len = 0;
	CHECK_EQ(decode(&m, 0, 1, &d), 0);
	CHECK_EQ(decode(&m, 0, 0, &d), -EBADMSG);
	/* more text than a message holds, and a type that is none */
	memset(buf, 0, sizeof(buf));
	buf[1] = PM_TEXT;
	buf[2] = (PM_TEXT_MAX + 1) >> 8;
	buf[3] = (PM_TEXT_MAX + 1) & 0xff;
	CHECK_EQ(pm_decode(buf, PM_HEADER + PM_TEXT_MAX + 1, 1, &d),
	    -EBADMSG);
	buf[1] = 0;
	buf[2] = buf[3] = 0;
	CHECK_EQ(pm_decode(buf, PM_HEADER, 1, &d), -EBADMSG);
	buf[1] = PM_COUNTS_R + 1;
	CHECK_EQ(pm_decode(buf, PM_HEADER, 1, &d), -EBADMSG);
	/* counts: exactly 16 bytes, for a service there is */
	m = (struct pm_msg){ .type = PM_COUNTS_R, .a = 1 };
	pm_put_counts(&m, 1ULL << 40 | 7, 3);
	CHECK_EQ(decode(&m, 0, 2, &d), 0);
	{
		uint64_t q, l;

		pm_get_counts(&d, &q, &l);
		CHECK_EQ(q, 1ULL << 40 | 7);
		CHECK_EQ(l, 3);
	}
	CHECK_EQ(decode(&m, 1, 2, &d), -EBADMSG);
	CHECK_EQ(decode(&m, 0, 1, &d), -EBADMSG);
	m = (struct pm_msg){ .type = PM_COUNTS, .a = 0 };
	CHECK_EQ(decode(&m, 0, 1, &d), 0);
	/* who may send what */
	CHECK(pm_from_dns(PM_START) && pm_from_dns(PM_USED) &&
	    pm_from_dns(PM_TEXT) && pm_from_dns(PM_TEXT_END));
	CHECK(pm_from_dns(PM_COUNTS_R));
	CHECK(!pm_from_dns(PM_STATE) && !pm_from_dns(PM_STATUS) &&
	    !pm_from_dns(PM_COUNTS));
}

/* --- the privileged side, as jitsud.c wires it ---------------------------- */

static struct privsep *ps;
static int starts, useds, deaths;
static int start_svc = -1;
static char death[64];

static int
s_start(void *arg, int svc)
{
	(void)arg;
	starts++;
	start_svc = svc;
	return 0;
}

static void
s_used(void *arg, int svc)
{
	(void)arg;
	(void)svc;
	useds++;
}

static const struct jd_summon hook = { s_start, s_used, NULL, NULL };

static void
dead(void *arg, const char *why)
{
	(void)arg;
	deaths++;
	snprintf(death, sizeof(death), "%s", why);
}

/* Turns the loop until *n reaches want, or 3 s pass. */
static bool
reaches(int *n, int want)
{
	uint64_t end = jd_now_ms() + 3000;

	while (*n < want && jd_now_ms() < end) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(2000);
	}
	return *n >= want;
}

/* A for www.example.org (or now.example.org), sent from fd to port. */
static void
query_for(int fd, uint16_t port, const char *label)
{
	uint8_t q[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'o', 'r', 'g', 0, 0, 1, 0, 1 };
	struct sockaddr_in a = { .sin_family = AF_INET };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	memcpy(q + 13, label, 3);
	if (sendto(fd, q, sizeof(q), 0, (struct sockaddr *)&a,
	    sizeof(a)) < 0)
		exit(99);
}

static void
query(int fd, uint16_t port)
{
	query_for(fd, port, "www");
}

static int
rcode(int fd)
{
	uint8_t r[512];

	if (!jdt_readable(base, fd, 3000) || recv(fd, r, sizeof(r), 0) < 12)
		return -1;
	return knot_wire_get_rcode(r);
}

/* The first number of a line of /proc/PID/status (CapEff: in hex). */
static long
proc_field(pid_t pid, const char *key)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key), NULL,
			    strcmp(key, "CapEff:") ? 10 : 16);
	fclose(f);
	return v;
}

static char *
status_text(void)
{
	static char *text;
	size_t len;
	FILE *f;

	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	ps_status(f, ps);
	fclose(f);
	return text;
}

static void
test_dns_process(void)
{
	struct jc_conf c;
	struct jd_sock sock = { .tcp = false };
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	char err[128];
	int sp[2], client;
	uint64_t limited;
	pid_t pid;

	starts = useds = deaths = 0;
	jc_defaults(&c);
	CHECK_EQ(jc_add_spec(&c, "dns=www.example.org,ip=10.0.0.2,name=www,"
	    "xl=/etc/xen/www.cfg", err, sizeof(err)), 0);
	CHECK_EQ(jc_add_spec(&c, "dns=now.example.org,ip=10.0.0.3,name=now,"
	    "xl=/etc/xen/now.cfg", err, sizeof(err)), 0);
	c.services[1].answer_policy = JC_ANSWER_NOW;
	c.max_running = 1;
	CHECK_EQ(jc_conf_check("test", &c, stderr), 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sock.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (bind(sock.fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(sock.fd, (struct sockaddr *)&a, &alen) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		exit(99);
	if ((pid = fork()) == 0) {
		close(sp[0]);
		_exit(dnsproc_run(&c, &sock, 1, NULL, 0, sp[1], true,
		    "nobody"));
	}
	CHECK(pid > 0);
	close(sp[1]);
	close(sock.fd);
	CHECK_EQ(ps_new(base, sp[0], pid, c.nservices, &hook, dead, NULL,
	    &ps), 0);

	/* a query for the stopped service asks for its boot, and waits */
	client = socket(AF_INET, SOCK_DGRAM, 0);
	query(client, ntohs(a.sin_port));
	CHECK(reaches(&starts, 1));
	CHECK_EQ(start_svc, 0);
	/* started as root, it serves as nobody, with no capability left */
	if (geteuid() == 0) {
		CHECK_EQ(proc_field(pid, "Uid:"), (long)getpwnam("nobody")->pw_uid);
		CHECK_EQ(proc_field(pid, "CapEff:"), 0);
		CHECK_EQ(proc_field(pid, "NoNewPrivs:"), 1);
	}
	CHECK(!jdt_readable(base, client, 100));
	/* up: answered, and the privileged side hears it was used */
	ps_state(ps, 0, JD_READY, true);
	CHECK_EQ(rcode(client), KNOT_RCODE_NOERROR);
	CHECK(reaches(&useds, 1));
	/* a second query is answered at once */
	query(client, ntohs(a.sin_port));
	CHECK_EQ(rcode(client), KNOT_RCODE_NOERROR);
	CHECK_EQ(starts, 1);
	/* the DNS process's counters, in the status */
	CHECK(strstr(status_text(), "queries: 2\n") != NULL);
	CHECK(strstr(status_text(), "service www: name=www.example.org "
	    "queries=2") != NULL);
	/* and jitsuctl's per service counts */
	CHECK_EQ(ps_queries(ps, 0, &limited), 2);
	CHECK_EQ(limited, 0);
	CHECK_EQ(ps_queries(ps, 1, &limited), 0);
	CHECK_EQ(ps_queries(ps, 2, &limited), 0);	/* no such service */
	/* max-running 1: with www up, now is refused, and not booted */
	query_for(client, ntohs(a.sin_port), "now");
	CHECK_EQ(rcode(client), KNOT_RCODE_REFUSED);
	CHECK_EQ(starts, 1);
	/* stopped: the next query boots it again (a status round trip
	 * first: the DNS process has taken the state before the query) */
	ps_state(ps, 0, JD_STOPPED, false);
	status_text();
	query(client, ntohs(a.sin_port));
	CHECK(reaches(&starts, 2));
	/* its boot holds the place at once: now is refused meanwhile */
	query_for(client, ntohs(a.sin_port), "now");
	CHECK_EQ(rcode(client), KNOT_RCODE_REFUSED);
	CHECK_EQ(starts, 2);
	/* that boot failed: its held query gets SERVFAIL, the place is free */
	ps_state(ps, 0, JD_STOPPED, false);
	CHECK_EQ(rcode(client), KNOT_RCODE_SERVFAIL);
	status_text();
	/* answer policy now: answered at once, and booted */
	query_for(client, ntohs(a.sin_port), "now");
	CHECK_EQ(rcode(client), KNOT_RCODE_NOERROR);
	CHECK(reaches(&starts, 3));
	CHECK_EQ(start_svc, 1);
	close(client);

	/* the privileged side goes: the DNS process exits, reaped */
	CHECK_EQ(deaths, 0);
	ps_free(ps);
	CHECK_EQ(waitpid(pid, NULL, WNOHANG), -1);
	CHECK_EQ(errno, ECHILD);
}

/* --- a DNS process that breaks the protocol ------------------------------- */

static void
send_raw(int fd, const struct pm_msg *m, size_t cut)
{
	uint8_t buf[PM_MAX];
	size_t n = pm_encode(m, buf) - cut;

	if (send(fd, buf, n, 0) != (ssize_t)n)
		exit(99);
}

/* What the fake DNS process at fd sends is reported as a protocol error;
 * the valid message before it was acted on, and nothing after. */
static void
hostile(const struct pm_msg *bad, size_t cut)
{
	struct pm_msg ok = { .type = PM_START, .a = 0 };
	int sp[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		exit(99);
	starts = deaths = 0;
	CHECK_EQ(ps_new(base, sp[0], 0, 1, &hook, dead, NULL, &ps), 0);
	send_raw(sp[1], &ok, 0);
	send_raw(sp[1], bad, cut);
	send_raw(sp[1], &ok, 0);
	CHECK(reaches(&deaths, 1));
	CHECK_STR(death, "it broke the protocol");
	event_base_loop(base, EVLOOP_NONBLOCK);
	CHECK_EQ(starts, 1);
	CHECK_EQ(deaths, 1);
	/* and what it asks for after is not even read */
	ps_state(ps, 0, JD_READY, false);
	CHECK_EQ(deaths, 1);
	CHECK(strstr(status_text(), "gone") != NULL);
	ps_free(ps);
	close(sp[1]);
}

static void
test_hostile(void)
{
	struct pm_msg m = { .type = PM_START, .a = 1 };	/* no service 1 */
	int sp[2];

	hostile(&m, 0);
	m = (struct pm_msg){ .type = PM_STATE, .a = 0 };  /* not its to send */
	hostile(&m, 0);
	m = (struct pm_msg){ .type = PM_TEXT, .len = 10 };	/* cut short */
	hostile(&m, 3);

	/* one that exits is reported once, as gone */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		exit(99);
	deaths = 0;
	CHECK_EQ(ps_new(base, sp[0], 0, 1, &hook, dead, NULL, &ps), 0);
	close(sp[1]);
	CHECK(reaches(&deaths, 1));
	CHECK_STR(death, "it exited");
	ps_free(ps);
}

/* A DNS process that asks past the summon limits: the privileged side
 * applies them again, starts nothing more, and says the service is
 * stopped. */
static void
test_parent_limits(void)
{
	struct pm_msg start = { .type = PM_START, .a = 0 }, m;
	uint8_t buf[PM_MAX];
	struct jc_conf c;
	char err[128];
	int sp[2];
	ssize_t n;

	jc_defaults(&c);
	CHECK_EQ(jc_add_spec(&c, "dns=www.example.org,ip=10.0.0.2,name=www,"
	    "xl=/etc/xen/www.cfg", err, sizeof(err)), 0);
	c.services[0].summon_rate = 1;
	c.services[0].summon_burst = 1;
	CHECK_EQ(jc_conf_check("test", &c, stderr), 0);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		exit(99);
	starts = deaths = 0;
	CHECK_EQ(ps_new(base, sp[0], 0, 1, &hook, dead, NULL, &ps), 0);
	ps_limit(ps, lim_new(&c, rl_now_ns()));
	send_raw(sp[1], &start, 0);
	CHECK(reaches(&starts, 1));
	send_raw(sp[1], &start, 0);
	CHECK(jdt_readable(base, sp[1], 3000));
	n = recv(sp[1], buf, sizeof(buf), MSG_DONTWAIT);
	CHECK_EQ(pm_decode(buf, n > 0 ? (size_t)n : 0, 1, &m), 0);
	CHECK_EQ(m.type, PM_STATE);
	CHECK_EQ(m.b, JD_STOPPED);
	CHECK_EQ(starts, 1);
	CHECK_EQ(ps_refused(ps), 1);
	CHECK(strstr(status_text(), "boots past the limits refused: 1") !=
	    NULL);
	CHECK_EQ(deaths, 0);
	ps_free(ps);
	close(sp[1]);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	test_codec();
	test_hostile();
	test_parent_limits();
	test_dns_process();
	event_base_free(base);
	return CHECK_DONE();
}
