/* Batched grant copies for the ring engines. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/grant_table.h>

#include "gcopy.h"
#include "grant.h"
#include "copier.h"

int
copier_init(struct copier *c, struct gnt *g, struct gcopy *gc,
	    uint16_t domid, unsigned max)
{
	memset(c, 0, sizeof(*c));
	c->segs = calloc(max, sizeof(*c->segs));
	if (c->segs == NULL)
		return -ENOMEM;
	c->g = g;
	c->gc = gc;
	c->domid = domid;
	c->max = max;
	return 0;
}

void
copier_fini(struct copier *c)
{
	free(c->segs);
	c->segs = NULL;
}

int
copier_copy(struct copier *c, struct netring_copy *ops, unsigned n)
{
	int r;

	if (n > c->max)
		return -EINVAL;
	for (unsigned k = 0; k < n; k++) {
		xengnttab_grant_copy_segment_t *s = &c->segs[k];

		memset(s, 0, sizeof(*s));
		s->len = ops[k].len;
		if (ops[k].dir == NETRING_FROM_GUEST) {
			s->flags = GNTCOPY_source_gref;
			s->source.foreign.ref = ops[k].gref;
			s->source.foreign.offset = ops[k].offset;
			s->source.foreign.domid = c->domid;
			s->dest.virt = ops[k].local;
		} else {
			s->flags = GNTCOPY_dest_gref;
			s->dest.foreign.ref = ops[k].gref;
			s->dest.foreign.offset = ops[k].offset;
			s->dest.foreign.domid = c->domid;
			s->source.virt = ops[k].local;
		}
	}
	c->calls++;
	r = c->gc ? gcopy_copy(c->gc, c->segs, n) : gnt_copy(c->g, c->segs, n);
	if (r < 0) {
		c->failed += n;
		return r;
	}
	for (unsigned k = 0; k < n; k++) {
		ops[k].status = c->segs[k].status == GNTST_okay ? 0 :
		    (c->segs[k].status < 0 ? c->segs[k].status : -1);
		c->failed += ops[k].status != 0;
	}
	return 0;
}
