/*
 * The grant copier the ring engines are given: a batch of netring_copy
 * ops becomes one batch of grant copies, each op's status set from its
 * segment's. With a gcopy handle (local buffers from gcopy_alloc) the
 * batch goes to Xen as hypercalls (lib/gcopy.h says why); without,
 * through gntdev's xengnttab_grant_copy, which splits local buffers at
 * page boundaries itself.
 */
#ifndef NETBACKD_COPIER_H
#define NETBACKD_COPIER_H

#include <stdint.h>
#include <xengnttab.h>

#include "netring.h"

struct gnt;
struct gcopy;

struct copier {
	struct gnt *g;
	struct gcopy *gc;	/* or NULL: through g */
	uint16_t domid;		/* the frontend's */
	xengnttab_grant_copy_segment_t *segs;
	unsigned max;
	uint64_t calls, failed;	/* hypercalls, and ops that failed */
};

/* For batches of up to max ops; 0 or -ENOMEM. */
int copier_init(struct copier *c, struct gnt *g, struct gcopy *gc,
		uint16_t domid, unsigned max);
void copier_fini(struct copier *c);
/* netring_ops.copy: ctx is the struct copier. */
int copier_copy(struct copier *c, struct netring_copy *ops, unsigned n);

#endif
