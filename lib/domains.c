/* Domain table (pure) and its tracker over xenstore and libxenctrl. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>
#include <event2/event.h>

#include "domains.h"
#include "xstore.h"

/* Domains read per xc_domain_getinfolist call. */
#define DOM_BATCH 128
/* No more than this many domains can exist (DOMID_FIRST_RESERVED). */
#define DOM_MAX 0x7ff0

const char *
dom_state_name(enum dom_state s)
{
	static const char *const names[] = { "running", "paused", "shutdown",
	    "crashed", "dying" };

	return (unsigned)s < 5 ? names[s] : "unknown";
}

const char *
dom_shutdown_reason_name(unsigned int reason)
{
	static const char *const names[] = { "poweroff", "reboot", "suspend",
	    "crash", "watchdog", "soft_reset" };

	return reason < 6 ? names[reason] : "unknown";
}

void
dom_table_init(struct dom_table *t)
{
	memset(t, 0, sizeof(*t));
}

void
dom_table_free(struct dom_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static int
dom_cmp(const void *a, const void *b)
{
	const struct dom_info *x = a, *y = b;

	return x->domid < y->domid ? -1 : x->domid > y->domid;
}

const struct dom_info *
dom_table_find(const struct dom_table *t, uint32_t domid)
{
	struct dom_info key = { .domid = domid };

	if (t->n == 0)
		return NULL;
	return bsearch(&key, t->v, t->n, sizeof(*t->v), dom_cmp);
}

int
dom_table_apply(struct dom_table *t, const struct dom_info *snap, size_t n,
		const struct dom_ops *ops, void *arg)
{
	struct dom_info *nv;
	size_t i, j;

	nv = malloc((n ? n : 1) * sizeof(*nv));
	if (nv == NULL)
		return -ENOMEM;
	if (n)
		memcpy(nv, snap, n * sizeof(*nv));
	qsort(nv, n, sizeof(*nv), dom_cmp);

	/* Removed: in the table, not in the snapshot. */
	for (i = 0; i < t->n; i++) {
		struct dom_info key = { .domid = t->v[i].domid };

		if (!bsearch(&key, nv, n, sizeof(*nv), dom_cmp) &&
		    ops && ops->removed)
			ops->removed(&t->v[i], arg);
	}
	/* Changed, keeping known names where the snapshot has none. */
	for (j = 0; j < n; j++) {
		const struct dom_info *old = dom_table_find(t, nv[j].domid);

		if (old == NULL)
			continue;
		if (nv[j].name[0] == '\0')
			memcpy(nv[j].name, old->name, sizeof(nv[j].name));
		if (nv[j].uuid[0] == '\0')
			memcpy(nv[j].uuid, old->uuid, sizeof(nv[j].uuid));
		if ((old->state != nv[j].state ||
		    old->shutdown_reason != nv[j].shutdown_reason ||
		    strcmp(old->name, nv[j].name) != 0) &&
		    ops && ops->changed) {
			struct dom_info prev = *old;

			ops->changed(&nv[j], &prev, arg);
		}
	}
	/* Added: swap in the new table first so callbacks can look up. */
	{
		struct dom_info *ov = t->v;
		size_t on = t->n;
		struct dom_table oldt = { ov, on, on };

		t->v = nv;
		t->n = n;
		t->cap = n;
		for (j = 0; j < n; j++)
			if (!dom_table_find(&oldt, nv[j].domid) &&
			    ops && ops->added)
				ops->added(&nv[j], arg);
		free(ov);
	}
	return 0;
}

struct dom_tracker {
	struct xstore *xs;
	xc_interface *xch;
	struct xstore_watch *w_intro, *w_release;
	struct event *ev_poll;
	struct dom_table table;
	struct dom_ops ops;
	void *arg;
};

static void
dom_info_from_xc(struct dom_info *d, const xc_domaininfo_t *xi)
{
	unsigned int reason;
	const uint8_t *h = xi->handle;

	memset(d, 0, sizeof(*d));
	d->domid = xi->domain;
	reason = (xi->flags >> XEN_DOMINF_shutdownshift) &
	    XEN_DOMINF_shutdownmask;
	if (xi->flags & XEN_DOMINF_dying)
		d->state = DOM_DYING;
	else if ((xi->flags & XEN_DOMINF_shutdown) && reason == SHUTDOWN_crash)
		d->state = DOM_CRASHED;
	else if (xi->flags & XEN_DOMINF_shutdown)
		d->state = DOM_SHUTDOWN;
	else if (xi->flags & XEN_DOMINF_paused)
		d->state = DOM_PAUSED;
	else
		d->state = DOM_RUNNING;
	if (xi->flags & XEN_DOMINF_shutdown)
		d->shutdown_reason = reason;
	snprintf(d->uuid, sizeof(d->uuid),
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", h[0], h[1], h[2], h[3], h[4], h[5],
	    h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]);
}

