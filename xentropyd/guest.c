/*
 * xentropyd's guests; see guest.h. Everything a guest's domain, its
 * request key and its channels' reports change is decided here: whether
 * it is served, what its presence key says, when a channel is offered
 * again, and which of its log lines go out.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <event2/event.h>

#include "domlog.h"
#include "log.h"
#include "loop.h"
#include "xstore.h"
#include "chan.h"
#include "xentropy_proto.h"
#include "status.h"
#include "guest.h"

#define PENALTY_MIN_MS 1000
#define PENALTY_MAX_MS 60000

static void guest_update(struct xe_guest *g);

/*
 * Every line a guest can cause (a violation, a handshake, a request, a
 * shortage) goes through its own limiter (lib/domlog.h): no guest can
 * flood the log, and none can silence another's lines.
 */
#define guest_log(g, prio, ...) \
	log_dom_rl(&(g)->log, (prio), (g)->domid, (g)->name, __VA_ARGS__)

int
xe_legacy_wanted(const struct xentropyd *d)
{
	return d->legacy_opt || d->conf.legacy;
}

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

static void
guest_set_state(struct xe_guest *g, enum xe_state s)
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
		guest_log(g, LOG_DEBUG, "cannot update %s: %s", path,
		    strerror(-r));
}

static void
chan_close(struct xe_guest *g)
{
	if (g->chan == NULL)
		return;
	xe_chan_close(g->chan);
	g->chan = NULL;
	g->d->nchannels--;
}

static void
guest_wait(struct xe_guest *g, uint64_t ms)
{
	struct timeval tv;

	chan_close(g);
	guest_set_state(g, XE_WAIT);
	ms_to_tv(ms, &tv);
	evtimer_add(g->timer, &tv);
}

static int chan_open(struct xe_guest *g);

static void
chan_ended(void *arg, enum xe_chan_end why, const char *msg, int served)
{
	struct xe_guest *g = arg;
	uint64_t now = rl_now_ns();

	if (served)
		g->penalty_ms = 0;
	chan_close(g);
	if (why == XE_CHAN_HUNGUP) {
		/* The client hung up (or died): offer a fresh channel. */
		if (rl_take_all(&g->reopen, 1, now))
			chan_open(g);
		else
			guest_wait(g, rl_wait_ns(&g->reopen, 1, now) /
			    1000000 + 1);
		return;
	}
	g->counts.errors++;
	g->penalty_ms = g->penalty_ms ? g->penalty_ms * 2 : PENALTY_MIN_MS;
	if (g->penalty_ms > PENALTY_MAX_MS)
		g->penalty_ms = PENALTY_MAX_MS;
	guest_log(g, LOG_WARNING, "closing channel: %s; again in %" PRIu64
	    " ms", msg, g->penalty_ms);
	guest_wait(g, g->penalty_ms);
}

static void
chan_say(void *arg, int prio, const char *msg)
{
	struct xe_guest *g = arg;

	guest_log(g, prio, "%s", msg);
}

static int
chan_open(struct xe_guest *g)
{
	static const struct xe_chan_ops ops = { chan_ended, chan_say };
	struct xentropyd *d = g->d;
	struct xe_chan_cfg cfg;
	char path[96];
	int r;

	if (g->chan)
		return 0;
	evtimer_del(g->timer);
	if (d->nchannels >= d->conf.max_guests) {
		guest_log(g, LOG_WARNING, "not served: %u channels open "
		    "(max-guests)", d->nchannels);
		guest_wait(g, 10000);
		return -ENOSPC;
	}
	snprintf(path, sizeof(path), "%s/vchan", g->base);
	/* Nodes of a predecessor that did not exit cleanly. */
	xstore_rm(d->xs, XBT_NULL, path);
	cfg = (struct xe_chan_cfg){ loop_base(d->loop), g->domid, path,
	    d->conf.ring_size, d->conf.frame_timeout_ms, &g->rl,
	    &d->pool_ready, &g->counts, &ops, g };
	if ((r = xe_chan_open(&cfg, &g->chan)) < 0) {
		g->chan = NULL;
		guest_log(g, LOG_WARNING, "cannot offer a channel: %s",
		    strerror(-r));
		guest_wait(g, 5000);
		return r;
	}
	g->channels++;
	d->nchannels++;
	d->gen++;
	guest_set_state(g, XE_READY);
	guest_log(g, LOG_DEBUG, "channel offered at %s", path);
	return 0;
}

