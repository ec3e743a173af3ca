/* Xenbus backend state machine and its xenstore glue. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenbus_be.h"
#include "xstore.h"

int
xbe_fe_restarted(int fe)
{
	return fe == XenbusStateUnknown || fe == XenbusStateInitialising ||
	    fe == XenbusStateInitWait || fe == XenbusStateClosed;
}

struct xbe_step
xbe_next(int be, const struct xbe_input *in)
{
	struct xbe_step none = { -1, XBE_NONE };
	int fe = in->fe_state;
	int fe_closing = fe == XenbusStateClosing;
	int fe_gone = fe == XenbusStateClosed || fe == XenbusStateUnknown;
	/* Only a frontend still on the connection we gave up on is held. */
	int failed = in->failed && !xbe_fe_restarted(fe);

	switch (be) {
	case XenbusStateUnknown:
	case XenbusStateInitialising:
		if (!in->online || failed)
			return (struct xbe_step){ XenbusStateClosed, XBE_NONE };
		return (struct xbe_step){ XenbusStateInitWait, XBE_FEATURES };
	case XenbusStateInitWait:
	case XenbusStateInitialised:
		if (!in->online)
			return (struct xbe_step){ XenbusStateClosed, XBE_NONE };
		if (failed)	/* nothing connected: tell the frontend */
			return (struct xbe_step){ XenbusStateClosing, XBE_NONE };
		if ((fe == XenbusStateInitialised ||
		    fe == XenbusStateConnected) && in->hotplug_ok)
			return (struct xbe_step){ XenbusStateConnected,
			    XBE_CONNECT };
		return none;
	case XenbusStateConnected:
		if (fe_gone)
			return (struct xbe_step){ XenbusStateClosed,
			    XBE_DISCONNECT };
		if (fe_closing || !in->online || failed)
			return (struct xbe_step){ XenbusStateClosing,
			    XBE_DISCONNECT };
		return none;
	case XenbusStateClosing:
		if (fe_gone)
			return (struct xbe_step){ XenbusStateClosed, XBE_NONE };
		/* A frontend that restarts without closing: reconnect. */
		if (in->online && (fe == XenbusStateInitialising ||
		    fe == XenbusStateInitWait))
			return (struct xbe_step){ XenbusStateInitWait,
			    XBE_FEATURES };
		return none;
	case XenbusStateClosed:
		if (!in->online)
			return (struct xbe_step){ -1, XBE_REMOVE };
		if (failed)
			return none;	/* e.g. still Initialised: no retry loop */
		if (fe == XenbusStateInitialising ||
		    fe == XenbusStateInitWait || fe == XenbusStateInitialised)
			return (struct xbe_step){ XenbusStateInitWait,
			    XBE_FEATURES };
		return none;
	default:
		return none;
	}
}

struct xbe_dev {
	struct xstore *xs;
	struct xbe_ops ops;
	void *arg;
	struct xbe_dev_info info;
	char *be_path, *fe_path;
	struct xstore_watch *w_be, *w_fe;
	int state, need_hotplug, connected, failed, removed;
};

static int
read_int_or(struct xstore *xs, const char *dir, const char *key, int dflt)
{
	char path[512];
	uint64_t v;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	if (xstore_read_uint(xs, XBT_NULL, path, 1u << 30, &v) < 0)
		return dflt;
	return (int)v;
}

static int
xbe_write_state(struct xbe_dev *d, int state)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/state", d->be_path);
	d->state = state;
	return xstore_printf(d->xs, XBT_NULL, path, "%d", state);
}

