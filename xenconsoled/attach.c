/*
 * Attaching a console: a primary's console/ keys (ring-ref, port, type)
 * are watched and read here; a secondary's come through its xenbus
 * backend (secondary.c). Either way con_connect maps and binds the ring,
 * sets up the log and the pty, and writes the pty's tty node.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "console.h"
#include "log.h"
#include "logqueue.h"
#include "loop.h"
#include "xstore.h"

/* Reads uint key under the console's xenstore directory. */
static int
attach_read_uint(struct console *c, const char *key, uint64_t max, uint64_t *v)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/%s", c->xspath, key);
	return xstore_read_uint(c->x->xs, XBT_NULL, path, max, v);
}

struct attach_tty {
	const char *path, *name;
	unsigned int owner, guest;
	int set_perms;
};

static int
attach_tty_txn(struct xstore *xs, xs_transaction_t t, void *arg)
{
	const struct attach_tty *w = arg;
	int r;

	if ((r = xstore_write(xs, t, w->path, w->name)) < 0)
		return r;
	return w->set_perms ? xstore_set_perms(xs, t, w->path, w->owner,
	    w->guest, false) : 0;
}

/*
 * Opens the pty for xl console and tells xenstore where it is. The tty
 * node names a file that xl console opens as root, so the guest may read
 * it, never write it: libxl creates a primary's read-only for the guest;
 * a secondary's is in the guest's own device directory, where a node we
 * create would be the guest's, so we give it our permissions in the same
 * transaction.
 */
static int
attach_pty(struct console *c)
{
	char path[96];
	struct attach_tty w = { path, NULL, c->x->self, c->domid,
	    c->devid != 0 };
	uint64_t limit;
	size_t cap = c->x->set.pty_buffer;
	int r;

	/*
	 * The backlog for xl console is Xen's console/limit where the
	 * toolstack wrote one (libxl: 1 MiB), as Xen's daemon keeps it,
	 * but never more than CON_PTY_LIMIT_MAX: pty-buffer otherwise.
	 */
	if (attach_read_uint(c, "limit", UINT64_MAX, &limit) == 0)
		cap = (size_t)XUD_MAX(XUD_MIN(limit, CON_PTY_LIMIT_MAX), 1024);
	if ((r = pty_open(&c->pty, loop_base(c->x->loop), cap, &w.name)) < 0)
		return r;
	snprintf(path, sizeof(path), "%s/tty", c->xspath);
	return xstore_transact(c->x->xs, attach_tty_txn, &w);
}

/*
 * Maps and binds the ring, and sets up the log and the pty; a ring
 * already mapped is drained and let go first.
 */
int
con_connect(struct console *c, enum pvcons_kind kind,
	    const struct pvcons_keys *k)
{
	int r;

	if (c->ring.pc.page) {
		con_pump(c, 1);
		ring_detach(c);
	}
	if ((r = sink_init(c)) < 0) {
		con_log(c, LOG_WARNING, "cannot set up the log: %s",
		    strerror(-r));
		return r;
	}
	if ((r = ring_connect(c, kind, k, con_on_evtchn)) < 0) {
		con_log(c, LOG_WARNING, "cannot connect %s (ring-ref %llu, "
		    "port %u): %s", c->label, (unsigned long long)k->ring_ref,
		    k->port, strerror(-r));
		return r;
	}
/* A restart continues where the last reader stopped. */
	c->pump.cons = *c->ring.out.cons;
	c->pump.rd = c->pump.cons;
	if (c->sink.q)
		lq_forget_raw(c->sink.q);	/* a former ring's indices */
	if (c->pty.master < 0 && (r = attach_pty(c)) < 0) {
		con_log(c, LOG_WARNING,
		    "cannot set up the console pty: %s", strerror(-r));
		pty_close(&c->pty);
	}
	con_log(c, LOG_INFO, "%s attached (%s, port %u)",
	    c->label, c->ring.pc.by_grant ? "grant" : "foreign map",
	    c->ring.pc.keys.port);
	con_pump(c, 0);
	pvcons_notify(&c->ring.pc);
	return 0;
}

/* (Re)connects when a primary's console keys are there or changed. */
static int
attach_primary(struct console *c)
{
	struct pvcons_keys k;
	char path[96], *type;

	if (c->pump.shut)
		return 0;
	snprintf(path, sizeof(path), "%s/type", c->xspath);
	if (xstore_read(c->x->xs, XBT_NULL, path, &type, NULL) == 0) {
		int ours = strcmp(type, "xenconsoled") == 0;

		free(type);
		if (!ours)
			return 0;	/* qemu's or another backend's */
	}
	/* not yet (or not valid): the toolstack writes them */
	if (pvcons_read(c->x->xs, XBT_NULL, c->xspath, PVCONS_PRIMARY,
	    &k) < 0)
		return 0;
	if (pvcons_is(&c->ring.pc, &k))
		return 0;
	return con_connect(c, PVCONS_PRIMARY, &k);
}

void
con_on_watch(struct xstore *xs, const char *path, void *arg)
{
	attach_primary(arg);
}
