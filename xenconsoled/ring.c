/*
 * A console's ring: mapped (by grant, or as a foreign frame where the
 * toolstack gave no grant), its event channel bound. Nothing here reads
 * the ring: pump.c does.
 */
#include "config.h"

#include <sys/mman.h>

#include "console.h"
#include "grant.h"

int
ring_map(struct console *c, uint32_t gref, uint64_t ref, int foreign_ok)
{
	struct con_ring *r = &c->ring;
	int e;

	e = gnt_map(c->x->gnt, c->domid, &gref, 1, PROT_READ | PROT_WRITE,
	    &r->intf);
	r->by_grant = e == 0;
	if (e < 0 && foreign_ok)
		e = gnt_foreign_map(c->x->gnt, c->domid, (xen_pfn_t)ref,
		    PROT_READ | PROT_WRITE, &r->intf);
	if (e < 0) {
		r->intf = NULL;
		return e;
	}
	r->ring_ref = ref;
	consring_out(&r->out, r->intf);
	consring_in(&r->in, r->intf);
	return 0;
}

int
ring_bind(struct console *c, uint32_t port, evtchn_cb *cb)
{
	struct con_ring *r = &c->ring;
	int e;

	r->remote_port = port;
	if ((e = evtchn_bind_interdomain(c->x->ev, c->domid, port, cb, c,
	    &r->port)) < 0)
		return e;
	r->bound = 1;
	return 0;
}

void
ring_detach(struct console *c)
{
	struct con_ring *r = &c->ring;

	if (r->bound)
		evtchn_unbind(c->x->ev, r->port);
	r->bound = 0;
	r->held = 0;
	if (r->intf) {
		if (r->by_grant)
			gnt_unmap(c->x->gnt, r->intf, 1);
		else
			gnt_foreign_unmap(c->x->gnt, r->intf, 1);
	}
	r->intf = NULL;
	r->hostile = 0;
}
