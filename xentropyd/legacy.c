/*
 * xentropyd --legacy-mirage-channel: the console device the 2015 MirageOS
 * xentropyd hot-plugged into its guests, for guests that still look for it.
 *
 * Per guest (every domU, or those served: legacy-serve), a secondary PV
 * console named XE_LEGACY_NAME: the frontend under
 * /local/domain/<domid>/device/console/<n>, the backend under our own
 * backend/console/<domid>/<n>, written in one transaction so that
 * the guest's xenbus never sees half a device. lib/xenbus_be drives the
 * states; on Connected the guest's ring page is mapped and its port bound.
 * Bytes move through lib/consring; the handshake, and the bound on what
 * the guest may write after it (discarded and counted), is legacy-proto.c.
 * Random bytes go into the in-ring only as far as the guest's token bucket
 * (the same one its vchan channel uses) allows, topped up when the guest
 * reads (it notifies) or when a timer says tokens are back.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <event2/event.h>

#include "consring.h"
#include "evtchn.h"
#include "grant.h"
#include "pvcons.h"
#include "xenbus_be.h"
#include "xstore.h"
#include "ratelimit.h"
#include "entropy.h"
#include "legacy-proto.h"
#include "legacy.h"

/* Linux's hvc_xen reads the device number as one digit. */
#define LEGACY_MIN_DEV 1
#define LEGACY_MAX_DEV 9
/* When short of tokens, wait until this many are back (or the ring's room). */
#define LEGACY_REFILL_MIN 256u

struct xe_legacy {
	struct xe_legacy_cfg cfg;
	struct xbe_dev *dev;
	unsigned int n;
	char fe[96], be[96];
	struct consring in, out;
	struct pvcons pc;	/* the guest's ring and event channel */
	int removed, short_of_tokens;
	struct xe_legacy_sess sess;
	struct event *timer;
};

const char *
xe_legacy_where(const struct xe_legacy *l)
{
	return l->fe;
}

const char *
xe_legacy_state(const struct xe_legacy *l)
{
	if (l == NULL)
		return NULL;
	if (l->sess.state == XE_LS_BAD)
		return xe_legacy_state_name(XE_LS_BAD);
	if (l->pc.page == NULL)
		return xbstate_name(xbe_dev_state(l->dev));
	return xe_legacy_state_name(l->sess.state);
}

struct legacy_txn {
	struct xe_legacy *l;
	uint32_t self, domid;
};

static int
legacy_ours(struct xstore *xs, xs_transaction_t t, const char *be)
{
	char path[192], *v;
	int r;

	snprintf(path, sizeof(path), "%s/type", be);
	if (xstore_read(xs, t, path, &v, NULL) < 0)
		return 0;
	r = strcmp(v, "xentropyd") == 0;
	free(v);
	return r;
}

/*
 * Removes what an earlier xentropyd left for this guest (it was killed, or
 * the guest outlived it), then picks the device number: the first free one
 * above any removed, so that the guest's kernel sees a new device rather
 * than a stale one coming back under the same name.
 */
static int
legacy_pick(struct xstore *xs, xs_transaction_t t, struct legacy_txn *p,
	    unsigned int *out)
{
	char dir[96], path[160], prefix[96], **ents = NULL, *v;
	unsigned int nents = 0, avoid = 0, used = 0;
	int r;

	snprintf(dir, sizeof(dir), "/local/domain/%" PRIu32 "/device/console",
	    p->domid);
	snprintf(prefix, sizeof(prefix), "/local/domain/%" PRIu32
	    "/backend/console/%" PRIu32 "/", p->self, p->domid);
	r = xstore_ls(xs, t, dir, &ents, &nents);
	if (r < 0 && r != -ENOENT)
		return r;
	for (unsigned int i = 0; i < nents; i++) {
		char *end;
		unsigned long n = strtoul(ents[i], &end, 10);

		if (*end != '\0' || n > 31)
			continue;
		used |= 1u << n;
		snprintf(path, sizeof(path), "%s/%s/name", dir, ents[i]);
		if (xstore_read(xs, t, path, &v, NULL) < 0)
			continue;
		r = strcmp(v, XE_LEGACY_NAME);
		free(v);
		if (r != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/backend", dir, ents[i]);
		if (xstore_read(xs, t, path, &v, NULL) < 0)
			continue;
		/*
		 * The frontend is the guest's to write: remove only a backend
		 * of ours for this guest, which the guest cannot forge.
		 */
		if (strncmp(v, prefix, strlen(prefix)) == 0 &&
		    legacy_ours(xs, t, v)) {
			xstore_rm(xs, t, v);
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]);
			xstore_rm(xs, t, path);
			if (n > avoid)
				avoid = (unsigned int)n;
		}
		free(v);
	}
	free(ents);
	for (unsigned int n = avoid >= LEGACY_MIN_DEV ? avoid + 1 :
	    LEGACY_MIN_DEV; n <= LEGACY_MAX_DEV; n++)
		if (!(used & (1u << n))) {
			*out = n;
			return 0;
		}
	return -ENOSPC;
}

