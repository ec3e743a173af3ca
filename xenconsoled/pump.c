/*
 * Reading a console's ring into its log and pty.
 *
 * The ring itself is the first buffer: bytes are consumed only once the
 * log has them, so a slow sink leaves that guest's ring full (the guest
 * waits, nobody else does), a restart continues from the ring's consumer
 * index, and a rate-limited guest is simply read later.
 *
 * Logs are written by logqueue.c's threads, never here: the loop reads
 * the ring up to rd, and sink.c formats and queues; a writer writes or
 * sends; and the ring is consumed (cons) up to what the queue reports
 * out (con_written). So cons <= rd <= prod, and [cons, rd) is in the
 * queue.
 *
 * An ending console (shut down, crashed, destroyed) drains its ring into
 * the log, then gets its trailer line and maybe lets go of the ring.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "compiler.h"
#include "console.h"
#include "log.h"
#include "logqueue.h"
#include "loop.h"

/* Retry interval when the sink failed; when it was busy (-EAGAIN). */
#define CON_RETRY_MS 1000
#define CON_BUSY_MS 20
/* Xen's own limit: 30 events per 200 ms. */
#define XEN_RATE_EVENTS 150
#define XEN_RATE_BURST 30
/* Ring reads per wakeup before others get their turn. */
#define CON_ROUNDS 64
/*
 * A guest that writes fast notifies once per tty write (twice a line),
 * and reading on each notification costs a ring read, a log write, a
 * consume and a notification back per 100 bytes or so. Below half a ring
 * the read waits this long for more to come, with the port held (see
 * con_on_evtchn); at half a ring, as an event or the writer's progress
 * finds it, it is read at once. 3 ms: in bench/xenconsoled that reads
 * ~1.4 KiB a time at 0.32 MB/s, as fast as the guest writes there, for
 * 0.97 CPU s/MiB; 1 ms was no faster and cost 1.20.
 */
#define CON_BATCH_MS 3
/*
 * But a ring found full at its read means the writer waited on us for
 * part of that wait: it halves, down to the loop's clock tick (its timers
 * are whole milliseconds); a read that finds less than half a ring
 * doubles it again. In bench/xenconsoled a unikernel that writes as fast
 * as we read refilled its ring well within 3 ms, and with 3 ms per ring
 * we were its bottleneck.
 */
#define CON_BATCH_MIN_MS 1
/* A held port's fallback while its bytes are with a stalled writer. */
#define CON_INFLIGHT_MS 100
/* An ending console waits this long for its log to take the ring. */
#define CON_END_MS 10000
static void pump_check_end(struct console *c);
static void pump_unhold(struct console *c);
static void pump_arm_inflight(struct console *c);

static void
pump_arm(struct console *c, uint64_t ns)
{
	struct con_pump *p = &c->pump;
	struct timeval tv = { (time_t)(ns / 1000000000),
	    (suseconds_t)(ns % 1000000000 / 1000) };
	uint64_t at = rl_now_ns() + ns;

	/* The earliest wins: a 2 s partial-line wait must not delay a batch. */
	if (evtimer_pending(p->timer, NULL) && p->timer_at <= at)
		return;
	p->timer_at = at;
	evtimer_add(p->timer, &tv);
}

static void
pump_limited(struct console *c, int on)
{
	struct con_pump *p = &c->pump;
	uint64_t now;

	if (!on && p->limited_since == 0)
		return;		/* the common case, without a clock read */
	now = rl_now_ns();
	if (on && p->limited_since == 0)
		p->limited_since = now;
	else if (!on && p->limited_since) {
		p->limited_ns += now - p->limited_since;
		p->limited_since = 0;
	}
}

/*
 * The guest broke its ring's indices. A primary stops (not a xenbus
 * device: it stays mapped, unread, until the guest gives it a new ring),
 * a secondary is closed (hostile_ev). However often a guest resets its
 * console and tries again, its domain's limiter bounds the lines.
 */
static void
pump_hostile(struct console *c, const char *ring)
{
	c->ring.hostile = 1;
	if (c->pump.hostile_ev) {
		event_active(c->pump.hostile_ev, EV_TIMEOUT, 0);
		con_log(c, LOG_WARNING, "%s: hostile %s indices; closing it "
		    "until its frontend resets", c->label, ring);
	} else {
		con_log(c, LOG_WARNING, "hostile console %s indices; console "
		    "stopped", ring);
	}
}

/* Typed input: the pty's -> the guest's "in" ring. */
static void
pump_input(void *arg)
{
	struct console *c = arg;
	int n;

	if (c->pty.in_len == 0 || c->ring.pc.page == NULL || c->ring.hostile)
		return;
	n = consring_write(&c->ring.in, c->pty.inbuf, c->pty.in_len);
	if (n < 0) {
		pump_hostile(c, "input ring");
		return;
	}
	if (n > 0)
		pvcons_notify(&c->ring.pc);
	pty_input_taken(&c->pty, (size_t)n);
}

