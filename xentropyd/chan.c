/*
 * xentropyd: one guest's channel. A libxenvchan server whose event channel
 * fd sits in the loop; requests are parsed with the codec, answered from
 * getrandom(2) within the guest's token bucket, and drawn from getrandom
 * only as ring space frees (flush), so no output is ever buffered here.
 * Both rings are driven through vring: getrandom writes straight into the
 * ring, and each side is sent an event only when it waits for one.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <unistd.h>
#include <event2/event.h>
#include <libxenvchan.h>
#include <xenevtchn.h>

#include "log.h"
#include "loop.h"
#include "xstore.h"
#include "xentropyd.h"

#define PENALTY_MIN_MS 1000
#define PENALTY_MAX_MS 60000

static void
ms_to_tv(uint64_t ms, struct timeval *tv)
{
	tv->tv_sec = (time_t)(ms / 1000);
	tv->tv_usec = (suseconds_t)(ms % 1000) * 1000;
}

struct presence_txn {
	const char *base, *path, *value;
	uint32_t self, domid;
};

/*
 * Writes the presence key in one transaction with its permissions, so that
 * the guest never sees it unreadable: data/xentropy owned by the guest (it
 * writes its request there), data/xentropy/server owned by us and only
 * readable by the guest.
 */
static int
presence_write(struct xstore *xs, xs_transaction_t t, void *arg)
{
	struct presence_txn *p = arg;
	int r;

	if ((r = xstore_exists(xs, t, p->base)) < 0)
		return r;
	if (r == 0 && (r = xstore_write(xs, t, p->base, "")) < 0)
		return r;
	if ((r = xstore_set_perms(xs, t, p->base, p->domid, p->self,
	    false)) < 0)
		return r;
	if ((r = xstore_write(xs, t, p->path, p->value)) < 0)
		return r;
	return xstore_set_perms(xs, t, p->path, p->self, p->domid, false);
}

void
xe_guest_set_state(struct xe_guest *g, enum xe_state s)
{
	struct xentropyd *d = g->d;
	struct presence_txn p = { g->base, NULL, NULL, d->self, g->domid };
	char path[96], value[96];
	int r = 0;

	g->state = s;
	snprintf(path, sizeof(path), "%s/server", g->base);
	p.path = path;
	p.value = value;
	switch (s) {
	case XE_OFF:
		r = xstore_rm(d->xs, XBT_NULL, path);
		snprintf(path, sizeof(path), "%s/vchan", g->base);
		if (r == 0)
			r = xstore_rm(d->xs, XBT_NULL, path);
		break;
	case XE_IDLE:
		snprintf(value, sizeof(value), "%d %" PRIu32 " idle",
		    XENTROPY_VERSION, d->self);
		r = xstore_transact(d->xs, presence_write, &p);
		break;
	case XE_READY:
		snprintf(value, sizeof(value), "%d %" PRIu32 " ready %ld.%"
		    PRIu64, XENTROPY_VERSION, d->self, (long)getpid(), d->gen);
		r = xstore_transact(d->xs, presence_write, &p);
		break;
	case XE_WAIT:
		snprintf(value, sizeof(value), "%d %" PRIu32 " wait",
		    XENTROPY_VERSION, d->self);
		r = xstore_transact(d->xs, presence_write, &p);
		break;
	}
	if (r < 0 && g->running)
		log_dom(LOG_DEBUG, g->domid, g->name, "cannot update %s: %s",
		    path, strerror(-r));
}

/*
 * libxenvchan_server_init() of Xen 4.17 frees ctrl->xs_path, which it has
 * not initialised, when it fails before reaching xenstore. glibc hands out
 * the most recently freed chunk of a size first, so a zeroed chunk of that
 * size freed just before makes the stray pointer NULL.
 */
static struct libxenvchan *
vchan_server_init(uint32_t domid, const char *path, size_t ring)
{
	void *p = calloc(1, sizeof(struct libxenvchan));

	free(p);
	return libxenvchan_server_init(NULL, (int)domid, path, 0, ring);
}

static void on_event(evutil_socket_t fd, short what, void *arg);

