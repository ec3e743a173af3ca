/*
 * PV console rings, backend side: keys, map, bind. Each xenstore value
 * is read once; what is mapped and bound is the copy that was checked.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>

#include "grant.h"
#include "pvcons.h"
#include "xstore.h"

/* after grant.h, whose Xen library headers define what these need */
#include <xen/grant_table.h>
#include <xen/event_channel.h>

int
pvcons_check(enum pvcons_kind kind, uint64_t ring_ref, uint64_t port,
	     struct pvcons_keys *k)
{
	/* Port 0 is reserved by Xen; the FIFO ABI bounds the rest. */
	if (port >= EVTCHN_FIFO_NR_CHANNELS)
		return -ERANGE;
	if (port == 0)
		return -EINVAL;
	if (kind == PVCONS_SECONDARY) {
		if (ring_ref > UINT32_MAX)	/* grant_ref_t */
			return -ERANGE;
		if (ring_ref < GNTTAB_NR_RESERVED_ENTRIES)
			return -EINVAL;
	} else if ((xen_pfn_t)ring_ref != ring_ref) {
		return -ERANGE;
	}
	k->ring_ref = ring_ref;
	k->port = (uint32_t)port;
	return 0;
}

int
pvcons_read(struct xstore *xs, xs_transaction_t t, const char *dir,
	    enum pvcons_kind kind, struct pvcons_keys *k)
{
	char path[256];
	uint64_t ref, port;
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/ring-ref", dir) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	if ((r = xstore_read_uint(xs, t, path, UINT64_MAX, &ref)) < 0)
		return r;
	snprintf(path, sizeof(path), "%s/port", dir);	/* shorter: fits */
	if ((r = xstore_read_uint(xs, t, path, UINT64_MAX, &port)) < 0)
		return r;
	return pvcons_check(kind, ref, port, k);
}

int
pvcons_is(const struct pvcons *pc, const struct pvcons_keys *k)
{
	return pc->page != NULL && pc->keys.ring_ref == k->ring_ref &&
	    pc->keys.port == k->port;
}

/* The page as kind allows: see pvcons.h. */
static int
pvcons_map(struct pvcons *pc, enum pvcons_kind kind,
	   const struct pvcons_keys *k)
{
	uint32_t gref = kind == PVCONS_PRIMARY ? GNTTAB_RESERVED_CONSOLE :
	    (uint32_t)k->ring_ref;
	int r;

	r = gnt_map(pc->gnt, pc->domid, &gref, 1, PROT_READ | PROT_WRITE,
	    &pc->page);
	pc->by_grant = r == 0;
	if (r < 0 && kind == PVCONS_PRIMARY)
		r = gnt_foreign_map(pc->gnt, pc->domid, (xen_pfn_t)k->ring_ref,
		    PROT_READ | PROT_WRITE, &pc->page);
	if (r < 0)
		pc->page = NULL;
	return r;
}

int
pvcons_connect(struct pvcons *pc, struct gnt *gnt, struct evtchn *ev,
	       uint32_t domid, enum pvcons_kind kind,
	       const struct pvcons_keys *k, evtchn_cb *cb, void *arg)
{
	int r;

	if (pc->page != NULL)
		return -EBUSY;
	memset(pc, 0, sizeof(*pc));
	pc->gnt = gnt;
	pc->ev = ev;
	pc->domid = domid;
	if ((r = pvcons_map(pc, kind, k)) < 0)
		goto fail;
	if ((r = evtchn_bind_interdomain(ev, domid, k->port, cb, arg,
	    &pc->local)) < 0) {
		pvcons_disconnect(pc);
		goto fail;
	}
	pc->bound = 1;
	pc->keys = *k;
	return 0;
fail:
	memset(pc, 0, sizeof(*pc));
	return r;
}

int
pvcons_notify(struct pvcons *pc)
{
	if (!pc->bound)
		return -ENOTCONN;
	return evtchn_notify(pc->ev, pc->local);
}

void
pvcons_disconnect(struct pvcons *pc)
{
	if (pc->bound)
		evtchn_unbind(pc->ev, pc->local);
	if (pc->page != NULL) {
		if (pc->by_grant)
			gnt_unmap(pc->gnt, pc->page, 1);
		else
			gnt_foreign_unmap(pc->gnt, pc->page, 1);
	}
	memset(pc, 0, sizeof(*pc));
}
