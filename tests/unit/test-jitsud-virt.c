/*
 * The libvirt backend (virt.c) through backend_ops, against libvirt's
 * test driver in this process (test:///default: no daemon, no Xen; its
 * domain "test" is persistent and running). Every report must come from
 * the event loop, never from inside the call; the domains' states are
 * checked on a second connection, which shares the driver's state.
 *
 * The test driver has no xen-xl conversion: services from an xl config
 * are shown failing with the reason; created domains come from domain
 * XML files, which the backend takes as they are.
 *
 * The adoption at the start (backend.h's adopt) runs in the backend's
 * worker, never in the loop, before the requests made after it, and
 * waits for a connection: a test driver on a file that is not there yet
 * (test:///path: its own state, read from the file at the connect) is a
 * libvirtd not up yet.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>
#include <libvirt/libvirt.h>

#include "backend.h"
#include "check.h"

#define URI "test:///default"

struct rec {
	int n;			/* reports so far */
	char kind;		/* 'c'reated 'f'ailed 's'topped 'p'ooled
				   'a'dopted (adopt's end) */
	int svc, slot, err;
	uint32_t domid;
	enum lc_action a;
	char why[256];
};

static struct rec rec;
static bool in_call;
static struct event_base *base;
static virConnectPtr peek;	/* the second connection */
static pthread_t loop_thread;

/* adopt's work: what it found of the domain "hello", and where. */
struct adoption {
	atomic_int runs;
	atomic_bool off_loop;	/* in another thread than the loop's */
	int found;		/* find's return */
	uint32_t domid;
	bool paused;
};

static void
got(char kind, int svc)
{
	/* backend.h: never from inside the call */
	CHECK(!in_call);
	rec.n++;
	rec.kind = kind;
	rec.svc = svc;
}

static void
on_created(void *arg, int svc, uint32_t domid)
{
	(void)arg;
	got('c', svc);
	rec.domid = domid;
}

static void
on_failed(void *arg, int svc, const char *why)
{
	(void)arg;
	got('f', svc);
	snprintf(rec.why, sizeof(rec.why), "%s", why);
}

static void
on_stopped(void *arg, int svc, enum lc_action a, int err)
{
	(void)arg;
	got('s', svc);
	rec.a = a;
	rec.err = err;
}

static void
on_pooled(void *arg, int svc, int slot, uint32_t domid, int err)
{
	(void)arg;
	got('p', svc);
	rec.slot = slot;
	rec.domid = domid;
	rec.err = err;
}

static const struct backend_reports reports = {
	on_created, on_failed, on_stopped, on_pooled,
};

static void
adopt_work(void *arg, struct backend *b)
{
	struct adoption *a = arg;

	atomic_store(&a->off_loop, !pthread_equal(pthread_self(),
	    loop_thread));
	a->found = b->ops->find(b, "hello", &a->domid, &a->paused);
	atomic_fetch_add(&a->runs, 1);
}

/* Counted with the reports, to see its place among them. */
static void
adopt_done(void *arg)
{
	(void)arg;
	CHECK(pthread_equal(pthread_self(), loop_thread));
	got('a', -1);
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	*(bool *)arg = true;
}

/* Runs the loop until n reports in all have come, or 10 s. */
static void
wait_for(int n)
{
	bool late = false;
	struct event *t = evtimer_new(base, on_timeout, &late);
	struct timeval tv = { 10, 0 };

	evtimer_add(t, &tv);
	while (rec.n < n && !late)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(t);
	CHECK_EQ(rec.n, n);
}

/* The call r, which must return 0 and report once, from the loop. */
#define ASK(call, want) do { \
	int n_ = rec.n; \
	in_call = true; \
	CHECK_EQ((call), 0); \
	in_call = false; \
	CHECK_EQ(rec.n, n_); \
	wait_for(n_ + 1); \
	CHECK_EQ(rec.kind, (want)); \
} while (0)

/* The domain's state on the second connection; -1: none, or shut off. */
static int
state_of(const char *name, unsigned int *id)
{
	virDomainPtr d = virDomainLookupByName(peek, name);
	int st = -1, reason;

	if (!d)
		return -1;
	if (virDomainGetState(d, &st, &reason, 0) < 0 ||
	    st == VIR_DOMAIN_SHUTOFF)
		st = -1;
	if (id)
		*id = virDomainGetID(d);
	virDomainFree(d);
	return st;
}