int
xe_chan_open(struct xe_guest *g)
{
	struct xentropyd *d = g->d;
	struct libxenvchan *vc;
	char path[96];
	int err;

	if (g->vc)
		return 0;
	evtimer_del(g->timer);
	if (d->nchannels >= d->conf.max_guests) {
		log_dom(LOG_WARNING, g->domid, g->name, "not served: %u "
		    "channels open (max-guests)", d->nchannels);
		xe_guest_wait(g, 10000);
		return -ENOSPC;
	}
	snprintf(path, sizeof(path), "%s/vchan", g->base);
	/* Nodes of a predecessor that did not exit cleanly. */
	xstore_rm(d->xs, XBT_NULL, path);
	errno = 0;
	vc = vchan_server_init(g->domid, path, d->conf.ring_size);
	if (vc == NULL) {
		err = errno ? errno : EIO;
		log_dom(LOG_WARNING, g->domid, g->name, "cannot offer a "
		    "channel: %s", strerror(err));
		xe_guest_wait(g, 5000);
		return -err;
	}
	vc->blocking = 0;
	g->ev = event_new(loop_base(d->loop), libxenvchan_fd_for_select(vc),
	    EV_READ | EV_PERSIST, on_event, g);
	if (g->ev == NULL || event_add(g->ev, NULL) < 0) {
		if (g->ev)
			event_free(g->ev);
		g->ev = NULL;
		libxenvchan_close(vc);
		log_dom(LOG_WARNING, g->domid, g->name, "cannot watch the "
		    "channel");
		xe_guest_wait(g, 5000);
		return -ENOMEM;
	}
	g->vc = vc;
	sendring_init(&g->out, vc->write.shr, vc->write.buffer,
	    (unsigned int)vc->write.order, &vc->ring->srv_notify,
	    &vc->ring->cli_notify);
	recvring_init(&g->rq, vc->read.shr, vc->read.buffer,
	    (unsigned int)vc->read.order, &vc->ring->srv_notify,
	    &vc->ring->cli_notify);
	g->inlen = 0;
	g->out_left = 0;
	g->channels++;
	d->nchannels++;
	d->gen++;
	xe_guest_set_state(g, XE_READY);
	log_dom(LOG_DEBUG, g->domid, g->name, "channel offered at %s", path);
	return 0;
}

void
xe_chan_close(struct xe_guest *g)
{
	if (g->vc == NULL)
		return;
	event_free(g->ev);
	g->ev = NULL;
	event_del(g->kick);
	evtimer_del(g->timer);
	/* Also removes the ring-ref and event-channel nodes. */
	libxenvchan_close(g->vc);
	g->vc = NULL;
	g->inlen = 0;
	g->out_left = 0;
	g->d->nchannels--;
}

void
xe_guest_wait(struct xe_guest *g, uint64_t ms)
{
	struct timeval tv;

	xe_chan_close(g);
	xe_guest_set_state(g, XE_WAIT);
	ms_to_tv(ms, &tv);
	evtimer_add(g->timer, &tv);
}

void
xe_log_violation(struct xentropyd *d, const struct xe_guest *g,
		 const char *what, const char *msg, uint64_t again_ms)
{
	char again[48] = "", supp[64] = "";

	if (!rl_take_all(&d->logrl, 1, rl_now_ns())) {
		d->suppressed++;
		return;
	}
	if (again_ms)
		snprintf(again, sizeof(again), "; again in %" PRIu64 " ms",
		    again_ms);
	if (d->suppressed)
		snprintf(supp, sizeof(supp), " (%" PRIu64 " similar messages "
		    "suppressed)", d->suppressed);
	log_dom(LOG_WARNING, g->domid, g->name, "%s: %s%s%s", what, msg,
	    again, supp);
	d->suppressed = 0;
}

void
xe_chan_violation(struct xe_guest *g, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	g->errors++;
	g->penalty_ms = g->penalty_ms ? g->penalty_ms * 2 : PENALTY_MIN_MS;
	if (g->penalty_ms > PENALTY_MAX_MS)
		g->penalty_ms = PENALTY_MAX_MS;
	xe_log_violation(g->d, g, "closing channel", msg, g->penalty_ms);
	xe_guest_wait(g, g->penalty_ms);
}

int
xe_fill_random(uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, GRND_NONBLOCK);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		got += (size_t)r;
	}
	return 0;
}

/* getrandom(2) output into the ring's next n bytes. */
static int
fill_ring(struct sendring *r, size_t n)
{
	struct iovec iov[2];
	int k = sendring_slots(r, n, iov), err;

	for (int i = 0; i < k; i++)
		if ((err = xe_fill_random(iov[i].iov_base, iov[i].iov_len)) < 0)
			return err;
	sendring_advance(r, n);
	return 0;
}