/* The pty's backlog has room again: keep mode may have waited. */
static void
pump_on_room(void *arg)
{
	con_pump(arg, 0);
}

static void
pump_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct console *c = arg;

	if (c->sink.q)
		lq_kick(c->sink.q);	/* a failed write is retried */
	pump_input(c);		/* the port may be held */
	con_pump(c, 0);
	pump_arm_inflight(c);
	pump_unhold(c);
}

int
con_pump_init(struct console *c)
{
	struct xcd *x = c->x;
	struct con_pump *p = &c->pump;

	if (x->set.rate_mode == XCD_RATE_XEN)
		rl_init(&p->rl, XEN_RATE_EVENTS, XEN_RATE_BURST, rl_now_ns());
	else
		rl_init(&p->rl, x->set.rate, x->set.burst, rl_now_ns());
	pty_init(&c->pty, pump_on_room, pump_input, c);
	p->batch_ns = CON_BATCH_MS * 1000000ULL;
	p->timer = evtimer_new(loop_base(x->loop), pump_on_timer, c);
	return p->timer ? 0 : -ENOMEM;
}

void
con_pump_free(struct console *c)
{
	if (c->pump.timer)
		event_free(c->pump.timer);
	c->pump.timer = NULL;
}

/* n more bytes are in the log: give the guest its ring space. */
static void
pump_consume(struct console *c, uint32_t n)
{
	struct con_pump *p = &c->pump;

	if (n == 0)
		return;
	consring_consume(&c->ring.out, p->cons, n);
	p->cons += n;
	p->bytes += n;
	p->notifies++;
	pvcons_notify(&c->ring.pc);
}

/*
 * Into the sink. A line sink's partial line waits for its end, but not
 * forever: CON_PARTIAL_MS, counted from when our own lines are out (the
 * guest may be unable to end its line only because they hold its ring
 * full; their progress brings us back, and a slow sink must not cut it).
 */
static size_t
pump_sink(struct console *c, const char *buf, size_t n, uint32_t at,
	  int flush)
{
	struct con_pump *p = &c->pump;
	enum sink_wait wait;
	size_t took = sink_put(c, buf, n, at, flush, &wait);

	if (wait != SINK_PARTIAL)
		return took;
	if (p->cons != p->rd) {
		p->partial_since = 0;
	} else {
		if (p->partial_since == 0)
			p->partial_since = rl_now_ns();
		pump_arm(c, CON_PARTIAL_MS * 1000000ULL);
	}
	return took;
}

/* See CON_BATCH_MIN_MS: what a read finds sets the next batch's wait. */
static void
pump_adapt(struct con_pump *p, uint32_t pend, uint32_t size)
{
	if (pend == size)
		p->batch_ns = XUD_MAX(p->batch_ns / 2,
		    CON_BATCH_MIN_MS * 1000000ULL);
	else if (pend < size / 2)
		p->batch_ns = XUD_MIN(p->batch_ns * 2,
		    CON_BATCH_MS * 1000000ULL);
}

/*
 * Moves what the ring holds into the sink and the pty. drain ignores the
 * rate limit and flushes partial lines: for a dying domain and our stop.
 */
