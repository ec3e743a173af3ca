/*
 * lib/gcopy.c's plan: gnt_copy-style segments become grant-copy ops
 * with both sides by reference, our side named by DOMID_SELF and the
 * ref of the page it lies in, split where it crosses a page; a batch
 * larger than a call is cut between segments, never inside one; bad
 * segments are refused. The ops are then run by a fake hypervisor over
 * pages in memory, which must move exactly the bytes gnt_copy would.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#include "check.h"
#include "gcopy.h"

#define PAGE 4096u
#define GUEST 7
#define GREF0 100u		/* the guest's refs: GREF0 + page */
#define OREF0 500u		/* ours: OREF0 + page */
#define NPAGES 4u

static uint8_t guest[NPAGES][PAGE];
static uint8_t ours[NPAGES][PAGE] __attribute__((aligned(4096)));
static uint32_t our_refs[NPAGES];

static uint8_t *
page_of(const struct gnttab_copy_ptr *p)
{
	if (p->domid == GUEST && p->u.ref >= GREF0 &&
	    p->u.ref < GREF0 + NPAGES)
		return guest[p->u.ref - GREF0];
	if (p->domid == DOMID_SELF && p->u.ref >= OREF0 &&
	    p->u.ref < OREF0 + NPAGES)
		return ours[p->u.ref - OREF0];
	return NULL;
}

/* Xen's GNTTABOP_copy over the pages above. */
static void
run(struct gnttab_copy *ops, int n)
{
	for (int i = 0; i < n; i++) {
		struct gnttab_copy *o = &ops[i];
		uint8_t *s = page_of(&o->source), *d = page_of(&o->dest);

		if (o->flags != (GNTCOPY_source_gref | GNTCOPY_dest_gref) ||
		    s == NULL || d == NULL) {
			o->status = GNTST_bad_gntref;
			continue;
		}
		if (o->source.offset + o->len > PAGE ||
		    o->dest.offset + o->len > PAGE) {
			o->status = GNTST_bad_copy_arg;
			continue;
		}
		memcpy(d + o->dest.offset, s + o->source.offset, o->len);
		o->status = GNTST_okay;
	}
}

/* One segment between the guest's ref at off and our local memory. */
static xengnttab_grant_copy_segment_t
seg(int to_guest, uint32_t ref, uint16_t off, void *local, uint16_t len)
{
	xengnttab_grant_copy_segment_t s;
	union xengnttab_copy_ptr *g = to_guest ? &s.dest : &s.source;

	memset(&s, 0, sizeof(s));
	s.flags = to_guest ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
	g->foreign.ref = ref;
	g->foreign.offset = off;
	g->foreign.domid = GUEST;
	if (to_guest)
		s.source.virt = local;
	else
		s.dest.virt = local;
	s.len = len;
	return s;
}
#define from_guest(...) seg(0, __VA_ARGS__)
#define to_guest(...) seg(1, __VA_ARGS__)