/*
 * Shows the guest what was written, at once: a guest reading along need
 * not wait for the rest of this wakeup's answers. An event only if it
 * asked for one, and while we go on writing (SENDRING_BATCH) only once a
 * quarter of the ring came since the last: the guest reads faster than
 * getrandom(2) writes, and would otherwise cost an event per answer.
 */
static int
publish(struct xe_guest *g, int flags)
{
	if (sendring_publish(&g->out, flags) &&
	    xenevtchn_notify(g->vc->event, g->vc->event_port) < 0)
		return -errno;
	return 0;
}

/*
 * Writes what is left of the current answer's data as far as the ring has
 * room, drawing the bytes from getrandom(2) only as they go out, so that
 * nothing is buffered for a guest that does not read. Returns 1 when the
 * answer is complete, 0 when the ring is full (sendring asked for an event
 * when the guest reads), -errno on error.
 */
static int
flush(struct xe_guest *g)
{
	while (g->out_left) {
		int space = sendring_space(&g->out, g->out_left), err;
		size_t n = g->out_left;

		if (space < 0)
			return space;
		/*
		 * The guest tells us of each read, even of a 32-byte head:
		 * filling a sliver each time would cost a round trip per
		 * sliver, so wait for a quarter of the ring (or the rest).
		 */
		if ((size_t)space < n && (uint32_t)space < g->out.size / 4)
			return 0;
		if (n > (size_t)space)
			n = (size_t)space;
		if ((err = fill_ring(&g->out, n)) < 0 ||
		    (err = publish(g, SENDRING_BATCH)) < 0)
			return err;
		g->out_left -= (uint32_t)n;
		g->bytes += n;
	}
	return 1;
}

/*
 * Answers one parsed frame with its head; flush() writes the data as the
 * guest reads. Returns 1 when answered, 0 when the ring has no room for
 * the head yet, -errno on error.
 */
static int
answer(struct xe_guest *g, enum xentropy_parse p,
       const struct xentropy_req *req)
{
	uint8_t head[XENTROPY_RESP_HEAD], probe;
	uint32_t grant = 0, retry = 0;
	uint16_t status;
	int space = sendring_space(&g->out, XENTROPY_RESP_HEAD);

	if (space < 0)
		return space;
	if ((size_t)space < XENTROPY_RESP_HEAD)
		return 0;
	if (p == XENTROPY_P_REJECT) {
		status = req->status;
		g->errors++;
		log_dom(LOG_DEBUG, g->domid, g->name, "rejected: %s",
		    req->why);
	} else {
		g->requests++;
		xe_decide(&g->rl, req->count, rl_now_ns(), &grant, &retry);
		/*
		 * One byte tells whether the kernel's pool is ready; once it
		 * is, it stays so (the kernel never uninitialises it).
		 */
		if (grant && !g->d->pool_ready &&
		    xe_fill_random(&probe, 1) < 0) {
			grant = 0;
			retry = 1000;
			status = XENTROPY_UNAVAILABLE;
		} else {
			g->d->pool_ready |= grant != 0;
			status = grant ? XENTROPY_OK : XENTROPY_RATE_LIMITED;
			if (retry)
				g->throttled++;
		}
	}
	xentropy_encode_response(head, status, retry, grant);
	sendring_put(&g->out, head, sizeof(head));
	g->out_left = grant;
	if (status == XENTROPY_OK && retry == 0)
		g->penalty_ms = 0;
	return 1;
}

static const char *
ring_error(int err)
{
	return err == -EPROTO ? "impossible consumer index in the ring" :
	    "cannot write to the ring";
}

/*
 * Moves what the guest wrote into g->in, without asking for an event: while
 * we are busy answering we come back to the ring anyway, and a guest that
 * keeps its window of requests full would otherwise send one per request.
 */
static int
read_requests(struct xe_guest *g)
{
	int notify, r;

	if (g->inlen == sizeof(g->in))
		return 0;
	r = recvring_read(&g->rq, g->in + g->inlen, sizeof(g->in) - g->inlen,
	    &notify);
	if (r < 0)
		return r;
	g->inlen += (size_t)r;
	if (notify && xenevtchn_notify(g->vc->event, g->vc->event_port) < 0)
		return -errno;
	return 0;
}

/* Frames answered per wakeup before other guests get their turn. */
#define PUMP_BUDGET 32

