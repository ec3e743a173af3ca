/*
 * Secondary consoles (device/console/<n>, devid n >= 1): xenbus devices
 * whose backend is in our own xenstore area, hanging off their domain's
 * primary console.
 *
 * A toolstack marks a console for xenconsoled with type=xenconsoled in
 * the frontend's read-only nodes (libxl writes "ioemu" for qemu's, which
 * is what xl's channel= gives). The guest writes ring-ref (a grant) and
 * port, goes Initialised; we map and bind, and go Connected.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "log.h"
#include "loop.h"
#include "xenbus_be.h"
#include "xstore.h"

static int
sec_be_connect(struct xbe_dev *d, void *arg)
{
	struct console *c = arg;
	struct pvcons_keys k;
	int r;

	/*
	 * The guest chose ring-ref: a grant (never one of the toolstack's
	 * reserved ones), never a frame to map with privilege (pvcons.h).
	 */
	if ((r = pvcons_read(c->x->xs, XBT_NULL, c->xspath, PVCONS_SECONDARY,
	    &k)) < 0) {
		con_log(c, LOG_WARNING, "%s: no valid ring-ref or port from "
		    "the guest: %s", c->label, strerror(-r));
		return -EPROTO;
	}
	c->pump.shut = c->pump.trailer = 0;	/* a reconnect starts afresh */
	return con_connect(c, PVCONS_SECONDARY, &k);
}

static void
sec_be_disconnect(struct xbe_dev *d, void *arg)
{
	struct console *c = arg;
	int hostile = c->ring.hostile;	/* then its one line said it all */

	con_pump(c, 1);
	ring_detach(c);
	if (!hostile)
		con_log(c, LOG_INFO, "%s disconnected",
		    c->label);
}

/*
 * A secondary console found hostile is closed through xenbus, from an
 * event of its own: the ring is found bad deep inside con_pump, even
 * inside sec_be_connect, where closing it would pull the ring from under
 * the caller. Closing unmaps and unbinds (sec_be_disconnect); the
 * console is served again once its frontend resets (xenbus_be.h).
 */
static void
sec_on_hostile(evutil_socket_t fd, short what, void *arg)
{
	struct console *c = arg;

	if (c->ring.hostile && c->sec.be)
		xbe_dev_fail(c->sec.be);	/* c may be gone now (removed) */
}

/* Takes c out of its primary's list and frees it. */
static void
sec_free(struct console *c)
{
	struct console *primary = c->primary;

	for (struct console **pp = &primary->sec.next; *pp;
	    pp = &(*pp)->sec.next)
		if (*pp == c) {
			*pp = c->sec.next;
			primary->sec.n--;
			break;
		}
	c->sec.next = NULL;
	xbe_dev_free(c->sec.be);
	c->sec.be = NULL;
	if (c->pump.hostile_ev)
		event_free(c->pump.hostile_ev);
	c->pump.hostile_ev = NULL;
	con_free(c);
}

static void
sec_be_removed(struct xbe_dev *d, void *arg)
{
	struct console *c = arg;

	con_log(c, LOG_INFO, "%s removed", c->label);
	sec_free(c);
}

static const struct xbe_ops sec_be_ops = {
	NULL, sec_be_connect, sec_be_disconnect, sec_be_removed,
};

/* backend/console/<domid>/<n> appeared (or changed): serve new ones. */
static void
sec_scan(struct xstore *xs, const char *path, void *arg)
{
	struct console *p = arg, *c;
	struct xcd *x = p->x;
	char dir[64], be[96], fe[96], key[128], want[96], cname[CON_CNAME_MAX];
	char **names, *v;
	unsigned int n;

	snprintf(dir, sizeof(dir), "/local/domain/%u/backend/console/%u",
	    x->self, p->domid);
	if (p->pump.shut || xstore_ls(xs, XBT_NULL, dir, &names, &n) < 0)
		return;
	for (unsigned int i = 0; i < n; i++) {
		char *end;
		unsigned long devid = strtoul(names[i], &end, 10);
		int ours, r;

		if (*end || devid == 0 || devid > 1024)
			continue;	/* 0 is the primary's: console/ */
		for (c = p->sec.next; c; c = c->sec.next)
			if (c->devid == devid)
				break;
		if (c)
			continue;
		snprintf(be, sizeof(be), "%s/%lu", dir, devid);
		snprintf(want, sizeof(want),
		    "/local/domain/%u/device/console/%lu", p->domid, devid);
		snprintf(key, sizeof(key), "%s/frontend", be);
		if (xstore_read(xs, XBT_NULL, key, &v, NULL) < 0)
			continue;
		ours = strcmp(v, want) == 0;
		free(v);
		snprintf(fe, sizeof(fe), "%s", want);
		snprintf(key, sizeof(key), "%s/type", fe);
		if (!ours || xstore_read(xs, XBT_NULL, key, &v, NULL) < 0)
			continue;
		ours = strcmp(v, "xenconsoled") == 0;
		free(v);
		if (!ours)
			continue;	/* qemu's (type=ioemu) */
		if (p->sec.n >= CON_SEC_MAX) {
			con_log(p, LOG_WARNING, "more than %d "
			    "secondary consoles; ignoring %lu", CON_SEC_MAX,
			    devid);
			continue;
		}
		snprintf(cname, sizeof(cname), "%lu", devid);
		snprintf(key, sizeof(key), "%s/name", be);
		if (xstore_read(xs, XBT_NULL, key, &v, NULL) == 0) {
			if (v[0])
				/* logname.c escapes it for the file */
				snprintf(cname, sizeof(cname), "%s", v);
			free(v);
		}
		c = con_new(x, p, p->domid, p->name, p->uuid, (unsigned)devid,
		    cname, fe);
		if (c == NULL)
			break;
		c->sec.next = p->sec.next;
		p->sec.next = c;
		p->sec.n++;
		con_log(c, LOG_INFO, "%s found (%s)", c->label,
		    be);
		c->pump.hostile_ev = event_new(loop_base(x->loop), -1, 0,
		    sec_on_hostile, c);
		r = c->pump.hostile_ev ? 0 : -ENOMEM;
		if (r < 0 ||
		    (r = xbe_dev_new(xs, be, 0, &sec_be_ops, c, &c->sec.be)) < 0) {
			con_log(c, LOG_WARNING, "%s: cannot "
			    "serve %s: %s", c->label, be, strerror(-r));
			sec_free(c);
		}
	}
	free(names);
}

void
sec_watch(struct console *p)
{
	struct xcd *x = p->x;
	char path[64];
	int r;

	snprintf(path, sizeof(path), "/local/domain/%u/backend/console/%u",
	    x->self, p->domid);
	if ((r = xstore_watch(x->xs, path, sec_scan, p,
	    &p->sec.be_watch)) < 0)
		con_log(p, LOG_WARNING,
		    "cannot watch %s: %s", path, strerror(-r));
	/* The frontend's nodes may come after the backend's. */
	snprintf(path, sizeof(path), "/local/domain/%u/device/console",
	    p->domid);
	if ((r = xstore_watch(x->xs, path, sec_scan, p,
	    &p->sec.fe_watch)) < 0)
		con_log(p, LOG_WARNING,
		    "cannot watch %s: %s", path, strerror(-r));
}

void
sec_stop(struct console *p)
{
	while (p->sec.next)
		sec_free(p->sec.next);
	if (p->sec.be_watch)
		xstore_unwatch(p->sec.be_watch);
	if (p->sec.fe_watch)
		xstore_unwatch(p->sec.fe_watch);
	p->sec.be_watch = p->sec.fe_watch = NULL;
}
