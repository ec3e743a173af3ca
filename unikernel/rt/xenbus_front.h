/*
 * The frontend half of a xenbus device (a netfront's device/vif/0): find
 * the backend, publish our ring refs and event channel with our state in
 * one transaction, and wait by watch for the backend's state. The states
 * and the moves allowed are lib/xbstate.c's, the core dom0's backends
 * share. The backend's nodes are the peer's: its path and id are read
 * strictly, and its state parsed as xbstate_parse does.
 */
#ifndef XUD_UK_XENBUS_FRONT_H
#define XUD_UK_XENBUS_FRONT_H

#include <stdint.h>

#include "xbstate.h"

#define XBF_NODE_MAX 64
#define XBF_PATH_MAX 128
/* Tries of a transaction xenstored asks us to repeat (-EAGAIN). */
#define XBF_TX_TRIES 8

struct xbf {
	char node[XBF_NODE_MAX];	/* ours, relative: "device/vif/0" */
	char backend[XBF_PATH_MAX];	/* the backend's absolute path */
	uint32_t backend_id;
	int state;			/* ours, as last written */
	char token[XBF_NODE_MAX + 4];	/* the watch on backend/state */
};

/* A node under ours and its value, for xbf_publish. */
struct xbf_kv {
	const char *key;
	const char *value;
};

/*
 * Reads node/backend, node/backend-id and our own node/state (Unknown if
 * absent; the toolstack writes Initialising), and watches backend/state.
 * -ENAMETOOLONG, -EPROTO (a backend path that is not absolute, a bad
 * id), or the xenstore error.
 */
int xbf_open(struct xbf *f, const char *node);
/* Unwatches. */
void xbf_close(struct xbf *f);

/*
 * Writes each kv under our node and then our state, in one transaction
 * (repeated when xenstored says so, up to XBF_TX_TRIES). -EINVAL for a
 * move xbstate_may refuses a frontend.
 */
int xbf_publish(struct xbf *f, const struct xbf_kv *kv, unsigned n,
		int state);
/* Writes our state alone; -EINVAL as above. */
int xbf_switch(struct xbf *f, int state);

/* The backend's state now: XenbusStateUnknown if its node is absent. */
int xbf_backend_state(struct xbf *f, int *state);
/*
 * Waits until the backend's state is one in mask (bit 1 << state) or
 * deadline (Xen system time) passes. Returns the state, -ETIMEDOUT, or
 * -EPROTO when the backend wrote something that is no state.
 */
int xbf_wait_backend(struct xbf *f, unsigned mask, uint64_t deadline);

#endif