/* A config file for the backend to read. */
static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL && fputs(text, f) >= 0 && fclose(f) == 0);
}

int
main(void)
{
	char dir[] = "/tmp/test-jitsud-virt.XXXXXX", xml[64], xlc[64],
	    save[64], name[64], why[256], node[64], later[128];
	struct backend *b = NULL, *b2 = NULL;
	struct adoption ad = { 0 };
	unsigned int id = 0;
	uint32_t domid = 0, test_id;
	bool paused = true;

	loop_thread = pthread_self();
	base = event_base_new();
	peek = virConnectOpen(URI);
	if (!base || !peek || !mkdtemp(dir))
		return 99;
	snprintf(xml, sizeof(xml), "%s/pool.xml", dir);
	snprintf(xlc, sizeof(xlc), "%s/hello.cfg", dir);
	snprintf(save, sizeof(save), "%s/saved", dir);
	snprintf(node, sizeof(node), "%s/node.xml", dir);
	snprintf(later, sizeof(later), "test://%s", node);
	write_file(xml, "<domain type='test'>\n  <name>hello</name>\n"
	    "  <memory unit='MiB'>32</memory>\n"
	    "  <os><type arch='i686'>hvm</type></os>\n</domain>\n");
	write_file(xlc, "name = \"hello\"\nkernel = \"/k\"\nmemory = 32\n");

	/* A connection that cannot be yet (libvirtd not up): the backend
	 * starts all the same; a request fails at once, with the reason;
	 * the adoption waits for the connection, and runs (in the worker)
	 * once it is there, finding the domain running. */
	CHECK_EQ(backend_virt_new(base, later, false, &reports, NULL, &b2,
	    why, sizeof(why)), 0);
	if (!b2)
		return 1;
	in_call = true;
	CHECK_EQ(b2->ops->adopt(b2, adopt_work, adopt_done, &ad), 0);
	CHECK_EQ(b2->ops->adopt(b2, adopt_work, adopt_done, &ad), -EALREADY);
	in_call = false;
	ASK(b2->ops->create(b2, 1, "", "hello"), 'f');
	CHECK(strstr(rec.why, "no connection to libvirt") != NULL);
	CHECK_EQ(atomic_load(&ad.runs), 0);
	write_file(node, "<node>\n <domain type='test'>\n  <name>hello</name>\n"
	    "  <memory unit='MiB'>32</memory>\n"
	    "  <os><type arch='i686'>hvm</type></os>\n </domain>\n</node>\n");
	wait_for(rec.n + 1);
	CHECK_EQ(rec.kind, 'a');
	CHECK_EQ(atomic_load(&ad.runs), 1);
	CHECK(atomic_load(&ad.off_loop));
	CHECK_EQ(ad.found, 0);
	CHECK(!ad.paused);
	/* the connection is up: the domain found is the one a summon gets */
	ASK(b2->ops->create(b2, 1, "", "hello"), 'c');
	CHECK_EQ(rec.domid, ad.domid);
	b2->ops->free(b2);
	b2 = NULL;
	unlink(node);

	CHECK_EQ(backend_virt_new(base, URI, false, &reports, NULL, &b, why,
	    sizeof(why)), 0);
	if (!b)
		return 1;

	/* An existing, running domain: created with its id. */
	CHECK_EQ(state_of("test", &id), VIR_DOMAIN_RUNNING);
	ASK(b->ops->create(b, 3, "", "test"), 'c');
	CHECK_EQ(rec.svc, 3);
	CHECK_EQ(rec.domid, id);
	test_id = rec.domid;
	CHECK_EQ(b->ops->find(b, "test", &domid, &paused), 0);
	CHECK_EQ(domid, test_id);
	CHECK(!paused);

	/* Pause, found paused; unpause. */
	ASK(b->ops->stop(b, 3, test_id, LC_PAUSE, NULL), 's');
	CHECK_EQ(rec.a, LC_PAUSE);
	CHECK_EQ(rec.err, 0);
	CHECK_EQ(state_of("test", NULL), VIR_DOMAIN_PAUSED);
	CHECK_EQ(b->ops->find(b, "test", &domid, &paused), 0);
	CHECK(paused);
	ASK(b->ops->unpause(b, 3, test_id, NULL), 'c');
	CHECK_EQ(rec.domid, test_id);
	CHECK_EQ(state_of("test", NULL), VIR_DOMAIN_RUNNING);
	/* An existing domain that is paused is unpaused by create. */
	ASK(b->ops->stop(b, 3, test_id, LC_PAUSE, NULL), 's');
	ASK(b->ops->create(b, 3, "", "test"), 'c');
	CHECK_EQ(rec.domid, test_id);
	CHECK_EQ(state_of("test", NULL), VIR_DOMAIN_RUNNING);

	/* Destroyed: shut off, not found; create starts it again, with a
	 * new id. */
	ASK(b->ops->stop(b, 3, test_id, LC_DESTROY, NULL), 's');
	CHECK_EQ(rec.a, LC_DESTROY);
	CHECK_EQ(rec.err, 0);
	CHECK_EQ(state_of("test", NULL), -1);
	CHECK_EQ(b->ops->find(b, "test", &domid, &paused), -ENOENT);
	ASK(b->ops->create(b, 3, "", "test"), 'c');
	CHECK_EQ(state_of("test", &id), VIR_DOMAIN_RUNNING);
	CHECK_EQ(rec.domid, id);
	CHECK(rec.domid != test_id);
	test_id = rec.domid;

	/* Shut down: asked, and reported. */
	ASK(b->ops->stop(b, 3, test_id, LC_SHUTDOWN, NULL), 's');
	CHECK_EQ(rec.a, LC_SHUTDOWN);
	CHECK_EQ(rec.err, 0);
	ASK(b->ops->create(b, 3, "", "test"), 'c');
	test_id = rec.domid;

	/* Suspend: saved, gone; restored from the file, which is spent. */
	ASK(b->ops->stop(b, 3, test_id, LC_SAVE, save), 's');
	CHECK_EQ(rec.a, LC_SAVE);
	CHECK_EQ(rec.err, 0);
	CHECK_EQ(access(save, R_OK), 0);
	CHECK_EQ(state_of("test", NULL), -1);
	ASK(b->ops->restore(b, 3, xlc, save), 'c');
	CHECK_EQ(state_of("test", &id), VIR_DOMAIN_RUNNING);
	CHECK_EQ(rec.domid, id);
	CHECK(access(save, F_OK) < 0);
	test_id = rec.domid;

	/* Errors: the reason comes in the report. */
	ASK(b->ops->create(b, 4, "", "nosuchdomain"), 'f');
	CHECK_EQ(rec.svc, 4);
	CHECK(strstr(rec.why, "no domain named nosuchdomain") != NULL);
	ASK(b->ops->stop(b, 4, 4000, LC_PAUSE, NULL), 's');
	CHECK_EQ(rec.a, LC_PAUSE);
	CHECK(rec.err != 0);
	/* a domain gone already is destroyed, as far as destroy goes */
	ASK(b->ops->stop(b, 4, 4000, LC_DESTROY, NULL), 's');
	CHECK_EQ(rec.a, LC_DESTROY);
	CHECK_EQ(rec.err, 0);
	ASK(b->ops->unpause(b, 4, 4000, NULL), 'f');
	ASK(b->ops->restore(b, 4, xlc, save), 'f');
	CHECK(strstr(rec.why, "save file") != NULL);
	/* A failed save destroys the domain, and says so. */
	ASK(b->ops->stop(b, 3, test_id, LC_SAVE, "/nonexistent/dir/x"), 's');
	CHECK_EQ(rec.a, LC_DESTROY);
	CHECK(rec.err != 0);
	CHECK_EQ(state_of("test", NULL), -1);
	/* The test driver cannot read xl configs (libxl's can). */
	ASK(b->ops->create(b, 5, xlc, ""), 'f');
	CHECK(strstr(rec.why, "not an xl config for libvirt") != NULL);
	ASK(b->ops->create(b, 5, "/nonexistent.cfg", ""), 'f');
	CHECK(strstr(rec.why, "/nonexistent.cfg") != NULL);

	/* A config's domain name, at once. */
	CHECK_EQ(b->ops->config_name(b, xml, name, sizeof(name)), 0);
	CHECK_STR(name, "hello");
	CHECK_EQ(b->ops->config_name(b, xlc, name, sizeof(name)), -ENOENT);

	/* A pool domain: created paused under its own name, then unpaused
	 * for the service (the test driver renames only inactive domains:
	 * the name stays, as backend.h allows). The test driver cannot
	 * start a domain paused: this is virt.c's pause-at-once fallback
	 * (libvirt's libxl driver starts it paused). */
	ASK(b->ops->create_paused(b, 5, 2, xml, "hello-pool-2"), 'p');
	CHECK_EQ(rec.slot, 2);
	CHECK_EQ(rec.err, 0);
	CHECK_EQ(state_of("hello-pool-2", &id), VIR_DOMAIN_PAUSED);
	CHECK_EQ(rec.domid, id);
	CHECK_EQ(state_of("hello", NULL), -1);
	CHECK_EQ(b->ops->find(b, "hello-pool-2", &domid, &paused), 0);
	CHECK(paused);
	ASK(b->ops->unpause(b, 5, id, "hello"), 'c');
	CHECK_EQ(rec.domid, id);
	CHECK_EQ(state_of("hello-pool-2", NULL) == VIR_DOMAIN_RUNNING ||
	    state_of("hello", NULL) == VIR_DOMAIN_RUNNING, 1);
	ASK(b->ops->stop(b, 5, id, LC_DESTROY, NULL), 's');
	CHECK_EQ(rec.err, 0);
	CHECK_EQ(state_of("hello-pool-2", NULL), -1);

	/* From a config: running at once, under the config's name. */
	ASK(b->ops->create(b, 6, xml, ""), 'c');
	CHECK_EQ(state_of("hello", &id), VIR_DOMAIN_RUNNING);
	CHECK_EQ(rec.domid, id);
	/* A restart (a second backend on the same driver): its adoption
	 * runs in its worker, and before a summon asked right after it,
	 * whose create takes the domain found over (no second domain). */
	memset(&ad, 0, sizeof(ad));
	CHECK_EQ(backend_virt_new(base, URI, false, &reports, NULL, &b2,
	    why, sizeof(why)), 0);
	if (!b2)
		return 1;
	{
		int n = rec.n;

		in_call = true;
		CHECK_EQ(b2->ops->adopt(b2, adopt_work, adopt_done, &ad), 0);
		CHECK_EQ(b2->ops->create(b2, 6, xml, ""), 0);
		in_call = false;
		/* two reports: the adoption's end, then the create's */
		wait_for(n + 2);
		CHECK_EQ(rec.kind, 'c');
		CHECK_EQ(rec.svc, 6);
		CHECK_EQ(rec.domid, id);
		CHECK_EQ(atomic_load(&ad.runs), 1);
		CHECK(atomic_load(&ad.off_loop));
		CHECK_EQ(ad.found, 0);
		CHECK_EQ(ad.domid, id);
		CHECK_EQ(state_of("hello", NULL), VIR_DOMAIN_RUNNING);
	}
	b2->ops->free(b2);
	/* Its domain left running (a stop that failed while libvirt was
	 * away): taken as it is, paused or not, not a create that fails on
	 * the name. */
	ASK(b->ops->create(b, 6, xml, ""), 'c');
	CHECK_EQ(rec.domid, id);
	ASK(b->ops->stop(b, 6, id, LC_PAUSE, NULL), 's');
	ASK(b->ops->create(b, 6, xml, ""), 'c');
	CHECK_EQ(rec.domid, id);
	CHECK_EQ(state_of("hello", NULL), VIR_DOMAIN_RUNNING);
	ASK(b->ops->stop(b, 6, id, LC_DESTROY, NULL), 's');

	/* The queue is bounded: with the loop not run, calls past it are
	 * refused, not queued; then every queued one reports. */
	{
		int n = rec.n, ok = 0, r = 0;

		in_call = true;
		while (ok < 10000 && (r = b->ops->unpause(b, 7, 4000,
		    NULL)) == 0)
			ok++;
		in_call = false;
		CHECK_EQ(r, -EAGAIN);
		CHECK(ok > 0 && ok < 10000);
		wait_for(n + ok);
		CHECK_EQ(rec.svc, 7);
		/* room again */
		ASK(b->ops->create(b, 3, "", "test"), 'c');
	}

	b->ops->free(b);
	virConnectClose(peek);
	event_base_free(base);
	unlink(xml);
	unlink(xlc);
	rmdir(dir);
	return CHECK_DONE();
}
