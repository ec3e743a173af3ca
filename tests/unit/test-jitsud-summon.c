/*
 * The summoner between the server and a fake backend, on loopback: a
 * query starts the service and is answered once it is up; the idle time
 * stops it; a backend that fails gives SERVFAIL; a domain that goes away
 * leaves the service stopped, and the next query starts it again. Stop
 * mode suspend: saved when idle, restored by the next query; stop mode
 * shutdown: asked, then destroyed once the domain has shut down. A warm
 * pool: filled at start, a query unpauses its domain (renamed to the
 * service's) instead of creating one, and the pool refills after. With
 * pool-boot, the pool's domain runs until ready and is paused again (a
 * summon then answers without checking again), only
 * while the service is stopped; a query during that boot waits for it;
 * one that is not ready within the boot timeout is destroyed.
 * Readiness here is "tcp" (so no xenstore is needed): a port that
 * listens on loopback, the service's address.
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
#include "summon.h"

static struct event_base *base;

/* --- the fake backend ----------------------------------------------------- */

static struct backend fake;
static int creates, stops, fail_create, restores, pooled, unpauses;
static uint32_t next_pooled = 50;
static enum lc_action stop_as = LC_DESTROY;	/* what an idle stop is */
/* stop mode shutdown: the report held back, to come after the domain went */
static bool hold_shutdown_report;

struct later {
	int svc;
	enum lc_action a;
	bool fail;
	int slot;		/* LC_NONE: a pool domain for slot */
	uint32_t domid;
};

static void
deliver(evutil_socket_t fd, short what, void *arg)
{
	struct later *l = arg;

	(void)fd; (void)what;
	if (l->a == LC_CREATE && l->fail)
		fake.rep->failed(fake.arg, l->svc, "told to fail");
	else if (l->a == LC_CREATE)
		fake.rep->created(fake.arg, l->svc, 42);
	else if (l->a == LC_RESTORE)
		fake.rep->created(fake.arg, l->svc, 43);
	else if (l->a == LC_UNPAUSE)
		fake.rep->created(fake.arg, l->svc, l->domid);
	else if (l->a == LC_NONE)
		fake.rep->pooled(fake.arg, l->svc, l->slot, l->domid, 0);
	else
		fake.rep->stopped(fake.arg, l->svc, l->a, 0);
	free(l);
}

static void
later_domid(int svc, enum lc_action a, bool fail, int slot, uint32_t domid)
{
	struct later *l = malloc(sizeof(*l));
	struct timeval now = { 0, 0 };

	*l = (struct later){ svc, a, fail, slot, domid };
	event_base_once(base, -1, EV_TIMEOUT, deliver, l, &now);
}

static void
later(int svc, enum lc_action a, bool fail)
{
	later_domid(svc, a, fail, 0, 0);
}

static int
f_create(struct backend *b, int svc, const char *xl, const char *vm)
{
	(void)b; (void)vm;
	CHECK_STR(xl, "/etc/xen/www.cfg");
	creates++;
	later(svc, LC_CREATE, fail_create);
	return 0;
}

static int
f_unpause(struct backend *b, int svc, uint32_t domid, const char *rename_to)
{
	(void)b;
	CHECK(rename_to == NULL);	/* renamed once ready, by f_rename */
	unpauses++;
	later_domid(svc, LC_UNPAUSE, false, 0, domid);
	return 0;
}

static int
f_create_paused(struct backend *b, int svc, int slot, const char *xl,
    const char *name)
{
	(void)b;
	CHECK_STR(xl, "/etc/xen/www.cfg");
	CHECK_EQ(slot, 0);
	CHECK_STR(name, "www-pool0");
	pooled++;
	later_domid(svc, LC_NONE, false, slot, next_pooled++);
	return 0;
}

static int
f_stop(struct backend *b, int svc, uint32_t domid, enum lc_action a,
    const char *save_file)
{
	(void)b;
	CHECK(domid == 42 || domid == 43 || domid >= 50);
	/* the idle stop, then the destroy of what a shutdown left */
	CHECK(a == stop_as || a == LC_DESTROY);
	if (a == LC_SAVE)
		CHECK_STR(save_file, "/var/lib/jitsud/www.save");
	stops++;
	if (a == LC_SHUTDOWN && hold_shutdown_report)
		return 0;	/* the test reports it, after the domain went */
	later(svc, a, false);
	return 0;
}