static int
legacy_create(struct xstore *xs, xs_transaction_t t, void *arg)
{
	struct legacy_txn *p = arg;
	struct xe_legacy *l = p->l;
	static const char *const be_keys[][2] = {
		{ "online", "1" }, { "protocol", "vt100" },
		{ "type", "xentropyd" }, { "name", XE_LEGACY_NAME },
	};
	static const char *const fe_keys[][2] = {
		{ "protocol", "vt100" }, { "name", XE_LEGACY_NAME },
	};
	char path[160], v[96];
	int r;

	if ((r = legacy_pick(xs, t, p, &l->n)) < 0)
		return r;
	snprintf(l->fe, sizeof(l->fe), "/local/domain/%" PRIu32
	    "/device/console/%u", p->domid, l->n);
	snprintf(l->be, sizeof(l->be), "/local/domain/%" PRIu32
	    "/backend/console/%" PRIu32 "/%u", p->self, p->domid, l->n);
	/* Parents first: children inherit their permissions. */
	if ((r = xstore_write(xs, t, l->be, "")) < 0 ||
	    (r = xstore_set_perms(xs, t, l->be, p->self, p->domid,
	    false)) < 0 ||
	    (r = xstore_write(xs, t, l->fe, "")) < 0 ||
	    (r = xstore_set_perms(xs, t, l->fe, p->domid, p->self,
	    false)) < 0)
		return r;
	for (size_t i = 0; i < sizeof(be_keys) / sizeof(be_keys[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", l->be, be_keys[i][0]);
		if ((r = xstore_write(xs, t, path, be_keys[i][1])) < 0)
			return r;
	}
	for (size_t i = 0; i < sizeof(fe_keys) / sizeof(fe_keys[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", l->fe, fe_keys[i][0]);
		if ((r = xstore_write(xs, t, path, fe_keys[i][1])) < 0)
			return r;
	}
	snprintf(path, sizeof(path), "%s/frontend", l->be);
	if ((r = xstore_write(xs, t, path, l->fe)) < 0)
		return r;
	snprintf(path, sizeof(path), "%s/frontend-id", l->be);
	snprintf(v, sizeof(v), "%" PRIu32, p->domid);
	if ((r = xstore_write(xs, t, path, v)) < 0)
		return r;
	snprintf(path, sizeof(path), "%s/backend", l->fe);
	if ((r = xstore_write(xs, t, path, l->be)) < 0)
		return r;
	snprintf(path, sizeof(path), "%s/backend-id", l->fe);
	snprintf(v, sizeof(v), "%" PRIu32, p->self);
	if ((r = xstore_write(xs, t, path, v)) < 0)
		return r;
	/* Both Initialising: a frontend only probes a device in that state. */
	snprintf(v, sizeof(v), "%d", XenbusStateInitialising);
	snprintf(path, sizeof(path), "%s/state", l->be);
	if ((r = xstore_write(xs, t, path, v)) < 0)
		return r;
	snprintf(path, sizeof(path), "%s/state", l->fe);
	return xstore_write(xs, t, path, v);
}

static void
legacy_fail(struct xe_legacy *l, const char *why)
{
	l->cfg.counts->errors++;
	evtimer_del(l->timer);
	/*
	 * Disconnects now (Closing, then Closed once the guest's frontend
	 * agrees). The violation ends this session, not the guest's
	 * service: a frontend that closes and starts over (a driver reload,
	 * a rebooted unikernel's fresh ring) is served again by
	 * legacy_connect, with a new handshake, as the 2015 daemon served
	 * each new connection. That gives a guest nothing it could not get
	 * by closing and reopening, each time costs it xenstore writes and
	 * a log line that its owner rate-limits, and it spares the
	 * administrator a daemon restart that would cut every guest off.
	 */
	xbe_dev_fail(l->dev);
	l->cfg.ops->report(l->cfg.arg, XE_LEGACY_BROKEN, l->n, why);
}

static void
legacy_notify(struct xe_legacy *l)
{
	pvcons_notify(&l->pc);
}

/* Writes random bytes into the in-ring, as far as room and tokens go. */
static int
legacy_stream(struct xe_legacy *l)
{
	static uint8_t buf[CONSRING_IN_SIZE];
	uint64_t now = rl_now_ns(), take, want;
	int used = consring_pending(&l->in), w;
	struct timeval tv;
	uint64_t us;

	if (used < 0)
		return used;
	want = CONSRING_IN_SIZE - (uint32_t)used;
	if (want == 0)
		return 0;	/* the guest reads, then notifies */
	take = rl_take(l->cfg.rl, want, now);
	if (take < want) {
		uint64_t need = want - take < LEGACY_REFILL_MIN ?
		    want - take : LEGACY_REFILL_MIN, ns;

		if (!l->short_of_tokens)
			l->cfg.counts->throttled++;
		l->short_of_tokens = 1;
		ns = rl_wait_ns(l->cfg.rl, need, now);
		us = ns / 1000u + 1;
		tv.tv_sec = (time_t)(us / 1000000u);
		tv.tv_usec = (suseconds_t)(us % 1000000u);
		evtimer_add(l->timer, &tv);
	} else {
		l->short_of_tokens = 0;
	}
	if (take == 0)
		return 0;
	if (xe_fill_random(buf, (size_t)take) < 0) {
		/* The kernel's pool is not ready: try again in a second. */
		tv.tv_sec = 1;
		tv.tv_usec = 0;
		evtimer_add(l->timer, &tv);
		return 0;
	}
	w = consring_write(&l->in, buf, (size_t)take);
	explicit_bzero(buf, (size_t)take);
	if (w < 0)
		return w;
	l->cfg.counts->bytes += (uint64_t)w;
	if (w > 0)
		legacy_notify(l);
	return 0;
}

/* Runs on every event from the guest and on the refill timer. */
static void
legacy_pump(struct xe_legacy *l)
{
	char in[CONSRING_OUT_SIZE];
	const char *reply;
	uint32_t cons;
	size_t len;
	int n;

	if (l->pc.page == NULL)
		return;
	n = consring_peek(&l->out, in, sizeof(in), &cons);
	if (n < 0) {
		legacy_fail(l, "console ring indices out of range");
		return;
	}
	if (n > 0) {
		uint64_t before = l->sess.discarded;

		consring_consume(&l->out, cons, (uint32_t)n);
		legacy_notify(l);
		if (xe_legacy_input(&l->sess, in, (size_t)n, rl_now_ns()) ==
		    XE_LS_BAD) {
			legacy_fail(l, l->sess.why);
			return;
		}
		l->cfg.counts->discarded += l->sess.discarded - before;
	}
	if ((reply = xe_legacy_reply(&l->sess, &len)) != NULL) {
		n = consring_write(&l->in, reply, len);
		if (n < 0) {
			legacy_fail(l, "console ring indices out of range");
			return;
		}
		if (n > 0) {
			legacy_notify(l);
			if (xe_legacy_replied(&l->sess, (size_t)n) ==
			    XE_LS_STREAM) {
				l->cfg.counts->requests++;
				l->cfg.ops->report(l->cfg.arg,
				    XE_LEGACY_HANDSHAKE, l->n, NULL);
			}
		}
	}
	if (l->sess.state == XE_LS_STREAM && legacy_stream(l) < 0)
		legacy_fail(l, "console ring indices out of range");
}

static void
legacy_on_event(evtchn_port_t port, void *arg)
{
	legacy_pump(arg);
}

static void
legacy_on_timer(evutil_socket_t fd, short what, void *arg)
{
	legacy_pump(arg);
}

static int
legacy_connect(struct xbe_dev *dev, void *arg)
{
	struct xe_legacy *l = arg;
	struct xe_legacy_env *e = l->cfg.env;
	const struct xbe_dev_info *i = xbe_dev_info(dev);
	struct pvcons_keys k;
	int r;

	/* The guest wrote ring-ref: a grant, mapped as nothing else. */
	if ((r = pvcons_read(e->xs, XBT_NULL, i->fe_path, PVCONS_SECONDARY,
	    &k)) < 0 ||
	    (r = pvcons_connect(&l->pc, e->gnt, e->evtchn, i->fe_domid,
	    PVCONS_SECONDARY, &k, legacy_on_event, l)) < 0)
		return r;
	consring_in(&l->in, l->pc.page);
	consring_out(&l->out, l->pc.page);
	xe_legacy_init(&l->sess, l->cfg.discard_rate, rl_now_ns());
	l->short_of_tokens = 0;
	return 0;
}

static void
legacy_disconnect(struct xbe_dev *dev, void *arg)
{
	struct xe_legacy *l = arg;

	evtimer_del(l->timer);
	pvcons_disconnect(&l->pc);
}

static void
legacy_removed(struct xbe_dev *dev, void *arg)
{
	struct xe_legacy *l = arg;

	/* The toolstack tears the device down (online=0); freed on close. */
	l->removed = 1;
}

static int
legacy_handles(struct xe_legacy_env *e)
{
	int r;

	if (e->evtchn == NULL && (r = evtchn_open(e->base, &e->evtchn)) < 0)
		return r;
	if (e->gnt == NULL && (r = gnt_open(0, &e->gnt)) < 0)
		return r;
	return 0;
}

int
xe_legacy_open(const struct xe_legacy_cfg *cfg, struct xe_legacy **out)
{
	static const struct xbe_ops ops = { NULL, legacy_connect,
	    legacy_disconnect, legacy_removed };
	struct xe_legacy_env *e = cfg->env;
	struct xe_legacy *l;
	struct legacy_txn p;
	int r;

	if ((r = legacy_handles(e)) < 0)
		return r;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return -ENOMEM;
	l->cfg = *cfg;
	l->timer = evtimer_new(e->base, legacy_on_timer, l);
	if (l->timer == NULL) {
		free(l);
		return -ENOMEM;
	}
	p = (struct legacy_txn){ l, e->self, cfg->domid };
	if ((r = xstore_transact(e->xs, legacy_create, &p)) < 0) {
		event_free(l->timer);
		free(l);
		return r;
	}
	e->n++;
	if ((r = xbe_dev_new(e->xs, l->be, 0, &ops, l, &l->dev)) < 0) {
		xe_legacy_close(l);
		return r;
	}
	*out = l;
	return 0;
}

void
xe_legacy_close(struct xe_legacy *l)
{
	struct xe_legacy_env *e;
	char dir[96], **ents = NULL;
	unsigned int n = 0;

	if (l == NULL)
		return;
	e = l->cfg.env;
	/* Unmaps and unbinds first: the guest ends its grant once unplugged. */
	xbe_dev_free(l->dev);
	legacy_disconnect(NULL, l);
	xstore_rm(e->xs, XBT_NULL, l->fe);
	xstore_rm(e->xs, XBT_NULL, l->be);
	snprintf(dir, sizeof(dir), "/local/domain/%" PRIu32
	    "/backend/console/%" PRIu32, e->self, l->cfg.domid);
	if (xstore_ls(e->xs, XBT_NULL, dir, &ents, &n) == 0 && n == 0)
		xstore_rm(e->xs, XBT_NULL, dir);
	free(ents);
	event_free(l->timer);
	free(l);
	e->n--;
}

void
xe_legacy_env_close(struct xe_legacy_env *e)
{
	if (e->n)
		return;
	gnt_close(e->gnt);
	e->gnt = NULL;
	evtchn_close(e->evtchn);
	e->evtchn = NULL;
}
