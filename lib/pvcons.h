/*
 * The backend end of a PV console ring (xen/io/console.h), shared by
 * xenconsoled's consoles and xentropyd's legacy channel: read ring-ref
 * and port from the frontend's xenstore directory, map the page, bind
 * the event channel; and undo both. No logging: -errno to the caller.
 *
 * How the page is mapped depends on who chose ring-ref:
 * - PVCONS_PRIMARY, a domain's console/ directory: the toolstack set up
 *   the reserved grant GNTTAB_RESERVED_CONSOLE and wrote the ring's frame
 *   number as ring-ref. The grant is used; only where a toolstack made
 *   none is ring-ref mapped as a frame (privileged foreign map), as Xen's
 *   xenconsoled does. The guest cannot write these nodes.
 * - PVCONS_SECONDARY, a device/console/N frontend: the guest wrote
 *   ring-ref, so it is a grant reference and the page is mapped by grant
 *   only, never as a frame: a guest must not make dom0 map a frame it
 *   chose. References below GNTTAB_NR_RESERVED_ENTRIES (the toolstack's:
 *   the primary console's and xenstore's rings) are refused.
 *
 * A zeroed struct pvcons is disconnected; its fields are read-only to
 * callers. The ring is consumed with consring.h on pc->page.
 */
#ifndef XUD_PVCONS_H
#define XUD_PVCONS_H

#include <stdint.h>
#include <xenstore.h>

#include "evtchn.h"

struct gnt;
struct xstore;

enum pvcons_kind { PVCONS_PRIMARY, PVCONS_SECONDARY };

/* What the frontend's directory says, validated. */
struct pvcons_keys {
	uint64_t ring_ref;	/* frame (primary) or grant reference */
	uint32_t port;		/* the guest's end of the event channel */
};

struct pvcons {
	struct gnt *gnt;
	struct evtchn *ev;
	uint32_t domid;
	struct pvcons_keys keys;	/* those mapped and bound */
	void *page;			/* NULL: disconnected */
	evtchn_port_t local;		/* our end, valid when bound */
	unsigned int by_grant : 1;	/* else foreign map (primary only) */
	unsigned int bound : 1;
};

/*
 * Pure: checks ring-ref and port as read (decimal, already parsed) for
 * kind. 0 with *k filled, -EINVAL for a reserved or zero port or a
 * reserved grant reference, -ERANGE for a value out of range.
 */
int pvcons_check(enum pvcons_kind kind, uint64_t ring_ref, uint64_t port,
		 struct pvcons_keys *k);
/*
 * Reads dir/ring-ref and dir/port and checks them: -ENOENT while the
 * frontend has not written them yet, else as xstore_read_uint() and
 * pvcons_check().
 */
int pvcons_read(struct xstore *xs, xs_transaction_t t, const char *dir,
		enum pvcons_kind kind, struct pvcons_keys *k);
/* Is pc connected to exactly these keys (nothing to redo)? */
int pvcons_is(const struct pvcons *pc, const struct pvcons_keys *k);
/*
 * Maps the ring of domid and binds k->port, with cb(local port, arg) on
 * each notification. gnt must have been opened with want_foreign for a
 * primary to fall back to a foreign map. -EBUSY if pc is connected
 * (disconnect it first, after draining what the ring holds); on any
 * failure nothing is held.
 */
int pvcons_connect(struct pvcons *pc, struct gnt *gnt, struct evtchn *ev,
		   uint32_t domid, enum pvcons_kind kind,
		   const struct pvcons_keys *k, evtchn_cb *cb, void *arg);
/* Tells the guest the ring moved; -ENOTCONN when not bound. */
int pvcons_notify(struct pvcons *pc);
/*
 * Unbinds and unmaps; pc is zeroed. Safe on a disconnected pc, and from
 * within pc's own event-channel callback (evtchn_unbind() is).
 */
void pvcons_disconnect(struct pvcons *pc);

#endif
