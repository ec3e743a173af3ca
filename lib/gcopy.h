/*
 * Grant copies issued to Xen directly, in one hypercall per batch,
 * between a domain's grants and buffers we grant to ourselves.
 *
 * Why not gntdev's copy ioctl (grant.h's gnt_copy): it pins the local
 * page of every segment with get_user_pages, and in a PV domain that
 * re-enables interrupts with events pending, one forced upcall
 * hypercall after another; profiled in the lab, that cost netbackd as
 * much time as the copies themselves. A buffer granted to ourselves
 * needs no pinning: Xen takes both sides of each copy by grant
 * reference, and the batch reaches it through privcmd (libxencall).
 *
 * The segments are gnt_copy's: the local side is a pointer (virt),
 * which must lie in memory from gcopy_alloc. A local side that
 * crosses a page is split; the guest's side never does (its offset and
 * length are within one page, as Xen checks).
 */
#ifndef XUD_GCOPY_H
#define XUD_GCOPY_H

#include <stddef.h>
#include <stdint.h>
#include <xengnttab.h>
#include <xen/grant_table.h>

struct gcopy;

/*
 * self: our own domain id (the grantee of our grants, which Xen checks
 * against the caller). max_ops: hypercall ops per call (a batch that
 * needs more makes more calls). 0 or -errno: -ENOENT, no privcmd or
 * gntalloc device here; -EPERM, privcmd passes no hypercalls of ours
 * (a domU's kernel may restrict it to a target domain).
 */
int gcopy_open(uint32_t self, unsigned max_ops, struct gcopy **out);
/* Ends the grants and frees gcopy_alloc's memory. */
void gcopy_close(struct gcopy *gc);
/*
 * size bytes (whole pages), zeroed, granted writable to ourselves, for
 * the local side of copies; at most GCOPY_BUFS per handle. 0 or
 * -errno (-ENOSPC: the gntalloc device's limit= is reached).
 */
#define GCOPY_BUFS 4
int gcopy_alloc(struct gcopy *gc, size_t size, void **addr);
/* As gnt_copy: 0 and each segment's status, or -errno for the call. */
int gcopy_copy(struct gcopy *gc, xengnttab_grant_copy_segment_t *segs,
	       uint32_t count);

/* The pure part, for tests: our buffers, their refs. */
struct gcopy_buf {
	const uint8_t *base;
	size_t pages;
	const uint32_t *refs;
};

/*
 * Turns segs[*next...] into hypercall ops (at most max), stopping at a
 * segment that does not fit whole; owner[i] is the segment op i came
 * from; *next moves past the segments planned. Our side is named by
 * DOMID_SELF and the ref. Returns the number of ops, or -EINVAL for a
 * segment whose local side is not in bufs, whose guest side crosses its
 * page, or that needs more than max ops alone (*next then names it).
 */
int gcopy_plan(const struct gcopy_buf *bufs, unsigned nbufs,
	       const xengnttab_grant_copy_segment_t *segs, uint32_t count,
	       uint32_t *next, struct gnttab_copy *ops, uint32_t *owner,
	       unsigned max);

#endif
