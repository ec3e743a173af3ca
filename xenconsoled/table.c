/*
 * The console table: one primary console per domain (indexed by domid),
 * each with its secondaries, following the domain tracker's callbacks
 * (a domain comes, changes state or name, goes) and the daemon's own
 * (stop, reload, exit).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/sched.h>

#include "console.h"
#include "log.h"
#include "logqueue.h"
#include "xstore.h"

static struct console *
table_find(struct xcd *x, uint32_t domid)
{
	return domid < x->ncons ? x->cons[domid] : NULL;
}

/* A domain's consoles go: its secondaries, then its primary. */
static void
table_free(struct console *p)
{
	sec_stop(p);
	con_free(p);
}

int
con_add(struct xcd *x, const struct dom_info *d)
{
	struct console *c;
	char path[64];
	int r;

	if (d->domid == 0)
		return 0;	/* dom0's console is the hypervisor's */
	if (d->domid >= x->ncons) {
		unsigned int n = x->ncons ? x->ncons : 64;
		struct console **v;

		while (n <= d->domid)
			n *= 2;
		v = realloc(x->cons, n * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		memset(v + x->ncons, 0, (n - x->ncons) * sizeof(*v));
		x->cons = v;
		x->ncons = n;
	}
	if (x->cons[d->domid])
		return 0;
	snprintf(path, sizeof(path), "/local/domain/%u/console", d->domid);
	c = con_new(x, NULL, d->domid, d->name, d->uuid, 0, "0", path);
	if (c == NULL)
		return -ENOMEM;
	x->cons[d->domid] = c;
	if ((r = xstore_watch(x->xs, c->xspath, con_on_watch, c,
	    &c->watch)) < 0)
		log_dom(LOG_WARNING, c->domid, c->name,
		    "cannot watch %s: %s", c->xspath, strerror(-r));
	sec_watch(c);
	return 0;
}

/* The end of a domain: drain all, say what happened, let go of the ring. */
static void
table_finish(struct console *c, const struct dom_info *d)
{
	/* Xen keeps the shutdown reason while the domain dies. */
	if (d->state == DOM_CRASHED ||
	    (d->state == DOM_DYING && d->shutdown_reason == SHUTDOWN_crash))
		con_end(c, "crashed", 1);
	else
		con_end(c, "destroyed", 1);
}

static void
table_changed_one(struct console *c, const struct dom_info *d)
{
	char what[64];

	if (strcmp(c->name, d->name) != 0 && d->name[0]) {
		snprintf(c->name, sizeof(c->name), "%s", d->name);
		sink_renamed(c);
	}
	snprintf(c->uuid, sizeof(c->uuid), "%s", d->uuid);
	switch (d->state) {
	case DOM_SHUTDOWN:
		/* suspend and soft reset come back: not an end */
		if (d->shutdown_reason == SHUTDOWN_suspend ||
		    d->shutdown_reason == SHUTDOWN_soft_reset)
			break;
		snprintf(what, sizeof(what), "shut down (%s)",
		    dom_shutdown_reason_name(d->shutdown_reason));
		con_end(c, what, 0);
		break;
	case DOM_CRASHED:
		con_end(c, "crashed", 0);
		break;
	case DOM_DYING:
		table_finish(c, d);
		break;
	default:
		break;
	}
}

void
con_changed(struct xcd *x, const struct dom_info *d,
	    const struct dom_info *old)
{
	struct console *c = table_find(x, d->domid);

	if (c == NULL)
		return;
	for (struct console *s = c; s; s = s->sec.next)
		table_changed_one(s, d);
}

void
con_removed(struct xcd *x, const struct dom_info *d)
{
	struct console *c = table_find(x, d->domid);

	if (c == NULL)
		return;
	for (struct console *s = c; s; s = s->sec.next) {
		table_finish(s, d);
		con_end_now(s);	/* gone: no more waiting for the log */
	}
	table_free(c);
}

/* Our stop: drain what every ring holds now into its log. */
void
con_drain_all(struct xcd *x)
{
	CON_EACH(x, i, c)
		con_drain_for_stop(c);
}

/* Bytes our stop still waits for: unlogged ring bytes, queued bytes. */
uint64_t
con_stop_pending(struct xcd *x)
{
	uint64_t left = 0;

	CON_EACH(x, i, c)
		left += con_stop_left(c);
	for (struct console *c = x->zombies; c; c = c->next_zombie)
		left += sink_pending(c);
	return left;
}

void
con_reopen_all(struct xcd *x)
{
	CON_EACH(x, i, c)
		if (c->sink.q)
			lq_reopen(c->sink.q, NULL);
}

void
con_free_all(struct xcd *x)
{
	x->exiting = 1;		/* what the writers did not write is lost */
	for (unsigned int i = 0; i < x->ncons; i++)
		if (x->cons[i])
			table_free(x->cons[i]);
	while (x->zombies) {
		struct console *c = x->zombies;

		con_free(c);
		if (x->zombies == c)
			break;	/* a writer stuck in write(): exit takes it */
	}
	free(x->cons);
	x->cons = NULL;
	x->ncons = 0;
}
