/*
 * xcd-hostile: a secondary PV console's frontend played from a guest's
 * userspace (guest/gfront.c), that breaks its ring (lab test program).
 *
 *   xcd-hostile DEVICE-DIR TAG [reset]
 *
 * Connects device/console/<n> as Linux's hvc_xen would (one page as a
 * struct xencons_interface, its grant in ring-ref, an unbound port in
 * port, Initialised, then Connected once the backend is), writes
 * "TAG before" and waits until the backend has consumed it, then writes
 * impossible indices (out_prod - out_cons > sizeof(out)) and notifies.
 * Once the backend is Closing or Closed it prints "TAG after attack" on
 * its own stdout (the primary console), acknowledges (Closed) and waits
 * for the backend's Closed. With "reset" it then starts over like a
 * driver reloading: Initialising, a fresh page and port, sane indices,
 * and writes "TAG-again 000001" .. "TAG-again 000100", waiting until the
 * backend has consumed them.
 *
 * Progress goes to data/xcd-hostile: connected, consumed, closed (and
 * data/xcd-closing: the first of Closing or Closed it saw), acked,
 * reconnected, done (or "error: ..."). Before the attack it waits for
 * data/xcd-go to read 1, and before the reset for 2, so that dom0 can
 * look at the daemon in between. The kernel's hvc_xen leaves the
 * device alone when n ends in 0: it takes the last digit as the console
 * number, and number 0 is the primary's.
 * Exit: 0 ok, 1 error, 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xen/io/console.h>
#include <xen/io/xenbus.h>

#include "gfront.h"

#define T 60000		/* ms for each wait */
#define AGAIN_LINES 100

struct fe {
	struct gfront *f;
	const char *dir;
	char be[256];
	struct xencons_interface *intf;
	evtchn_port_t port;
};

static int
report(struct fe *e, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "xcd-hostile: %s\n", msg);
	gfront_write(e->f, "data", "xcd-hostile", msg);
	return strncmp(msg, "error", 5) == 0 ? 1 : 0;
}

static int
set_state(struct fe *e, int state)
{
	char v[16];
	int r;

	snprintf(v, sizeof(v), "%d", state);
	if ((r = gfront_write(e->f, e->dir, "state", v)) < 0)
		return report(e, "error: state %d: %s", state, strerror(-r));
	return 0;
}

/* Shares a fresh ring page and port, goes Initialised, then Connected. */
static int
connect_ring(struct fe *e)
{
	char v[32];
	uint32_t ref;
	void *p;
	int r;

	if ((r = gfront_wait_int(e->f, e->be, "state", XenbusStateInitWait,
	    T)) < 0)
		return report(e, "error: backend not InitWait: %s",
		    strerror(-r));
	if ((r = gfront_share(e->f, 1, &ref, &p)) < 0 ||
	    (r = gfront_port(e->f, &e->port)) < 0)
		return report(e, "error: page or port: %s", strerror(-r));
	e->intf = p;
	snprintf(v, sizeof(v), "%u", ref);
	if ((r = gfront_write(e->f, e->dir, "ring-ref", v)) < 0)
		return report(e, "error: ring-ref: %s", strerror(-r));
	snprintf(v, sizeof(v), "%u", e->port);
	if ((r = gfront_write(e->f, e->dir, "port", v)) < 0)
		return report(e, "error: port: %s", strerror(-r));
	if (set_state(e, XenbusStateInitialised))
		return 1;
	if ((r = gfront_wait_int(e->f, e->be, "state", XenbusStateConnected,
	    T)) < 0)
		return report(e, "error: backend not Connected: %s",
		    strerror(-r));
	return set_state(e, XenbusStateConnected);
}

