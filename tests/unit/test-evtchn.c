/*
 * lib/evtchn against a fake xenevtchn that behaves like the Linux driver
 * (fake-evtchn.c). Shows that a port is
 * unmasked after its callback, that a held port stays masked (the peer's
 * notifications meanwhile wake nobody) and that evtchn_unmask delivers
 * them as one; one port per wakeup; unbinding from the callback; a
 * handle opened under a name (evtchn_open_named), the thread's own name
 * back after.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <event2/event.h>

#include "check.h"
#include "evtchn.h"
#include "fake-evtchn.h"

/* --- the test ---------------------------------------------------------- */

struct port {
	struct evtchn *e;
	evtchn_port_t local;
	int calls, hold, unbind;
};

static void
on_port(evtchn_port_t p, void *arg)
{
	struct port *s = arg;

	CHECK_EQ(p, s->local);
	s->calls++;
	if (s->hold)
		evtchn_hold(s->e, p);
	if (s->unbind)
		evtchn_unbind(s->e, p);
}

/* Runs the loop until nothing is ready. */
static void
settle(struct event_base *base)
{
	for (int i = 0; i < 16; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
}

int
main(void)
{
	struct event_base *base = event_base_new();
	struct port a = { 0 }, b = { 0 };
	xenevtchn_handle *h;
	struct evtchn *e;
	int before;

	CHECK(base != NULL);
	CHECK_EQ(evtchn_open(base, &e), 0);
	h = evtchn_handle(e);
	CHECK(fcntl(h->rd, F_GETFL) & O_NONBLOCK);
	a.e = b.e = e;
	CHECK_EQ(evtchn_bind_interdomain(e, 1, 7, on_port, &a, &a.local), 0);
	CHECK_EQ(evtchn_bind_unbound(e, 2, on_port, &b, &b.local), 0);
	CHECK_EQ(evtchn_count(e), 2);

	/* A notification: one callback, then the port is unmasked. */
	fake_evtchn_fire(h, a.local);
	settle(base);
	CHECK_EQ(a.calls, 1);
	CHECK_EQ(h->masked[a.local], 0);
	CHECK_EQ(h->unmasks[a.local], 1);

	/* One port per wakeup: a single pass of the loop serves one. */
	fake_evtchn_fire(h, a.local);
	fake_evtchn_fire(h, b.local);
	event_base_loop(base, EVLOOP_NONBLOCK);
	CHECK_EQ(a.calls + b.calls, 3);
	settle(base);
	CHECK_EQ(a.calls, 2);
	CHECK_EQ(b.calls, 1);

	/* Held: stays masked; what the peer sends meanwhile wakes nobody. */
	a.hold = 1;
	fake_evtchn_fire(h, a.local);
	settle(base);
	CHECK_EQ(a.calls, 3);
	CHECK_EQ(h->masked[a.local], 1);
	a.hold = 0;
	fake_evtchn_fire(h, a.local);
	fake_evtchn_fire(h, a.local);
	settle(base);
	CHECK_EQ(a.calls, 3);
	/* Unmasking delivers them, as one. */
	CHECK_EQ(evtchn_unmask(e, a.local), 0);
	settle(base);
	CHECK_EQ(a.calls, 4);
	CHECK_EQ(h->masked[a.local], 0);
	/* Held with nothing sent meanwhile: unmasking delivers nothing. */
	a.hold = 1;
	fake_evtchn_fire(h, a.local);
	settle(base);
	a.hold = 0;
	CHECK_EQ(evtchn_unmask(e, a.local), 0);
	settle(base);
	CHECK_EQ(a.calls, 5);

	/* Unbound from its own callback: forgotten, and not unmasked. */
	b.unbind = 1;
	fake_evtchn_fire(h, b.local);
	before = h->unmasks[b.local];
	settle(base);
	CHECK_EQ(b.calls, 2);
	CHECK_EQ(h->unmasks[b.local], before);
	CHECK_EQ(h->bound[b.local], 0);
	CHECK_EQ(evtchn_count(e), 1);

	evtchn_close(e);

	/* The interrupts' name: the opener's, ours again after. */
	{
		char before_name[16] = "", after_name[16] = "";
		struct evtchn *n;

		prctl(PR_GET_NAME, before_name);
		CHECK_EQ(evtchn_open_named(base, "vif7.0-q1", &n), 0);
		CHECK_STR(evtchn_handle(n)->opener, "vif7.0-q1");
		prctl(PR_GET_NAME, after_name);
		CHECK_STR(after_name, before_name);
		CHECK(strcmp(after_name, "vif7.0-q1") != 0);
		evtchn_close(n);
	}
	event_base_free(base);
	return CHECK_DONE();
}
