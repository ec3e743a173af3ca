/*
 * Xenbus backend devices. xbe_next() is the pure state machine: given the
 * backend's state and what it sees (frontend state, online,
 * hotplug-status), it says which state to write and what to do. The
 * device layer (xbe_dev_*) watches xenstore and applies it; netbackd and
 * the console and channel backends use it.
 *
 *   Initialising -> InitWait      features written
 *   InitWait     -> Connected     frontend Initialised/Connected, hotplug ok,
 *                                 and connect() succeeded
 *   Connected    -> Closing       frontend Closing, or online=0
 *   Closing      -> Closed        frontend Closed (or gone)
 *   Closed       -> InitWait      frontend back to Initialising (reconnect)
 *   Closed, online=0 -> removed   the toolstack tears the device down
 *
 * A device the backend gave up on (failed: a hostile frontend, or its
 * connect() failed) goes to Closing, disconnecting, and stays down while
 * the frontend stays where it was. The failure is about that one
 * connection, not the guest: once the frontend closes or starts over
 * (xbe_fe_restarted: Closed, Initialising, InitWait or gone), failed
 * ends and the device connects again the usual way, just as after a
 * close the frontend asked for. A guest gains nothing it could not do
 * by closing and reopening, and a daemon restart is not needed to give
 * a reset guest its device back.
 *
 * The toolstack's nodes are never deleted; only "state" (and what the
 * backend wrote through its own ops) is written.
 */
#ifndef XUD_XENBUS_BE_H
#define XUD_XENBUS_BE_H

#include <stdint.h>
#include <xen/io/xenbus.h>

#include "xbstate.h"	/* the states' names: xbstate_name() */

enum xbe_action {
	XBE_NONE,
	XBE_FEATURES,		/* write features, then InitWait */
	XBE_CONNECT,		/* map rings, bind ports */
	XBE_DISCONNECT,		/* unmap, unbind */
	XBE_REMOVE,		/* forget the device */
};

struct xbe_input {
	int fe_state;		/* XenbusStateUnknown if absent */
	int online;		/* backend's "online" node */
	int hotplug_ok;		/* hotplug-status=connected, or not needed */
	int failed;		/* the backend gave up on this connection */
};

struct xbe_step {
	int state;		/* state to write, or -1 for no change */
	enum xbe_action action;
};

struct xbe_step xbe_next(int be_state, const struct xbe_input *in);
/* Has a frontend in this state let go of its connection (ends failed)? */
int xbe_fe_restarted(int fe_state);

/* The xenstore layer. */
struct xstore;
struct xbe_dev;

struct xbe_ops {
	int (*features)(struct xbe_dev *d, void *arg);
	/* Reads the frontend's ring refs and ports; 0 or -errno. */
	int (*connect)(struct xbe_dev *d, void *arg);
	void (*disconnect)(struct xbe_dev *d, void *arg);
	void (*removed)(struct xbe_dev *d, void *arg);
};

struct xbe_dev_info {
	uint32_t fe_domid;
	unsigned int devid;
	const char *be_path;	/* e.g. /local/domain/0/backend/vif/5/0 */
	const char *fe_path;	/* from the backend's "frontend" node */
};

/*
 * Starts serving the backend at be_path. need_hotplug: wait for
 * hotplug-status=connected before connecting.
 */
int xbe_dev_new(struct xstore *xs, const char *be_path, int need_hotplug,
		const struct xbe_ops *ops, void *arg, struct xbe_dev **out);
void xbe_dev_free(struct xbe_dev *d);
const struct xbe_dev_info *xbe_dev_info(const struct xbe_dev *d);
int xbe_dev_state(const struct xbe_dev *d);
/* Re-evaluates now (e.g. after the daemon's own condition changed). */
void xbe_dev_kick(struct xbe_dev *d);
/*
 * Disconnects the device on the backend's initiative (hostile frontend):
 * Closing now, and down until the frontend restarts (see the top). Calls
 * ops->disconnect (and, if the toolstack took the device away meanwhile,
 * ops->removed) before it returns: not from inside those ops or
 * connect(); a daemon that finds the frontend hostile deep in its own
 * code defers the call to a fresh event.
 */
void xbe_dev_fail(struct xbe_dev *d);

#endif