void
con_pump(struct console *c, int drain)
{
	struct con_pump *p = &c->pump;
	char buf[CONSRING_OUT_SIZE];
	struct consring view;
	int keep = c->x->set.overflow_keep;
	uint32_t budget = 0;	/* drain: bytes left to read in this call */
	int rounds;

	if (c->ring.pc.page == NULL || c->ring.hostile) {
		pump_check_end(c);
		return;
	}
	drain |= p->ending;
	/* The ring as seen from our read index, not the consumer's. */
	view = c->ring.out;
	view.cons = &p->rd;
	/*
	 * A drain reads what the ring holds now, one ring at the most: a
	 * guest that writes as fast as we read (easy with logging off, where
	 * bytes are consumed as they are read) must not keep us here. What
	 * it writes meanwhile is read on the next pass of the loop.
	 */
	if (drain) {
		int32_t now = (int32_t)(*view.prod - p->rd);

		budget = now > 0 && (uint32_t)now <= view.size ? (uint32_t)now :
		    view.size;
	}
	for (rounds = 0; drain ? budget > 0 : rounds < CON_ROUNDS; rounds++) {
		int pend = consring_pending(&view), n;
		uint32_t at;
		size_t want, took;
		int flush;

		if (pend < 0)
			goto hostile;
		if (rounds == 0 && !drain)
			pump_adapt(p, (uint32_t)pend, view.size);
		if (drain)
			pend = XUD_MIN((uint32_t)pend, budget);
		if (c->x->stopping) {
			/* our stop drains what is there, not what comes */
			int32_t left = (int32_t)(p->stop_prod - p->rd);

			pend = left > 0 ? XUD_MIN(pend, left) : 0;
		}
		if (pend == 0)
			break;
		want = (size_t)pend;
		if (!drain && keep && pty_room(&c->pty) < want) {
			want = pty_room(&c->pty);
			if (want == 0)
				break;	/* pump_on_room resumes us */
		}
		if (!drain && p->rl.rate) {
			uint64_t now = rl_now_ns(), got;
			/*
			 * A limited guest is read in chunks of 512 bytes (or
			 * all it has), not in the few bytes each of its
			 * notifications brings tokens for: a flood costs a
			 * read per chunk, not per notification.
			 */
			uint64_t chunk = XUD_MIN(want, 512);

			if (c->x->set.rate_mode == XCD_RATE_XEN)
				got = rl_take(&p->rl, 1, now) ? want : 0;
			else if (rl_avail(&p->rl, now) < chunk)
				got = 0;
			else
				got = rl_take(&p->rl, want, now);
			if (got == 0) {
				pump_limited(c, 1);
				pump_arm(c, rl_wait_ns(&p->rl,
				    c->x->set.rate_mode == XCD_RATE_XEN ? 1 :
				    XUD_MIN(want, 512), now));
				break;
			}
			want = got;
		}
		pump_limited(c, 0);
		n = consring_peek(&view, buf, want, &at);
		if (n < 0)
			goto hostile;
		if (n == 0)
			break;
		flush = drain || (p->partial_since && rl_now_ns() -
		    p->partial_since >= CON_PARTIAL_MS * 1000000ULL);
		took = pump_sink(c, buf, (size_t)n, at, flush);
		/*
		 * A full ring without a newline can only be cut: the guest
		 * cannot end its line until we make room. A full ring with
		 * lines in it gives those, and the partial one waits.
		 */
		if (took == 0 && (uint32_t)pend == c->ring.out.size)
			took = pump_sink(c, buf, (size_t)n, at, 1);
		if (took == 0)
			break;	/* the queue's progress or a timer resumes us */
		p->partial_since = 0;
		p->reads++;
		pty_put(&c->pty, buf, took);
		p->rd += (uint32_t)took;
		budget -= drain ? (uint32_t)took : 0;
		if (c->sink.q == NULL)	/* not logged: nothing to wait for */
			pump_consume(c, (uint32_t)took);
		/*
		 * What the queue did not take (full, or a line sink's
		 * partial line) waits for the queue's progress, which
		 * resumes us. Without logging everything is taken.
		 */
		if (took < (size_t)n && c->sink.q != NULL)
			break;
	}
	/* fair to the others: go on later */
	if (drain ? budget == 0 && consring_pending(&view) > 0 :
	    rounds == CON_ROUNDS)
		pump_arm(c, 0);
	pump_check_end(c);
	return;
hostile:
	pump_hostile(c, "ring");
	pump_check_end(c);
}

/* Reads the ring now if it is half full (or must be), else soon. */
static void
pump_wake(struct console *c)
{
	struct consring view;
	int pend;

	if (c->ring.pc.page == NULL)
		return;
	view = c->ring.out;
	view.cons = &c->pump.rd;
	pend = consring_pending(&view);
	if (pend >= 0 && (uint32_t)pend < c->ring.out.size / 2 &&
	    !c->pump.ending && !c->x->stopping)
		pump_arm(c, c->pump.batch_ns);
	else
		con_pump(c, 0);
}

/* A writer made progress on this console's log (or failed). */
void
con_written(struct console *c)
{
	struct con_pump *p = &c->pump;
	struct lq_state st;

	sink_progress(c, &st);
	if (c->ring.pc.page && st.raw_valid) {
		uint32_t n = st.raw - p->cons;

		/* Only [cons, rd) is queued; anything else is not ours. */
		if (n <= p->rd - p->cons)
			pump_consume(c, n);
	}
	if (st.err == -EAGAIN)
		pump_arm(c, CON_BUSY_MS * 1000000ULL);
	else if (st.err && c->x->set.overflow_keep)
		pump_arm(c, CON_RETRY_MS * 1000000ULL);
	/* what came meanwhile waits for its batch too */
	pump_wake(c);
	pump_arm_inflight(c);
	pump_unhold(c);
}

/* Is the ring read again soon without an event (see con_on_evtchn)? */
static int
pump_may_hold(struct console *c)
{
	return c->sink.q && c->ring.pc.bound && !c->pump.ending &&
	    c->pump.partial_since == 0 && evtimer_pending(c->pump.timer, NULL);
}

