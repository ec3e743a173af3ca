/*
 * xenconsoled/pump.c in memory: the ring is a plain page, the guest is
 * the fake pvcons_notify (it writes again whenever we consume, as fast
 * as we read), the sink takes everything. Shows that a drain reads what
 * the ring held when it began (one ring at the most) and then goes back
 * to the loop, however fast the guest writes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <event2/event.h>

#include "check.h"
#include "console.h"
#include "logqueue.h"
#include "loop.h"

/* struct xencons_interface, as Xen lays it out. */
struct intf {
	char in[1024];
	char out[2048];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};

static struct event_base *base;
static struct intf page;
static int guest_floods;	/* the guest writes on each notification */
static uint64_t sunk;		/* bytes the sink took */
static unsigned int notifies;

static void
guest_write(size_t n)
{
	for (size_t i = 0; i < n; i++)
		page.out[(page.out_prod + i) % sizeof(page.out)] = 'x';
	page.out_prod += (uint32_t)n;
}

/* The fakes of what pump.c calls below it. */
int
pvcons_notify(struct pvcons *pc)
{
	notifies++;
	if (guest_floods && notifies < 100000)	/* else: the test is lost */
		guest_write(page.out_cons + sizeof(page.out) - page.out_prod);
	return 0;
}

void evtchn_hold(struct evtchn *e, evtchn_port_t local) { }
int evtchn_unmask(struct evtchn *e, evtchn_port_t local) { return 0; }
struct event_base *loop_base(struct loop *l) { return base; }
void lq_kick(struct lq *q) { }
void ring_detach(struct console *c) { c->ring.pc.page = NULL; }
void sink_note(struct console *c, const char *msg) { }
uint64_t sink_pending(struct console *c) { return 0; }

void
sink_progress(struct console *c, struct lq_state *st)
{
	memset(st, 0, sizeof(*st));
}

size_t
sink_put(struct console *c, const char *raw, size_t len, uint32_t at,
	 int flush, enum sink_wait *wait)
{
	*wait = SINK_TOOK;
	sunk += len;
	return len;
}

static struct console *
console(struct xcd *x)
{
	struct console *c = calloc(1, sizeof(*c));

	x->set.log = XCD_NONE;	/* consumed as read: the guest never waits */
	x->set.rate = 0;
	c->x = x;
	c->primary = c;
	CHECK(con_pump_init(c) == 0);
	memset(&page, 0, sizeof(page));
	c->ring.pc.page = &page;
	consring_out(&c->ring.out, &page);
	consring_in(&c->ring.in, &page);
	return c;
}

static void
release(struct console *c)
{
	con_pump_free(c);
	free(c);
}

/* A drain reads all that is there. */
static void
test_drain_all(void)
{
	struct xcd x = { 0 };
	struct console *c = console(&x);

	guest_floods = 0;
	sunk = notifies = 0;
	guest_write(1500);
	con_pump(c, 1);
	CHECK_EQ(sunk, 1500);
	CHECK_EQ(c->pump.rd, 1500);
	CHECK_EQ(page.out_cons, 1500);
	/* nothing left: no reason to come back */
	CHECK(!evtimer_pending(c->pump.timer, NULL));
	release(c);
}

/* A guest refilling the ring as we read: one ring, then the loop. */
static void
test_drain_flood(void)
{
	struct xcd x = { 0 };
	struct console *c = console(&x);

	guest_floods = 1;
	sunk = notifies = 0;
	guest_write(sizeof(page.out));
	con_pump(c, 1);
	CHECK(notifies < 100000);
	CHECK(sunk > 0);
	CHECK(sunk <= sizeof(page.out));
	/* the ring is full again: we come back from the loop */
	CHECK(evtimer_pending(c->pump.timer, NULL));
	/* the same as the end of a domain does */
	c->pump.ending = 1;
	c->pump.end_deadline = UINT64_MAX;
	sunk = 0;
	con_pump(c, 0);
	CHECK(sunk > 0 && sunk <= sizeof(page.out));
	guest_floods = 0;
	release(c);
}

/* A hostile producer index is not a budget. */
static void
test_drain_hostile(void)
{
	struct xcd x = { 0 };
	struct console *c = console(&x);

	guest_floods = 0;
	sunk = notifies = 0;
	page.out_prod = 1u << 31;
	con_pump(c, 1);
	CHECK_EQ(sunk, 0);
	CHECK(c->ring.hostile);
	release(c);
}

/*
 * A ring found full at its read: the writer waited on us, the next batch
 * waits less (down to a millisecond); a ring found less than half full
 * brings the wait back up. An event below half a ring arms that wait.
 */
static void
test_batch_adapts(void)
{
	struct xcd x = { 0 };
	struct console *c = console(&x);
	uint64_t first = c->pump.batch_ns, before;

	guest_floods = 0;
	sunk = notifies = 0;
	CHECK(first > 1000000);
	guest_write(sizeof(page.out));
	con_pump(c, 0);
	CHECK_EQ(sunk, sizeof(page.out));
	CHECK(c->pump.batch_ns < first);
	for (int i = 0; i < 10; i++) {
		guest_write(sizeof(page.out));
		con_pump(c, 0);
	}
	CHECK_EQ(c->pump.batch_ns, 1000000);
	/* an event with little in the ring: read after that wait */
	guest_write(100);
	before = rl_now_ns();
	con_on_evtchn(0, c);
	CHECK(evtimer_pending(c->pump.timer, NULL));
	CHECK(c->pump.timer_at >= before + c->pump.batch_ns);
	CHECK(c->pump.timer_at <= rl_now_ns() + c->pump.batch_ns);
	CHECK_EQ(page.out_cons, 11 * sizeof(page.out));
	/* a trickle: the wait grows back, no further */
	for (int i = 0; i < 10; i++) {
		guest_write(100);
		con_pump(c, 0);
	}
	CHECK_EQ(c->pump.batch_ns, first);
	release(c);
}

int
main(void)
{
	base = event_base_new();
	test_drain_all();
	test_drain_flood();
	test_drain_hostile();
	test_batch_adapts();
	event_base_free(base);
	return CHECK_DONE();
}
