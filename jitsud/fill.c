/* Filling a warm pool's slot (see fill.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "fill.h"
#include "ready.h"

static void on_timeout(evutil_socket_t fd, short what, void *arg);

int
fill_init(struct fill *f, struct event_base *base, struct xstore *xs,
    struct backend *be, const struct jc_service *c, int svc, bool boot,
    fill_done_fn *done, void *arg)
{
	*f = (struct fill){ .base = base, .xs = xs, .be = be, .c = c,
		.svc = svc, .done = done, .arg = arg, .slot = -1 };
	f->boot = boot && be->ops->pool_step != NULL;
	if (f->boot && (f->timer = evtimer_new(base, on_timeout, f)) == NULL)
		return -ENOMEM;
	return 0;
}

static void
stop_checks(struct fill *f)
{
	ready_stop(f->ready);
	f->ready = NULL;
	if (f->timer)
		evtimer_del(f->timer);
}

void
fill_free(struct fill *f)
{
	stop_checks(f);
	if (f->timer)
		event_free(f->timer);
	f->timer = NULL;
}

bool
fill_busy(const struct fill *f)
{
	return f->step != FILL_IDLE;
}

static void
finish(struct fill *f, bool ok)
{
	int slot = f->slot;

	f->step = FILL_IDLE;
	f->slot = -1;
	f->done(f->arg, slot, ok, f->domid, f->why);
}

/* What went wrong leaves a domain: it goes, then the fill has failed. */
static void
discard(struct fill *f, const char *why)
{
	stop_checks(f);
	snprintf(f->why, sizeof(f->why), "%s", why);
	f->step = FILL_DESTROY;
	if (f->be->ops->pool_step(f->be, f->svc, f->slot, f->domid,
	    POOL_DESTROY) < 0)
		finish(f, false);
}

static void
on_ready(void *arg)
{
	struct fill *f = arg;

	stop_checks(f);
	f->step = FILL_PAUSE;
	if (f->be->ops->pool_step(f->be, f->svc, f->slot, f->domid,
	    POOL_PAUSE) < 0)
		discard(f, "cannot pause it");
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct fill *f = arg;

	(void)fd; (void)what;
	discard(f, "not ready within the boot timeout");
}

/* Run: the service's own readiness checks, bounded by its boot time. */
static void
boot(struct fill *f)
{
	struct timeval tv = { (time_t)(f->c->boot_ms / 1000),
		(suseconds_t)(f->c->boot_ms % 1000) * 1000 };
	int r;

	f->step = FILL_BOOT;
	if ((r = ready_start(f->base, f->xs, f->c, f->domid, on_ready, f,
	    &f->ready)) < 0) {
		discard(f, "cannot check its readiness");
		return;
	}
	evtimer_add(f->timer, &tv);
}

int
fill_start(struct fill *f, int slot, const char *name)
{
	int r;

	if (fill_busy(f))
		return -EBUSY;
	f->slot = slot;
	f->domid = 0;
	f->why[0] = '\0';
	f->step = FILL_CREATE;
	if ((r = f->be->ops->create_paused(f->be, f->svc, slot,
	    f->c->xl_config, name)) < 0) {
		f->step = FILL_IDLE;
		f->slot = -1;
	}
	return r;
}

int
fill_resume(struct fill *f, int slot, uint32_t domid)
{
	if (fill_busy(f) || !f->boot)
		return -EBUSY;
	f->slot = slot;
	f->domid = domid;
	f->why[0] = '\0';
	boot(f);
	return 0;
}

void
fill_reported(struct fill *f, int slot, uint32_t domid, int err)
{
	if (!fill_busy(f) || slot != f->slot)
		return;
	switch (f->step) {
	case FILL_CREATE:
		if (err) {
			snprintf(f->why, sizeof(f->why), "not created "
			    "(backend error %d)", err);
			finish(f, false);
			return;
		}
		f->domid = domid;
		if (!f->boot) {
			finish(f, true);	/* kept paused, never run */
			return;
		}
		f->step = FILL_RUN;
		if (f->be->ops->pool_step(f->be, f->svc, slot, domid,
		    POOL_RUN) < 0)
			discard(f, "cannot run it");
		return;
	case FILL_RUN:
		if (err)
			discard(f, "cannot run it");
		else
			boot(f);
		return;
	case FILL_PAUSE:
		if (err)
			discard(f, "cannot pause it");
		else
			finish(f, true);
		return;
	case FILL_DESTROY:
		finish(f, false);
		return;
	default:
		return;
	}
}