static void
legacy_report(void *arg, enum xe_legacy_event ev, unsigned int dev,
	      const char *why)
{
	struct xe_guest *g = arg;

	switch (ev) {
	case XE_LEGACY_HANDSHAKE:
		guest_log(g, LOG_INFO, "legacy console %u: handshake done",
		    dev);
		break;
	case XE_LEGACY_BROKEN:
		guest_log(g, LOG_WARNING, "closing legacy console: %s", why);
		break;
	}
}

static void
legacy_open(struct xe_guest *g)
{
	static const struct xe_legacy_ops ops = { legacy_report };
	struct xentropyd *d = g->d;
	struct xe_legacy_cfg cfg = { &d->legacy, g->domid, &g->rl,
	    &g->counts, d->conf.legacy_discard, &ops, g };
	int r;

	if (g->legacy)
		return;
	if ((r = xe_legacy_open(&cfg, &g->legacy)) < 0) {
		g->legacy = NULL;
		guest_log(g, LOG_WARNING, "cannot add the legacy console: %s",
		    strerror(-r));
		return;
	}
	guest_log(g, LOG_INFO, "legacy console offered at %s",
	    xe_legacy_where(g->legacy));
}

static void
legacy_close(struct xe_guest *g)
{
	xe_legacy_close(g->legacy);
	g->legacy = NULL;
}

static int
guest_served(const struct xe_guest *g)
{
	const struct xe_conf *c = &g->d->conf;

	return xe_conf_serves(c, g->domid, g->name) ||
	    (c->on_request && g->requested);
}

/* (Re)decides whether g is served, and acts on it. */
static void
guest_update(struct xe_guest *g)
{
	int served;

	if (!g->running) {
		/* Shut down or dying: nothing to serve, nothing to write. */
		chan_close(g);
		legacy_close(g);
		evtimer_del(g->timer);
		return;
	}
	served = guest_served(g);
	if (xe_conf_legacy_serves(&g->d->conf, xe_legacy_wanted(g->d), served))
		legacy_open(g);
	else
		legacy_close(g);
	if (served) {
		if (g->chan == NULL && !(g->state == XE_WAIT &&
		    evtimer_pending(g->timer, NULL)))
			chan_open(g);
		return;
	}
	chan_close(g);
	evtimer_del(g->timer);
	guest_set_state(g, g->d->conf.on_request ? XE_IDLE : XE_OFF);
}

/* The end of XE_WAIT. */
static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	guest_update(arg);
}

/* The guest wrote (or changed) data/xentropy/request. */
static void
on_request(struct xstore *xs, const char *path, void *arg)
{
	struct xe_guest *g = arg;
	char *v = NULL;

	if (xstore_read(xs, XBT_NULL, path, &v, NULL) < 0)
		return;
	if (strncmp(v, g->request, sizeof(g->request) - 1) == 0) {
		free(v);
		return;
	}
	snprintf(g->request, sizeof(g->request), "%s", v);
	free(v);
	if (!g->requested) {
		g->requested = 1;
		if (g->d->conf.on_request)
			guest_log(g, LOG_INFO, "asked for entropy");
	} else if (g->chan) {
		/* A client asks for a fresh channel (its last one broke). */
		if (rl_take_all(&g->reopen, 1, rl_now_ns()))
			chan_close(g);
	}
	guest_update(g);
}

static struct xe_guest *
guest_find(struct xentropyd *d, uint32_t domid)
{
	struct xe_guest *g;

	TAILQ_FOREACH(g, &d->guests, entry)
		if (g->domid == domid)
			return g;
	return NULL;
}