/*
 * Bytes in flight to the writer: its progress reads the ring again. If
 * the sink is stalled, the timer still does, now and then, so that what
 * the queue has room for reaches the pty.
 */
static void
pump_arm_inflight(struct console *c)
{
	if (c->sink.q && c->pump.rd != c->pump.cons)
		pump_arm(c, CON_INFLIGHT_MS * 1000000ULL);
}

void
con_on_evtchn(evtchn_port_t port, void *arg)
{
	struct console *c = arg;

	c->pump.events++;
	pump_input(c);
	pump_wake(c);
	pump_arm_inflight(c);
	/*
	 * The ring is read again soon anyway: when the writer has the bytes
	 * read so far (con_written), or when the batch timer fires. Till
	 * then the guest's notifications, one or two per line from Linux's
	 * hvc_xen, need not wake us (one system call each, and as many
	 * upcalls): what the guest writes meanwhile is read in one go. Not
	 * while a partial line waits for the guest's next bytes.
	 */
	if (pump_may_hold(c)) {
		evtchn_hold(c->x->ev, port);
		c->ring.held = 1;
	}
}

/*
 * After a read: a held port stays masked while the ring will be read again
 * anyway (so a busy guest costs no event per batch); else it is unmasked,
 * and a notification that came meanwhile arrives now.
 */
static void
pump_unhold(struct console *c)
{
	if (!c->ring.held || pump_may_hold(c))
		return;
	c->ring.held = 0;
	if (c->ring.pc.bound)
		evtchn_unmask(c->x->ev, c->ring.pc.local);
}

/* Our stop: drain what the ring holds now into the log. */
void
con_drain_for_stop(struct console *c)
{
	if (c->ring.pc.page)
		c->pump.stop_prod = *c->ring.out.prod;
	con_pump(c, 1);
}

/* Bytes our stop still waits for: unlogged ring bytes, queued bytes. */
uint64_t
con_stop_left(struct console *c)
{
	struct con_pump *p = &c->pump;
	uint64_t left = 0;

	if (c->ring.pc.page && !c->ring.hostile &&
	    (int32_t)(p->stop_prod - p->cons) > 0)
		left += (uint32_t)(p->stop_prod - p->cons);
	return left + sink_pending(c);
}

static void
pump_trailer(struct console *c, const char *what, uint32_t lost)
{
	char msg[256], extra[64] = "";
	uint32_t prod = 0, cons = 0;

	if (c->pump.trailer)
		return;
	c->pump.trailer = 1;
	if (c->ring.pc.page) {
		prod = *c->ring.out.prod;
		cons = c->pump.rd;	/* read; the log has it all or soon */
	}
	if (lost)
		snprintf(extra, sizeof(extra), "; %u bytes not logged "
		    "(log stalled)", lost);
	snprintf(msg, sizeof(msg), "[xenconsoled: domain %u (%s) %s; ring "
	    "out_prod=%u out_cons=%u%s]", c->domid, c->name, what, prod, cons,
	    extra);
	sink_note(c, msg);
	con_log(c, lost ? LOG_WARNING : LOG_INFO,
	    "console closed: %s%s", what, extra);
}

/*
 * An ending console drains its ring (ignoring the rate limit) into its
 * log, then gets its trailer and, if the domain is going, lets go of the
 * ring. A log that does not take the ring within CON_END_MS (a stalled
 * disk) is given up on, and the trailer says how much was lost.
 */
static void
pump_check_end(struct console *c)
{
	struct con_pump *p = &c->pump;
	uint32_t lost = 0;

	if (!p->ending)
		return;
	if (c->ring.pc.page && !c->ring.hostile) {
		int32_t left = (int32_t)(*c->ring.out.prod - p->rd);
		uint64_t now = rl_now_ns();

		if (left > 0 && now < p->end_deadline) {
			pump_arm(c, XUD_MIN(p->end_deadline - now,
			    CON_RETRY_MS * 1000000ULL));
			return;
		}
		if (left > 0)
			lost = (uint32_t)left;
	}
	p->ending = 0;
	pump_trailer(c, p->end_what, lost);
	pump_limited(c, 0);
	if (p->end_detach)
		ring_detach(c);
}

void
con_end(struct console *c, const char *what, int detach)
{
	struct con_pump *p = &c->pump;

	if (!p->ending && !p->trailer) {
		snprintf(p->end_what, sizeof(p->end_what), "%s", what);
		p->end_deadline = rl_now_ns() + CON_END_MS * 1000000ULL;
	}
	p->end_detach |= detach;
	p->ending = 1;
	p->shut = 1;
	con_pump(c, 1);
}

void
con_end_now(struct console *c)
{
	if (!c->pump.ending)
		return;
	c->pump.end_deadline = 0;
	pump_check_end(c);
}