static int
f_restore(struct backend *b, int svc, const char *xl, const char *save_file)
{
	(void)b;
	CHECK_STR(xl, "/etc/xen/www.cfg");
	CHECK_STR(save_file, "/var/lib/jitsud/www.save");
	restores++;
	later(svc, LC_RESTORE, false);
	return 0;
}

static uint32_t running;	/* a domain found at start, 0: none */

static int
f_find(struct backend *b, const char *name, uint32_t *domid, bool *paused)
{
	(void)b;
	if (strcmp(name, "www-pool0") == 0)
		return -ENOENT;	/* no pool left from before */
	CHECK_STR(name, "www");	/* from the xl config */
	if (!running)
		return -ENOENT;
	*domid = running;
	*paused = false;
	return 0;
}

static int
f_config_name(struct backend *b, const char *xl, char *name, size_t len)
{
	(void)b; (void)xl;
	snprintf(name, len, "www");
	return 0;
}

static void
f_free(struct backend *b)
{
	(void)b;
}

static int pool_runs, pool_pauses, pool_destroys, renames;
static uint32_t renamed;

static int
f_rename(struct backend *b, uint32_t domid, const char *name)
{
	(void)b;
	CHECK_STR(name, "www");
	renames++;
	renamed = domid;
	return 0;
}

static bool hold_pool_run;
static struct summoner *cur;	/* pool-boot: whose state to check */

static int
f_pool_step(struct backend *b, int svc, int slot, uint32_t domid,
    enum pool_step step)
{
	(void)b;
	CHECK(domid >= 50);
	/* a booting pool guest never runs beside the service's */
	if (cur)
		CHECK(!summon_svc(cur, svc)->has_domid);
	if (step == POOL_RUN)
		pool_runs++;
	else if (step == POOL_PAUSE)
		pool_pauses++;
	else
		pool_destroys++;
	if (step == POOL_RUN && hold_pool_run)
		return 0;	/* the test reports it */
	later_domid(svc, LC_NONE, false, slot, domid);
	return 0;
}

static const struct backend_ops fake_ops = {
	f_create, f_unpause, f_create_paused, f_stop, f_restore, f_find,
	f_config_name, f_free, f_pool_step, f_rename, NULL,
};

/* What jitsud does without privilege separation: the server is told. */
static void
tell_server(void *arg, int svc, enum jd_svc_state st, bool place)
{
	(void)place;	/* the server asks hook_running() */
	jd_server_service_state(arg, svc, st);
}

static int
fake_new(struct event_base *b, const struct backend_reports *rep, void *arg,
    struct backend **out)
{
	(void)b;
	fake = (struct backend){ .ops = &fake_ops, .rep = rep, .arg = arg };
	*out = &fake;
	return 0;
}

/* --- a client ------------------------------------------------------------- */

static bool
readable(int fd, int ms)
{
	return jdt_readable(base, fd, ms);
}

/* A for LABEL.example.org (three letters): the rcode, or -1 without
 * an answer. */
static int
ask_for(uint16_t port, const char *label)
{
	uint8_t q[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'o', 'r', 'g', 0, 0, 1, 0, 1 };
	struct sockaddr_in a = { .sin_family = AF_INET };
	uint8_t r[512];
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rc = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	memcpy(q + 13, label, 3);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    send(fd, q, sizeof(q), 0) < 0)
		exit(99);
	if (readable(fd, 3000) && recv(fd, r, sizeof(r), 0) >= 12)
		rc = knot_wire_get_rcode(r);
	close(fd);
	return rc;
}

static int
ask(uint16_t port)
{
	return ask_for(port, "www");
}

static char *text;

static char *
status(struct summoner *sm)
{
	size_t len;
	FILE *f;

	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	summon_status(f, sm);
	fclose(f);
	return text;
}

