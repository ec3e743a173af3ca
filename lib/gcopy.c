/* Grant copies by hypercall, with buffers we grant to ourselves. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xencall.h>
#include <xen/xen.h>

#include "gcopy.h"

#define PAGE 4096u

struct gcopy {
	xencall_handle *call;
	xengntshr_handle *sh;
	uint32_t self;
	struct gnttab_copy *ops;	/* a hypercall buffer */
	uint32_t *owner;
	unsigned max;
	struct gcopy_buf bufs[GCOPY_BUFS];	/* their refs: ours, calloc'd */
	unsigned nbufs;
};

/* The buffer holding p, or NULL. */
static const struct gcopy_buf *
buf_of(const struct gcopy_buf *bufs, unsigned nbufs, const uint8_t *p)
{
	for (unsigned i = 0; i < nbufs; i++)
		if (p >= bufs[i].base &&
		    (size_t)(p - bufs[i].base) < bufs[i].pages * PAGE)
			return &bufs[i];
	return NULL;
}

int
gcopy_plan(const struct gcopy_buf *bufs, unsigned nbufs,
	   const xengnttab_grant_copy_segment_t *segs, uint32_t count,
	   uint32_t *next, struct gnttab_copy *ops, uint32_t *owner,
	   unsigned max)
{
	unsigned n = 0;

	for (; *next < count; (*next)++) {
		const xengnttab_grant_copy_segment_t *s = &segs[*next];
		int to_guest = (s->flags & GNTCOPY_dest_gref) != 0;
		const union xengnttab_copy_ptr *g = to_guest ? &s->dest :
		    &s->source;
		const uint8_t *p = to_guest ? s->source.virt : s->dest.virt;
		const struct gcopy_buf *b = buf_of(bufs, nbufs, p);
		unsigned need, off, left, goff;

		if (b == NULL || s->len == 0 ||
		    (size_t)(p - b->base) + s->len > b->pages * PAGE ||
		    (unsigned)g->foreign.offset + s->len > PAGE ||
		    (s->flags & (GNTCOPY_source_gref | GNTCOPY_dest_gref)) ==
		    (GNTCOPY_source_gref | GNTCOPY_dest_gref) ||
		    !(s->flags & (GNTCOPY_source_gref | GNTCOPY_dest_gref)))
			return -EINVAL;
		off = (unsigned)((size_t)(p - b->base) % PAGE);
		need = (off + s->len + PAGE - 1) / PAGE;
		if (need > max)
			return -EINVAL;
		if (n + need > max)
			break;		/* the next call takes it whole */
		left = s->len;
		goff = g->foreign.offset;
		for (size_t pg = (size_t)(p - b->base) / PAGE; left; pg++) {
			struct gnttab_copy *o = &ops[n];
			unsigned len = PAGE - off < left ? PAGE - off : left;
			struct gnttab_copy_ptr guest = {
				.u.ref = g->foreign.ref,
				.domid = g->foreign.domid,
				.offset = (uint16_t)goff,
			}, ours = {
				.u.ref = b->refs[pg],
				.domid = DOMID_SELF,
				.offset = (uint16_t)off,
			};

			memset(o, 0, sizeof(*o));
			o->source = to_guest ? ours : guest;
			o->dest = to_guest ? guest : ours;
			o->len = (uint16_t)len;
			o->flags = GNTCOPY_source_gref | GNTCOPY_dest_gref;
			owner[n++] = *next;
			left -= len;
			goff += len;
			off = 0;
		}
	}
	return (int)n;
}

/* GNTTABOP_copy of the first n ops in gc->ops: 0 or -errno. */
static int
copy_ops(struct gcopy *gc, unsigned n)
{
	errno = 0;
	if (xencall3(gc->call, __HYPERVISOR_grant_table_op, GNTTABOP_copy,
	    (uint64_t)(uintptr_t)gc->ops, n) != 0)
		return errno ? -errno : -EIO;
	return 0;
}

int
gcopy_open(uint32_t self, unsigned max_ops, struct gcopy **out)
{
	struct gcopy *gc;
	int err;

	if (max_ops == 0)
		return -EINVAL;
	if ((gc = calloc(1, sizeof(*gc))) == NULL)
		return -ENOMEM;
	gc->self = self;
	gc->max = max_ops;
	errno = 0;
	if ((gc->call = xencall_open(NULL, 0)) == NULL ||
	    (gc->sh = xengntshr_open(NULL, 0)) == NULL)
		goto fail;
	errno = 0;
	gc->ops = xencall_alloc_buffer(gc->call, max_ops * sizeof(*gc->ops));
	gc->owner = calloc(max_ops, sizeof(*gc->owner));
	if (gc->ops == NULL || gc->owner == NULL) {
		errno = errno ? errno : ENOMEM;
		goto fail;
	}
	/*
	 * An empty batch: whether privcmd passes our hypercalls at all.
	 * A domU's Linux may refuse them (privcmd restricted to a target
	 * domain), which must show here, not in the first real batch.
	 */
	if ((err = copy_ops(gc, 0)) < 0) {
		gcopy_close(gc);
		return err;
	}
	*out = gc;
	return 0;
fail:
	err = errno ? -errno : -ENOENT;
	gcopy_close(gc);
	return err;
}

void
gcopy_close(struct gcopy *gc)
{
	if (gc == NULL)
		return;
	for (unsigned i = 0; i < gc->nbufs; i++) {
		xengntshr_unshare(gc->sh, (void *)(uintptr_t)gc->bufs[i].base,
		    (uint32_t)gc->bufs[i].pages);
		free((void *)(uintptr_t)gc->bufs[i].refs);
	}
	if (gc->ops)
		xencall_free_buffer(gc->call, gc->ops);
	if (gc->sh)
		xengntshr_close(gc->sh);
	if (gc->call)
		xencall_close(gc->call);
	free(gc->owner);
	free(gc);
}

int
gcopy_alloc(struct gcopy *gc, size_t size, void **addr)
{
	size_t pages = (size + PAGE - 1) / PAGE;
	uint32_t *refs;
	void *p;

	if (gc->nbufs == GCOPY_BUFS || pages == 0 || pages > INT32_MAX)
		return -EINVAL;
	if ((refs = calloc(pages, sizeof(*refs))) == NULL)
		return -ENOMEM;
	errno = 0;
	p = xengntshr_share_pages(gc->sh, gc->self, (int)pages, refs, 1);
	if (p == NULL) {
		int err = errno ? -errno : -ENOMEM;

		free(refs);
		return err;
	}
	gc->bufs[gc->nbufs++] = (struct gcopy_buf){ p, pages, refs };
	*addr = p;
	return 0;
}

int
gcopy_copy(struct gcopy *gc, xengnttab_grant_copy_segment_t *segs,
	   uint32_t count)
{
	uint32_t next = 0, k;

	for (k = 0; k < count; k++)
		segs[k].status = GNTST_okay;
	while (next < count) {
		int n = gcopy_plan(gc->bufs, gc->nbufs, segs, count, &next,
		    gc->ops, gc->owner, gc->max), r;

		if (n < 0)
			return n;
		if ((r = copy_ops(gc, (unsigned)n)) < 0)
			return r;
		/* a segment split in two takes its first failure */
		for (int i = 0; i < n; i++)
			if (gc->ops[i].status != GNTST_okay &&
			    segs[gc->owner[i]].status == GNTST_okay)
				segs[gc->owner[i]].status = gc->ops[i].status;
	}
	return 0;
}