static void
dom_on_poll_timer(evutil_socket_t fd, short what, void *arg)
{
	dom_tracker_rescan(arg);
}

/*
 * No event tells of an unpause, nor of the end of a dying domain
 * (xenstored fires @releaseDomain when it starts to die, and forgets it):
 * look again soon while any is paused or dying.
 */
static void
dom_arm_poll(struct dom_tracker *dt)
{
	struct timeval tv = { 0, DOM_POLL_RESCAN_MS * 1000 };

	if (dt->ev_poll == NULL || evtimer_pending(dt->ev_poll, NULL))
		return;
	for (size_t i = 0; i < dt->table.n; i++)
		if (dt->table.v[i].state == DOM_PAUSED ||
		    dt->table.v[i].state == DOM_DYING) {
			evtimer_add(dt->ev_poll, &tv);
			return;
		}
}

int
dom_tracker_rescan(struct dom_tracker *dt)
{
	xc_domaininfo_t xi[DOM_BATCH];
	struct dom_info *snap = NULL, *ns;
	size_t n = 0, cap = 0;
	uint32_t next = 0;
	int got, r;

	do {
		got = xc_domain_getinfolist(dt->xch, next, DOM_BATCH, xi);
		if (got < 0) {
			free(snap);
			return errno ? -errno : -EIO;
		}
		if (n + (size_t)got > cap) {
			cap = (n + got) * 2;
			if (cap > DOM_MAX)
				cap = DOM_MAX;
			if (n + (size_t)got > cap) {
				free(snap);
				return -E2BIG;
			}
			ns = realloc(snap, cap * sizeof(*snap));
			if (ns == NULL) {
				free(snap);
				return -ENOMEM;
			}
			snap = ns;
		}
		for (int i = 0; i < got; i++) {
			struct dom_info *d = &snap[n];
			const struct dom_info *known;
			char path[64], *name;

			dom_info_from_xc(d, &xi[i]);
			next = d->domid + 1;
			/* Names are read once; renames are rare (xl rename). */
			known = dom_table_find(&dt->table, d->domid);
			if (known && known->name[0]) {
				n++;
				continue;
			}
			/*
			 * A domain the toolstack is still building has no name
			 * in xenstore yet; it joins the table when it has one
			 * (libxl writes it before @introduceDomain fires).
			 */
			snprintf(path, sizeof(path), "/local/domain/%u/name",
			    d->domid);
			if (xstore_read(dt->xs, XBT_NULL, path, &name,
			    NULL) < 0)
				continue;
			snprintf(d->name, sizeof(d->name), "%s", name);
			free(name);
			n++;
		}
	} while (got == DOM_BATCH);
	r = dom_table_apply(&dt->table, snap, n, &dt->ops, dt->arg);
	free(snap);
	dom_arm_poll(dt);
	return r;
}

static void
dom_on_watch(struct xstore *xs, const char *path, void *arg)
{
	/* Errors resurface on the next event; nothing to log from lib/. */
	dom_tracker_rescan(arg);
}

int
dom_tracker_new(struct xstore *xs, const struct dom_ops *ops, void *arg,
		struct dom_tracker **out)
{
	struct dom_tracker *dt;
	int r;

	dt = calloc(1, sizeof(*dt));
	if (dt == NULL)
		return -ENOMEM;
	dt->xs = xs;
	if (ops)
		dt->ops = *ops;
	dt->arg = arg;
	dom_table_init(&dt->table);
	dt->xch = xc_interface_open(NULL, NULL, 0);
	if (dt->xch == NULL) {
		r = errno ? -errno : -EACCES;
		free(dt);
		return r;
	}
	if (xstore_base(xs)) {
		dt->ev_poll = evtimer_new(xstore_base(xs),
		    dom_on_poll_timer, dt);
		if (dt->ev_poll == NULL) {
			dom_tracker_free(dt);
			return -ENOMEM;
		}
	}
	if ((r = dom_tracker_rescan(dt)) < 0 ||
	    (r = xstore_watch(xs, "@introduceDomain", dom_on_watch, dt,
	    &dt->w_intro)) < 0 ||
	    (r = xstore_watch(xs, "@releaseDomain", dom_on_watch, dt,
	    &dt->w_release)) < 0) {
		dom_tracker_free(dt);
		return r;
	}
	*out = dt;
	return 0;
}

void
dom_tracker_free(struct dom_tracker *dt)
{
	if (dt == NULL)
		return;
	xstore_unwatch(dt->w_intro);
	xstore_unwatch(dt->w_release);
	if (dt->ev_poll)
		event_free(dt->ev_poll);
	if (dt->xch)
		xc_interface_close(dt->xch);
	dom_table_free(&dt->table);
	free(dt);
}

const struct dom_info *
dom_tracker_find(struct dom_tracker *dt, uint32_t domid)
{
	return dom_table_find(&dt->table, domid);
}

const struct dom_table *
dom_tracker_table(struct dom_tracker *dt)
{
	return &dt->table;
}