static void
xbe_eval(struct xbe_dev *d)
{
	/* Bounded: each step changes state, and there are few states. */
	for (int i = 0; i < 8 && !d->removed; i++) {
		struct xbe_input in;
		struct xbe_step s;
		char path[512], *hs = NULL;

		/*
		 * The toolstack removed the backend's directory (xl destroy
		 * of a domain, a forced detach): nothing of ours may be
		 * written there again, or a stray state node stays behind.
		 */
		snprintf(path, sizeof(path), "%s/frontend", d->be_path);
		if (xstore_read(d->xs, XBT_NULL, path, &hs, NULL) == -ENOENT) {
			if (d->connected && d->ops.disconnect)
				d->ops.disconnect(d, d->arg);
			d->connected = 0;
			d->removed = 1;
			if (d->ops.removed)
				d->ops.removed(d, d->arg);
			return;	/* d may be freed by removed() */
		}
		free(hs);
		hs = NULL;

		in.fe_state = read_int_or(d->xs, d->fe_path, "state",
		    XenbusStateUnknown);
		in.online = read_int_or(d->xs, d->be_path, "online", 1);
		in.failed = d->failed;
		in.hotplug_ok = !d->need_hotplug;
		if (d->need_hotplug) {
			snprintf(path, sizeof(path), "%s/hotplug-status",
			    d->be_path);
			if (xstore_read(d->xs, XBT_NULL, path, &hs, NULL) == 0) {
				in.hotplug_ok = strcmp(hs, "connected") == 0;
				free(hs);
			}
		}
		s = xbe_next(d->state, &in);
		if (xbe_fe_restarted(in.fe_state))
			d->failed = 0;	/* see xenbus_be.h */
		switch (s.action) {
		case XBE_FEATURES:
			if (d->ops.features && d->ops.features(d, d->arg) < 0)
				s.state = XenbusStateClosed;
			break;
		case XBE_CONNECT:
			if (d->ops.connect && d->ops.connect(d, d->arg) < 0) {
				s.state = XenbusStateClosing;
				d->failed = 1;
			} else {
				d->connected = 1;
			}
			break;
		case XBE_DISCONNECT:
			if (d->connected && d->ops.disconnect)
				d->ops.disconnect(d, d->arg);
			d->connected = 0;
			break;
		case XBE_REMOVE:
			d->removed = 1;
			if (d->ops.removed)
				d->ops.removed(d, d->arg);
			return;	/* d may be freed by removed() */
		case XBE_NONE:
			break;
		}
		if (s.state < 0 || s.state == d->state)
			return;
		xbe_write_state(d, s.state);
	}
}

static void
xbe_on_watch(struct xstore *xs, const char *path, void *arg)
{
	xbe_eval(arg);
}

int
xbe_dev_new(struct xstore *xs, const char *be_path, int need_hotplug,
	    const struct xbe_ops *ops, void *arg, struct xbe_dev **out)
{
	struct xbe_dev *d;
	char path[512];
	uint64_t v;
	int r;

	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return -ENOMEM;
	d->xs = xs;
	d->ops = *ops;
	d->arg = arg;
	d->need_hotplug = need_hotplug;
	d->state = XenbusStateInitialising;
	d->be_path = strdup(be_path);
	snprintf(path, sizeof(path), "%s/frontend", be_path);
	r = -ENOMEM;
	if (d->be_path == NULL ||
	    (r = xstore_read(xs, XBT_NULL, path, &d->fe_path, NULL)) < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/frontend-id", be_path);
	if ((r = xstore_read_uint(xs, XBT_NULL, path, 0x7fef, &v)) < 0)
		goto fail;
	d->info.fe_domid = (uint32_t)v;
	d->info.devid = strrchr(be_path, '/') ?
	    (unsigned)strtoul(strrchr(be_path, '/') + 1, NULL, 10) : 0;
	d->info.be_path = d->be_path;
	d->info.fe_path = d->fe_path;
	snprintf(path, sizeof(path), "%s/state", d->fe_path);
	if ((r = xstore_watch(xs, be_path, xbe_on_watch, d, &d->w_be)) < 0 ||
	    (r = xstore_watch(xs, path, xbe_on_watch, d, &d->w_fe)) < 0)
		goto fail;
	*out = d;
	return 0;
fail:
	xbe_dev_free(d);
	return r;
}

void
xbe_dev_free(struct xbe_dev *d)
{
	if (d == NULL)
		return;
	xstore_unwatch(d->w_be);
	xstore_unwatch(d->w_fe);
	if (d->connected && d->ops.disconnect)
		d->ops.disconnect(d, d->arg);
	free(d->be_path);
	free(d->fe_path);
	free(d);
}

const struct xbe_dev_info *
xbe_dev_info(const struct xbe_dev *d)
{
	return &d->info;
}

int
xbe_dev_state(const struct xbe_dev *d)
{
	return d->state;
}

void
xbe_dev_kick(struct xbe_dev *d)
{
	xbe_eval(d);
}

void
xbe_dev_fail(struct xbe_dev *d)
{
	d->failed = 1;
	xbe_eval(d);
}
