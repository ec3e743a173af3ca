/*
 * A console's ring: mapped and its event channel bound by lib/pvcons.c
 * (a secondary's by grant only), seen through consring.h. Nothing here
 * reads the ring: pump.c does.
 */
#include "config.h"

#include "console.h"

int
ring_connect(struct console *c, enum pvcons_kind kind,
	     const struct pvcons_keys *k, evtchn_cb *cb)
{
	struct con_ring *r = &c->ring;
	int e;

	if ((e = pvcons_connect(&r->pc, c->x->gnt, c->x->ev, c->domid, kind,
	    k, cb, c)) < 0)
		return e;
	consring_out(&r->out, r->pc.page);
	consring_in(&r->in, r->pc.page);
	return 0;
}

void
ring_detach(struct console *c)
{
	pvcons_disconnect(&c->ring.pc);
	c->ring.held = 0;
	c->ring.hostile = 0;
}