static struct xe_guest *
guest_new(struct xentropyd *d, const struct dom_info *di)
{
	struct xe_guest *g = calloc(1, sizeof(*g));
	uint64_t now = rl_now_ns();

	if (g == NULL)
		return NULL;
	g->d = d;
	g->domid = di->domid;
	snprintf(g->name, sizeof(g->name), "%s", di->name);
	snprintf(g->base, sizeof(g->base), "/local/domain/%" PRIu32
	    "/data/xentropy", di->domid);
	g->timer = evtimer_new(loop_base(d->loop), on_timer, g);
	if (g->timer == NULL) {
		free(g);
		return NULL;
	}
	rl_init(&g->rl, d->conf.rate, d->conf.burst, now);
	/* A client per run of xentropy-client: up to 20 at once, 5/s. */
	rl_init(&g->reopen, 5, 20, now);
	domlog_init(&g->log, now);
	return g;
}

static void
guest_free(struct xe_guest *g)
{
	xstore_unwatch(g->req_watch);
	chan_close(g);
	legacy_close(g);
	event_free(g->timer);
	free(g);
}

static void
dom_added(const struct dom_info *di, void *arg)
{
	struct xentropyd *d = arg;
	struct xe_guest *g;
	char path[96];
	int r;

	if (di->domid == 0 || di->domid == d->self)
		return;		/* dom0 (and we) are never served */
	g = guest_new(d, di);
	if (g == NULL) {
		log_dom(LOG_WARNING, di->domid, di->name, "out of memory, "
		    "not served");
		return;
	}
	g->running = di->state == DOM_RUNNING || di->state == DOM_PAUSED;
	TAILQ_INSERT_TAIL(&d->guests, g, entry);
	snprintf(path, sizeof(path), "%s/request", g->base);
	/* Fires once at once: a request made before we started counts. */
	if ((r = xstore_watch(d->xs, path, on_request, g, &g->req_watch)) < 0)
		guest_log(g, LOG_WARNING, "cannot watch %s: %s", path,
		    strerror(-r));
	guest_update(g);
}

static void
dom_changed(const struct dom_info *di, const struct dom_info *old, void *arg)
{
	struct xe_guest *g = guest_find(arg, di->domid);

	if (g == NULL)
		return;
	snprintf(g->name, sizeof(g->name), "%s", di->name);
	g->running = di->state == DOM_RUNNING || di->state == DOM_PAUSED;
	guest_update(g);
}

static void
dom_removed(const struct dom_info *di, void *arg)
{
	struct xentropyd *d = arg;
	struct xe_guest *g = guest_find(d, di->domid);

	if (g == NULL)
		return;
	if (g->channels || g->counts.requests)
		xe_status_log_guest(g, "gone");
	TAILQ_REMOVE(&d->guests, g, entry);
	guest_free(g);
}

const struct dom_ops xe_guest_dom_ops = { dom_added, dom_changed,
    dom_removed };

void
xe_guests_init(struct xentropyd *d)
{
	TAILQ_INIT(&d->guests);
	d->legacy = (struct xe_legacy_env){ loop_base(d->loop), d->xs,
	    d->self, NULL, NULL, 0 };
}

void
xe_guests_reconfigure(struct xentropyd *d, const struct xe_conf *c)
{
	struct xe_guest *g;

	d->conf = *c;
	TAILQ_FOREACH(g, &d->guests, entry) {
		rl_set(&g->rl, c->rate, c->burst);
		guest_update(g);
	}
}

void
xe_guests_free(struct xentropyd *d)
{
	struct xe_guest *g;

	while ((g = TAILQ_FIRST(&d->guests)) != NULL) {
		TAILQ_REMOVE(&d->guests, g, entry);
		if (g->channels || g->counts.requests)
			xe_status_log_guest(g, "exit");
		xstore_unwatch(g->req_watch);
		g->req_watch = NULL;
		chan_close(g);
		if (g->running)
			guest_set_state(g, XE_OFF);
		guest_free(g);
	}
	xe_legacy_env_close(&d->legacy);
}