/* Turns the loop until the status says want, or 3 s pass. */
static bool
status_is(struct summoner *sm, const char *want)
{
	uint64_t end = jd_now_ms() + 3000;

	while (jd_now_ms() < end) {
		if (strstr(status(sm), want))
			return true;
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(5000);
	}
	fprintf(stderr, "status: %s", status(sm));
	return false;
}

/* A summoner and its server on a new loopback socket; its port in *a. */
static void
up(struct jc_conf *c, struct sockaddr_in *a, struct summoner **sm,
    struct jd_server **srv)
{
	struct jd_sock sock = { .tcp = false };
	socklen_t alen = sizeof(*a);

	a->sin_port = 0;
	sock.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (bind(sock.fd, (struct sockaddr *)a, sizeof(*a)) < 0)
		exit(99);
	getsockname(sock.fd, (struct sockaddr *)a, &alen);
	CHECK_EQ(summon_new(base, NULL, c, fake_new, sm), 0);
	CHECK_EQ(jd_server_new(base, c, &sock, 1, NULL, 0, summon_hook(*sm),
	    srv), 0);
	summon_attach(*sm, tell_server, *srv);
}

int
main(void)
{
	struct jc_conf c;
	struct jd_sock sock;
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct summoner *sm;
	struct jd_server *srv;
	struct dom_info gone = { .domid = 42 };
	char err[128];
	int lfd;

	base = event_base_new();
	jc_defaults(&c);
	CHECK_EQ(jc_add_spec(&c, "dns=www.example.org,ip=127.0.0.1,name=www,"
	    "xl=/etc/xen/www.cfg,idle-timeout=300ms", err, sizeof(err)), 0);
	c.services[0].ready = JC_READY_TCP;
	c.services[0].summon_rate = 0;	/* started often here */
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(lfd, 64) < 0)
		exit(99);
	getsockname(lfd, (struct sockaddr *)&a, &alen);
	c.services[0].ready_port = ntohs(a.sin_port);
	a.sin_port = 0;
	alen = sizeof(a);
	CHECK_EQ(jc_conf_check("test", &c, stderr), 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sock.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	sock.tcp = false;
	if (bind(sock.fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		exit(99);
	getsockname(sock.fd, (struct sockaddr *)&a, &alen);

	CHECK_EQ(summon_new(base, NULL, &c, fake_new, &sm), 0);
	CHECK_EQ(jd_server_new(base, &c, &sock, 1, NULL, 0, summon_hook(sm),
	    &srv), 0);
	summon_attach(sm, tell_server, srv);
	CHECK(status_is(sm, "service www: state=stopped boots=0 "));

	/* a query starts it and is answered once it is up */
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	CHECK_EQ(creates, 1);
	CHECK(status_is(sm, "state=ready domid=42 boots=1 "));
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	CHECK_EQ(creates, 1);

	/* idle: destroyed */
	CHECK(status_is(sm, "state=stopped boots=1 failures=0 "
	    "boot-timeouts=0 stops=1 "));
	CHECK_EQ(stops, 1);

	/* a backend that fails: SERVFAIL, counted */
	fail_create = 1;
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_SERVFAIL);
	CHECK(status_is(sm, "state=stopped boots=2 failures=1 "));

	/* a domain that goes away by itself; the next query starts anew */
	fail_create = 0;
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	summon_dom_removed(sm, &gone);
	CHECK(status_is(sm, "state=stopped boots=3 "));
	CHECK_EQ(stops, 1);
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	CHECK_EQ(creates, 4);

	jd_server_free(srv);
	summon_free(sm);

	/* a restart with the domain running: adopted, not booted again */
	running = 77;
	sock.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	a.sin_port = 0;
	if (bind(sock.fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		exit(99);
	alen = sizeof(a);
	getsockname(sock.fd, (struct sockaddr *)&a, &alen);
	CHECK_EQ(summon_new(base, NULL, &c, fake_new, &sm), 0);
	CHECK_EQ(jd_server_new(base, &c, &sock, 1, NULL, 0, summon_hook(sm),
	    &srv), 0);
	summon_attach(sm, tell_server, srv);
	CHECK(status_is(sm, "state=ready domid=77 boots=0 "));
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	CHECK_EQ(creates, 4);
	jd_server_free(srv);
	summon_free(sm);

	/* stop mode suspend: saved when idle, restored by the next query */
	running = 0;
	c.services[0].stop_mode = JC_STOP_SUSPEND;
	snprintf(c.services[0].save_file, sizeof(c.services[0].save_file),
	    "/var/lib/jitsud/www.save");
	stop_as = LC_SAVE;
	stops = 0;
	up(&c, &a, &sm, &srv);
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	CHECK(status_is(sm, "state=saved boots=1 failures=0 "
	    "boot-timeouts=0 stops=1 "));
	CHECK_EQ(stops, 1);
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	CHECK_EQ(restores, 1);
	CHECK_EQ(creates, 5);	/* restored, not created */
	CHECK(status_is(sm, "state=ready domid=43 boots=2 "));

	/* stop mode shutdown: stopping until the domain has shut down */
	CHECK(status_is(sm, "state=saved boots=2 "));
	jd_server_free(srv);
	summon_free(sm);
	c.services[0].stop_mode = JC_STOP_SHUTDOWN;
	stop_as = LC_SHUTDOWN;
	stops = 0;
	up(&c, &a, &sm, &srv);
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	CHECK(status_is(sm, "state=stopping domid=42 boots=1 "));
	CHECK_EQ(stops, 1);
	gone.state = DOM_SHUTDOWN;
	summon_dom_changed(sm, &gone);
	CHECK(status_is(sm, "state=stopped boots=1 failures=0 "
	    "boot-timeouts=0 stops=1 "));
	CHECK_EQ(stops, 2);	/* the destroy of what was left */
	/* a guest so fast that it is down before libxl says it asked */
	hold_shutdown_report = true;
	gone.state = DOM_RUNNING;
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	CHECK(status_is(sm, "state=stopping domid=42 boots=2 "));
	CHECK_EQ(stops, 3);
	gone.state = DOM_SHUTDOWN;
	summon_dom_changed(sm, &gone);
	fake.rep->stopped(fake.arg, 0, LC_SHUTDOWN, 0);
	CHECK(status_is(sm, "state=stopped boots=2 failures=0 "
	    "boot-timeouts=0 stops=2 "));
	CHECK_EQ(stops, 4);	/* destroyed at once, not at the deadline */
	hold_shutdown_report = false;
	jd_server_free(srv);
	summon_free(sm);

	/* a warm pool of one: filled at start, taken by a query, refilled */
	c.services[0].stop_mode = JC_STOP_DESTROY;
	c.services[0].pool = 1;
	stop_as = LC_DESTROY;
	up(&c, &a, &sm, &srv);
	CHECK(status_is(sm, "state=stopped boots=0 failures=0 "
	    "boot-timeouts=0 stops=0 last-summon-ms=0 pool=1/1\n"));
	CHECK_EQ(pooled, 1);
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	CHECK_EQ(unpauses, 1);
	CHECK_EQ(creates, 7);	/* none more */
	CHECK(status_is(sm, "state=ready domid=50 boots=1 "));
	CHECK_EQ(renames, 1);	/* the service's name, once it was ready */
	CHECK_EQ(renamed, 50);
	CHECK(status_is(sm, " pool=1/1\n"));	/* refilled */
	CHECK_EQ(pooled, 2);
	/* the pool's domain goes away: refilled again */
	gone.domid = 51;
	summon_dom_removed(sm, &gone);
	CHECK(status_is(sm, "state=stopped boots=1 failures=0 boot-timeouts=0 "
	    "stops=1 last-summon-ms="));	/* (idle) */
	CHECK_EQ(pooled, 3);
	CHECK(status_is(sm, " pool=1/1\n"));
	jd_server_free(srv);
	summon_free(sm);

	/* pool-boot: the pool's domain is run until ready, then paused */
	c.services[0].pool_boot = 1;
	pooled = unpauses = 0;
	up(&c, &a, &sm, &srv);
	cur = sm;
	CHECK(status_is(sm, "state=stopped boots=0 failures=0 "
	    "boot-timeouts=0 stops=0 last-summon-ms=0 pool=1/1\n"));
	CHECK_EQ(pooled, 1);
	CHECK_EQ(pool_runs, 1);
	CHECK_EQ(pool_pauses, 1);
	/* a query unpauses it and is answered without the readiness checks
	 * again (it passed them before its pause): here they would fail,
	 * with nothing listening on the probed port until the answer; no
	 * refill while the service is up (the fake backend checks), one
	 * after it stopped */
	{
		uint16_t port = c.services[0].ready_port;

		c.services[0].ready_port = jdt_free_port();
		CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
		c.services[0].ready_port = port;
	}
	CHECK_EQ(unpauses, 1);
	CHECK_EQ(creates, 7);
	CHECK(status_is(sm, "state=stopped boots=1 failures=0 boot-timeouts=0 "
	    "stops=1 "));
	CHECK(status_is(sm, " pool=1/1\n"));
	CHECK_EQ(pool_runs, 2);
	CHECK_EQ(pool_pauses, 2);
	/* a start while the pool's domain boots waits for it: no create */
	hold_pool_run = true;
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_NOERROR);
	CHECK(status_is(sm, "state=stopped boots=2 "));
	CHECK_EQ(pool_runs, 3);		/* the refill's, held back */
	CHECK_EQ(summon_start(sm, 0), 0);
	CHECK(status_is(sm, "state=starting "));
	fake.rep->pooled(fake.arg, 0, 0, next_pooled - 1, 0);
	CHECK(status_is(sm, "state=ready domid=55 boots=3 "));
	CHECK_EQ(next_pooled, 56);
	CHECK_EQ(unpauses, 3);
	CHECK_EQ(creates, 7);
	CHECK_EQ(pool_destroys, 0);
	hold_pool_run = false;
	jd_server_free(srv);
	summon_free(sm);
	cur = NULL;

	/* not ready within the boot timeout: destroyed, the fill failed */
	close(lfd);
	lfd = -1;
	c.services[0].boot_ms = 200;
	pooled = pool_runs = pool_pauses = 0;
	up(&c, &a, &sm, &srv);
	CHECK(status_is(sm, "stops=0 last-summon-ms=0 pool=0/1\n"));
	{
		uint64_t end = jd_now_ms() + 3000;

		while (pool_destroys == 0 && jd_now_ms() < end) {
			event_base_loop(base, EVLOOP_NONBLOCK);
			usleep(5000);
		}
	}
	CHECK_EQ(pool_runs, 1);
	CHECK_EQ(pool_destroys, 1);
	CHECK_EQ(pool_pauses, 0);
	CHECK(status_is(sm, " pool=0/1\n"));
	/* the query finds the pool empty (the fill failed): a create */
	CHECK_EQ(ask(ntohs(a.sin_port)), KNOT_RCODE_SERVFAIL);
	CHECK_EQ(creates, 8);
	jd_server_free(srv);
	summon_free(sm);

	/* a name without a domain beside a summoned one: always up, and the
	 * summoner never says otherwise (it did once, at attach) */
	c.services[0].pool = 0;
	c.services[0].pool_boot = 0;
	c.services[1] = c.services[0];
	snprintf(c.services[1].id, sizeof(c.services[1].id), "top");
	snprintf(c.services[1].name, sizeof(c.services[1].name),
	    "top.example.org");
	c.services[1].xl_config[0] = '\0';
	c.nservices = 2;
	CHECK_EQ(jc_conf_check("test", &c, stderr), 0);
	up(&c, &a, &sm, &srv);
	CHECK_EQ(ask_for(ntohs(a.sin_port), "top"), KNOT_RCODE_NOERROR);
	CHECK_EQ(ask_for(ntohs(a.sin_port), "top"), KNOT_RCODE_NOERROR);
	CHECK_EQ(creates, 8);
	jd_server_free(srv);
	summon_free(sm);
	free(text);
	event_base_free(base);
	return CHECK_DONE();
}
