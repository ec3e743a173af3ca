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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <event2/event.h>

#include "log.h"
#include "ratelimit.h"
#include "entropy.h"
#include "policy.h"
#include "xentropy_proto.h"
#include "vchan417.h"
#include "vring.h"
#include "chan.h"

struct xe_chan {
	struct xe_chan_cfg cfg;
	struct libxenvchan *vc;
	struct sendring out;	/* vc's ring to the guest, written here */
	struct recvring rq;	/* vc's ring from the guest, read here */
	struct event *ev;	/* the channel's event channel fd */
	struct event *kick;	/* resumes work left over for fairness */
	struct event *timer;	/* frame deadline */
	uint8_t in[XENTROPY_MAX_IN_FRAME];
	size_t inlen;
	uint32_t out_left;	/* data of the current answer still to write */
	int served;		/* a request was granted in full */
};

static void
ms_to_tv(uint64_t ms, struct timeval *tv)
{
	tv->tv_sec = (time_t)(ms / 1000);
	tv->tv_usec = (suseconds_t)(ms % 1000) * 1000;
}

/* The last thing the channel does on its way out: the owner closes it. */
static void
chan_end(struct xe_chan *c, enum xe_chan_end why, const char *msg)
{
	int served = c->served;

	c->served = 0;
	c->cfg.ops->ended(c->cfg.arg, why, msg, served);
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
publish(struct xe_chan *c, int flags)
{
	if (sendring_publish(&c->out, flags) &&
	    vchan417_notify(c->vc) < 0)
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
flush(struct xe_chan *c)
{
	while (c->out_left) {
		int space = sendring_space(&c->out, c->out_left), err;
		size_t n = c->out_left;

		if (space < 0)
			return space;
		/*
		 * The guest tells us of each read, even of a 32-byte head:
		 * filling a sliver each time would cost a round trip per
		 * sliver, so wait for a quarter of the ring (or the rest).
		 */
		if ((size_t)space < n && (uint32_t)space < c->out.size / 4)
			return 0;
		if (n > (size_t)space)
			n = (size_t)space;
		if ((err = fill_ring(&c->out, n)) < 0 ||
		    (err = publish(c, SENDRING_BATCH)) < 0)
			return err;
		c->out_left -= (uint32_t)n;
		c->cfg.counts->bytes += n;
	}
	return 1;
}

/*
 * Answers one parsed frame with its head; flush() writes the data as the
 * guest reads. Returns 1 when answered, 0 when the ring has no room for
 * the head yet, -errno on error.
 */
static int
answer(struct xe_chan *c, enum xentropy_parse p,
       const struct xentropy_req *req)
{
	uint8_t head[XENTROPY_RESP_HEAD], probe;
	uint32_t grant = 0, retry = 0;
	uint16_t status;
	int space = sendring_space(&c->out, XENTROPY_RESP_HEAD);

	if (space < 0)
		return space;
	if ((size_t)space < XENTROPY_RESP_HEAD)
		return 0;
	if (p == XENTROPY_P_REJECT) {
		status = req->status;
		char msg[128];

		c->cfg.counts->errors++;
		snprintf(msg, sizeof(msg), "rejected: %s", req->why);
		c->cfg.ops->say(c->cfg.arg, LOG_DEBUG, msg);
	} else {
		c->cfg.counts->requests++;
		xe_decide(c->cfg.rl, req->count, rl_now_ns(), &grant, &retry);
		/*
		 * One byte tells whether the kernel's pool is ready; once it
		 * is, it stays so (the kernel never uninitialises it).
		 */
		if (grant && !*c->cfg.pool_ready &&
		    xe_fill_random(&probe, 1) < 0) {
			grant = 0;
			retry = 1000;
			status = XENTROPY_UNAVAILABLE;
		} else {
			*c->cfg.pool_ready |= grant != 0;
			status = grant ? XENTROPY_OK : XENTROPY_RATE_LIMITED;
			if (retry)
				c->cfg.counts->throttled++;
		}
	}
	xentropy_encode_response(head, status, retry, grant);
	sendring_put(&c->out, head, sizeof(head));
	c->out_left = grant;
	if (status == XENTROPY_OK && retry == 0)
		c->served = 1;
	return 1;
}

static const char *
ring_error(int err)
{
	return err == -EPROTO ? "impossible consumer index in the ring" :
	    "cannot write to the ring";
}

/*
 * Moves what the guest wrote into c->in, without asking for an event: while
 * we are busy answering we come back to the ring anyway, and a guest that
 * keeps its window of requests full would otherwise send one per request.
 */
static int
read_requests(struct xe_chan *c)
{
	int notify, r;

	if (c->inlen == sizeof(c->in))
		return 0;
	r = recvring_read(&c->rq, c->in + c->inlen, sizeof(c->in) - c->inlen,
	    &notify);
	if (r < 0)
		return r;
	c->inlen += (size_t)r;
	if (notify && vchan417_notify(c->vc) < 0)
		return -errno;
	return 0;
}

/* Frames answered per wakeup before other guests get their turn. */
#define PUMP_BUDGET 32

static void
pump(struct xe_chan *c)
{
	int budget = PUMP_BUDGET, progress = 0;

	for (;;) {
		struct xentropy_req req;
		enum xentropy_parse p;
		uint32_t left = c->out_left;
		int r;

		r = flush(c);
		if (r < 0) {
			chan_end(c, XE_CHAN_BROKEN, ring_error(r));
			return;
		}
		if (c->out_left != left)
			progress = 1;
		if (r == 0)
			break;
		if ((r = read_requests(c)) < 0) {
			chan_end(c, XE_CHAN_BROKEN, r == -EPROTO ?
			    "impossible producer index in the ring" :
			    "cannot notify the guest");
			return;
		}
		p = xentropy_parse_request(c->in, c->inlen, &req);
		if (p == XENTROPY_P_MORE) {
			/* Idle until the guest writes: ask it to say so. */
			if ((r = recvring_arm(&c->rq)) < 0) {
				chan_end(c, XE_CHAN_BROKEN, "impossible "
				    "producer index in the ring");
				return;
			}
			if (r > 0 && c->inlen < sizeof(c->in))
				continue;
			break;
		}
		if (p == XENTROPY_P_FATAL) {
			chan_end(c, XE_CHAN_BROKEN, req.why);
			return;
		}
		if (budget-- == 0) {
			event_active(c->kick, 0, 0);
			break;
		}
		r = answer(c, p, &req);
		if (r < 0) {
			chan_end(c, XE_CHAN_BROKEN, ring_error(r));
			return;
		}
		if (r == 0)
			break;
		memmove(c->in, c->in + req.frame_len, c->inlen - req.frame_len);
		c->inlen -= req.frame_len;
		progress = 1;
	}
	/* Heads without data (refusals), and a deferred event */
	if (publish(c, 0) < 0) {
		chan_end(c, XE_CHAN_BROKEN, "cannot notify the guest");
		return;
	}
	if (vchan417_state(c->vc) == VCHAN417_GONE) {
		chan_end(c, XE_CHAN_HUNGUP, NULL);
		return;
	}
	if (c->inlen == 0 && c->out_left == 0) {
		evtimer_del(c->timer);
	} else if (progress || !evtimer_pending(c->timer, NULL)) {
		struct timeval tv;

		ms_to_tv(c->cfg.frame_timeout_ms, &tv);
		evtimer_add(c->timer, &tv);
	}
}

static void
on_event(evutil_socket_t fd, short what, void *arg)
{
	struct xe_chan *c = arg;

	/* Readable, so this does not block: it consumes the pending port. */
	vchan417_ack(c->vc);
	pump(c);
}

static void
on_kick(evutil_socket_t fd, short what, void *arg)
{
	pump(arg);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct xe_chan *c = arg;
	char msg[96];

	snprintf(msg, sizeof(msg), "%s for more than %" PRIu64 " ms",
	    c->out_left || (c->inlen >= XENTROPY_HDR_LEN &&
	    xentropy_parse_request(c->in, c->inlen, &(struct xentropy_req){
	    0 }) != XENTROPY_P_MORE) ? "responses not read" : "partial frame",
	    c->cfg.frame_timeout_ms);
	chan_end(c, XE_CHAN_BROKEN, msg);
}

int
xe_chan_open(const struct xe_chan_cfg *cfg, struct xe_chan **out)
{
	struct xe_chan *c = calloc(1, sizeof(*c));
	int err;

	if (c == NULL)
		return -ENOMEM;
	c->cfg = *cfg;
	errno = 0;
	c->vc = vchan417_server_init(cfg->domid, cfg->path, cfg->ring_size);
	if (c->vc == NULL) {
		err = errno ? -errno : -EIO;
		free(c);
		return err;
	}
	c->ev = event_new(cfg->base, vchan417_fd(c->vc), EV_READ | EV_PERSIST,
	    on_event, c);
	c->kick = event_new(cfg->base, -1, 0, on_kick, c);
	c->timer = evtimer_new(cfg->base, on_timer, c);
	if (c->ev == NULL || c->kick == NULL || c->timer == NULL ||
	    event_add(c->ev, NULL) < 0) {
		xe_chan_close(c);
		return -ENOMEM;
	}
	vchan417_rings(c->vc, &c->out, &c->rq);
	*out = c;
	return 0;
}

void
xe_chan_close(struct xe_chan *c)
{
	if (c == NULL)
		return;
	if (c->ev)
		event_free(c->ev);
	if (c->kick)
		event_free(c->kick);
	if (c->timer)
		event_free(c->timer);
	/* Also removes the ring-ref and event-channel nodes. */
	vchan417_close(c->vc);
	free(c);
}

const char *
xe_chan_state(const struct xe_chan *c)
{
	if (c == NULL)
		return "closed";
	return vchan417_state(c->vc) == VCHAN417_OFFERED ? "offered" :
	    "connected";
}