/* Waits until the backend consumed all the ring holds. */
static int
drained(struct fe *e)
{
	volatile struct xencons_interface *in = e->intf;
	struct timespec ts = { 0, 20 * 1000000L };

	for (int i = 0; i < T / 20; i++) {
		if (in->out_cons == in->out_prod)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

/* Puts s into the out ring, waiting for room. */
static int
put(struct fe *e, const char *s)
{
	volatile struct xencons_interface *in = e->intf;
	size_t len = strlen(s);
	struct timespec ts = { 0, 5 * 1000000L };

	while (len > 0) {
		XENCONS_RING_IDX cons = in->out_cons, prod = in->out_prod;
		size_t room = sizeof(in->out) - (prod - cons), i;

		if (room == 0) {
			nanosleep(&ts, NULL);
			continue;
		}
		for (i = 0; i < len && i < room; i++)
			in->out[MASK_XENCONS_IDX(prod + i, in->out)] = s[i];
		__sync_synchronize();	/* the bytes before the index */
		in->out_prod = prod + (XENCONS_RING_IDX)i;
		gfront_notify(e->f, e->port);
		s += i;
		len -= i;
	}
	return 0;
}

/* Waits for dom0's go-ahead number n. */
static int
go(struct fe *e, long n)
{
	int r = gfront_wait_int(e->f, "data", "xcd-go", n, T);

	return r < 0 ? report(e, "error: no go-ahead %ld: %s", n,
	    strerror(-r)) : 0;
}

/* The backend's state once it is Closing or Closed, or -ETIMEDOUT. */
static long
backend_closing(struct fe *e)
{
	long s;

	for (int i = 0; i < T / 20; i++) {
		struct timespec ts = { 0, 20 * 1000000L };

		if (gfront_read_int(e->f, e->be, "state", &s) == 0 &&
		    (s == XenbusStateClosing || s == XenbusStateClosed))
			return s;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

int
main(int argc, char **argv)
{
	struct fe e = { 0 };
	char line[128];
	const char *tag;
	volatile struct xencons_interface *in;
	int reset, r;
	long closing;

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "reset"))) {
		fprintf(stderr, "usage: xcd-hostile DEVICE-DIR TAG [reset]\n");
		return 2;
	}
	e.dir = argv[1];
	tag = argv[2];
	reset = argc == 4;
	if ((r = gfront_open(0, &e.f)) < 0) {
		fprintf(stderr, "xcd-hostile: open: %s\n", strerror(-r));
		return 1;
	}
	if ((r = gfront_read(e.f, e.dir, "backend", e.be, sizeof(e.be))) < 0)
		return report(&e, "error: no backend: %s", strerror(-r));
	if (connect_ring(&e))
		return 1;
	report(&e, "connected");

	snprintf(line, sizeof(line), "%s before\n", tag);
	put(&e, line);
	if (drained(&e) < 0)
		return report(&e, "error: the backend did not consume");
	report(&e, "consumed");
	if (go(&e, 1))
		return 1;

	/* One read of out_cons, then a producer index a ring cannot have. */
	in = e.intf;
	in->out_prod = in->out_cons + (XENCONS_RING_IDX)sizeof(in->out) + 1;
	__sync_synchronize();
	gfront_notify(e.f, e.port);
	if ((closing = backend_closing(&e)) < 0)
		return report(&e, "error: the backend did not close");
	printf("%s after attack\n", tag);
	fflush(stdout);
	/* Closing first (we have not agreed yet), as a backend should. */
	snprintf(line, sizeof(line), "%ld", closing);
	gfront_write(e.f, "data", "xcd-closing", line);
	report(&e, "closed");
	if (set_state(&e, XenbusStateClosed))
		return 1;
	if ((r = gfront_wait_int(e.f, e.be, "state", XenbusStateClosed,
	    T)) < 0)
		return report(&e, "error: backend not Closed: %s",
		    strerror(-r));
	report(&e, "acked");
	if (!reset)
		return 0;
	if (go(&e, 2))
		return 1;

	/* The backend let go of both: a driver reload starts afresh. */
	gfront_unbind(e.f, e.port);
	gfront_unshare(e.f, e.intf);
	if (set_state(&e, XenbusStateInitialising) || connect_ring(&e))
		return 1;
	report(&e, "reconnected");
	for (int i = 1; i <= AGAIN_LINES; i++) {
		snprintf(line, sizeof(line), "%s-again %06d\n", tag, i);
		put(&e, line);
	}
	if (drained(&e) < 0)
		return report(&e, "error: the backend did not consume again");
	report(&e, "done");
	gfront_close(e.f);
	return 0;
}