int
main(void)
{
	const struct gcopy_buf bufs[2] = {
		{ ours[0], 1, &our_refs[0] },
		{ ours[1], NPAGES - 1, &our_refs[1] },
	};
	xengnttab_grant_copy_segment_t segs[4];
	struct gnttab_copy ops[8];
	uint32_t owner[8], next = 0;
	int n;

	for (unsigned k = 0; k < NPAGES; k++) {
		our_refs[k] = OREF0 + k;
		memset(guest[k], 0x10 + k, PAGE);
	}
	memset(ours, 0, sizeof(ours));

	/* 0: inside one page of ours; 1: crosses ours[1] -> ours[2];
	   2: to the guest from ours[3]; 3: the first page of buffer 0 */
	segs[0] = from_guest(GREF0 + 0, 10, ours[1] + 100, 200);
	segs[1] = from_guest(GREF0 + 1, 0, ours[1] + PAGE - 96, 4000);
	memset(ours[3], 0xee, PAGE);
	segs[2] = to_guest(GREF0 + 2, 4000, ours[3] + 7, 96);
	segs[3] = from_guest(GREF0 + 3, 0, ours[0], 16);
	n = gcopy_plan(bufs, 2, segs, 4, &next, ops, owner, 8);
	CHECK_EQ(n, 5);
	CHECK_EQ(next, 4);
	CHECK_EQ(owner[0], 0);
	CHECK_EQ(owner[1], 1);
	CHECK_EQ(owner[2], 1);
	CHECK_EQ(owner[3], 2);
	CHECK_EQ(owner[4], 3);
	/* the split: 96 bytes to the end of ours[1], the rest at ours[2] */
	CHECK_EQ(ops[1].dest.u.ref, OREF0 + 1);
	CHECK_EQ(ops[1].dest.offset, PAGE - 96);
	CHECK_EQ(ops[1].len, 96);
	CHECK_EQ(ops[1].source.offset, 0);
	CHECK_EQ(ops[2].dest.u.ref, OREF0 + 2);
	CHECK_EQ(ops[2].dest.offset, 0);
	CHECK_EQ(ops[2].len, 4000 - 96);
	CHECK_EQ(ops[2].source.offset, 96);
	CHECK_EQ(ops[2].source.u.ref, GREF0 + 1);
	CHECK_EQ(ops[3].source.domid, DOMID_SELF);
	CHECK_EQ(ops[3].dest.domid, GUEST);
	CHECK_EQ(ops[4].dest.u.ref, OREF0);
	run(ops, n);
	for (int i = 0; i < n; i++)
		CHECK_EQ(ops[i].status, GNTST_okay);
	CHECK_EQ(ours[1][99], 0);
	CHECK_EQ(ours[1][100], 0x10);
	CHECK_EQ(ours[1][299], 0x10);
	CHECK_EQ(ours[1][300], 0);
	CHECK_EQ(ours[1][PAGE - 97], 0);
	CHECK_EQ(ours[1][PAGE - 96], 0x11);
	CHECK_EQ(ours[2][4000 - 97], 0x11);
	CHECK_EQ(ours[2][4000 - 96], 0);
	CHECK_EQ(guest[2][3999], 0x12);
	CHECK_EQ(guest[2][4000], 0xee);
	CHECK_EQ(guest[2][4095], 0xee);
	CHECK_EQ(ours[0][15], 0x13);
	CHECK_EQ(ours[0][16], 0);

	/* room for 2 ops a call: segment 1 needs 2, so it starts the
	   second call whole */
	next = 0;
	CHECK_EQ(gcopy_plan(bufs, 2, segs, 4, &next, ops, owner, 2), 1);
	CHECK_EQ(next, 1);
	CHECK_EQ(gcopy_plan(bufs, 2, segs, 4, &next, ops, owner, 2), 2);
	CHECK_EQ(next, 2);
	CHECK_EQ(gcopy_plan(bufs, 2, segs, 4, &next, ops, owner, 2), 2);
	CHECK_EQ(next, 4);
	CHECK_EQ(owner[0], 2);
	CHECK_EQ(owner[1], 3);
	/* and one alone that needs more than a call refuses */
	next = 1;
	CHECK_EQ(gcopy_plan(bufs, 2, segs, 4, &next, ops, owner, 1),
	    -EINVAL);
	CHECK_EQ(next, 1);

	/* refused: memory that is not ours, past the end of a buffer, a
	   guest side crossing its page, both sides or neither by ref */
	{
		static uint8_t elsewhere[64];
		xengnttab_grant_copy_segment_t bad[5];

		bad[0] = from_guest(GREF0, 0, elsewhere, 8);
		bad[1] = from_guest(GREF0, 0, ours[0] + PAGE - 8, 16);
		bad[2] = to_guest(GREF0, PAGE - 8, ours[1], 16);
		bad[3] = from_guest(GREF0, 0, ours[1], 8);
		bad[3].flags |= GNTCOPY_dest_gref;
		bad[4] = from_guest(GREF0, 0, ours[1], 8);
		bad[4].flags = 0;
		for (unsigned k = 0; k < 5; k++) {
			next = k;
			CHECK_EQ(gcopy_plan(bufs, 2, bad, k + 1, &next, ops,
			    owner, 8), -EINVAL);
			CHECK_EQ(next, k);
		}
	}
	/* a good segment before a bad one is planned; the bad one named */
	segs[1] = from_guest(GREF0, 0, ours[0] + PAGE - 8, 16);
	next = 0;
	CHECK_EQ(gcopy_plan(bufs, 2, segs, 2, &next, ops, owner, 8), -EINVAL);
	CHECK_EQ(next, 1);
	return CHECK_DONE();
}