static void
pump(struct xe_guest *g)
{
	struct xentropyd *d = g->d;
	int budget = PUMP_BUDGET, progress = 0;

	for (;;) {
		struct xentropy_req req;
		enum xentropy_parse p;
		uint32_t left = g->out_left;
		int r;

		r = flush(g);
		if (r < 0) {
			xe_chan_violation(g, "%s", ring_error(r));
			return;
		}
		if (g->out_left != left)
			progress = 1;
		if (r == 0)
			break;
		if ((r = read_requests(g)) < 0) {
			xe_chan_violation(g, "%s", r == -EPROTO ?
			    "impossible producer index in the ring" :
			    "cannot notify the guest");
			return;
		}
		p = xentropy_parse_request(g->in, g->inlen, &req);
		if (p == XENTROPY_P_MORE) {
			/* Idle until the guest writes: ask it to say so. */
			if ((r = recvring_arm(&g->rq)) < 0) {
				xe_chan_violation(g, "impossible producer "
				    "index in the ring");
				return;
			}
			if (r > 0 && g->inlen < sizeof(g->in))
				continue;
			break;
		}
		if (p == XENTROPY_P_FATAL) {
			xe_chan_violation(g, "%s", req.why);
			return;
		}
		if (budget-- == 0) {
			event_active(g->kick, 0, 0);
			break;
		}
		r = answer(g, p, &req);
		if (r < 0) {
			xe_chan_violation(g, "%s", ring_error(r));
			return;
		}
		if (r == 0)
			break;
		memmove(g->in, g->in + req.frame_len, g->inlen - req.frame_len);
		g->inlen -= req.frame_len;
		progress = 1;
	}
	/* Heads without data (refusals), and a deferred event */
	if (publish(g, 0) < 0) {
		xe_chan_violation(g, "cannot notify the guest");
		return;
	}
	if (libxenvchan_is_open(g->vc) == 0) {
		/* The client hung up (or died): offer a fresh channel. */
		uint64_t now = rl_now_ns();

		xe_chan_close(g);
		if (rl_take_all(&g->reopen, 1, now))
			xe_chan_open(g);
		else
			xe_guest_wait(g, rl_wait_ns(&g->reopen, 1, now) /
			    1000000 + 1);
		return;
	}
	if (g->inlen == 0 && g->out_left == 0) {
		evtimer_del(g->timer);
	} else if (progress || !evtimer_pending(g->timer, NULL)) {
		struct timeval tv;

		ms_to_tv(d->conf.frame_timeout_ms, &tv);
		evtimer_add(g->timer, &tv);
	}
}

static void
on_event(evutil_socket_t fd, short what, void *arg)
{
	struct xe_guest *g = arg;

	/* Readable, so this does not block: it consumes the pending port. */
	libxenvchan_wait(g->vc);
	pump(g);
}

static void
on_kick(evutil_socket_t fd, short what, void *arg)
{
	struct xe_guest *g = arg;

	if (g->vc)
		pump(g);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct xe_guest *g = arg;

	if (g->vc) {
		xe_chan_violation(g, "%s for more than %" PRIu64 " ms",
		    g->out_left || (g->inlen >= XENTROPY_HDR_LEN &&
		    xentropy_parse_request(g->in, g->inlen, &(struct
		    xentropy_req){ 0 }) != XENTROPY_P_MORE) ?
		    "responses not read" : "partial frame",
		    g->d->conf.frame_timeout_ms);
		return;
	}
	/* The end of XE_WAIT. */
	xe_guest_update(g);
}

struct xe_guest *
xe_guest_new(struct xentropyd *d, const struct dom_info *di)
{
	struct xe_guest *g = calloc(1, sizeof(*g));
	struct event_base *base = loop_base(d->loop);
	uint64_t now = rl_now_ns();

	if (g == NULL)
		return NULL;
	g->d = d;
	g->domid = di->domid;
	snprintf(g->name, sizeof(g->name), "%s", di->name);
	snprintf(g->base, sizeof(g->base), "/local/domain/%" PRIu32
	    "/data/xentropy", di->domid);
	g->kick = event_new(base, -1, 0, on_kick, g);
	g->timer = evtimer_new(base, on_timer, g);
	if (g->kick == NULL || g->timer == NULL) {
		if (g->kick)
			event_free(g->kick);
		if (g->timer)
			event_free(g->timer);
		free(g);
		return NULL;
	}
	rl_init(&g->rl, d->conf.rate, d->conf.burst, now);
	/* A client per run of xentropy-client: up to 20 at once, 5/s. */
	rl_init(&g->reopen, 5, 20, now);
	return g;
}

void
xe_guest_free(struct xe_guest *g)
{
	if (g == NULL)
		return;
	xe_chan_close(g);
	xe_legacy_close(g);
	event_free(g->kick);
	event_free(g->timer);
	free(g);
}
