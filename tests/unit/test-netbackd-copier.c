/*
 * netbackd/copier.c: a batch of netring copy ops becomes one grant-copy
 * call with the right directions, refs, offsets and domid, and each
 * op's status comes back from its segment. gnt_copy is replaced by a
 * fake hypervisor over pages in memory (the test defines it, so the
 * archive's grant.o, and Xen, are not linked in).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#include "check.h"
#include "grant.h"
#include "copier.h"

#define DOMID 7
#define GREF0 8u
#define NPAGES 4u

static uint8_t pages[NPAGES][4096];
static unsigned calls, last_count;
static int fail_call;		/* the next call fails as a whole */

/* The fake hypervisor: grant ref GREF0 + k of DOMID is pages[k]. */
static uint8_t *
page_of(uint32_t ref, uint16_t domid)
{
	if (domid != DOMID || ref < GREF0 || ref >= GREF0 + NPAGES)
		return NULL;
	return pages[ref - GREF0];
}

int
gnt_copy(struct gnt *g, xengnttab_grant_copy_segment_t *segs,
	 uint32_t count)
{
	calls++;
	last_count = count;
	if (fail_call) {
		fail_call = 0;
		return -EIO;
	}
	for (uint32_t k = 0; k < count; k++) {
		xengnttab_grant_copy_segment_t *s = &segs[k];
		int from = s->flags == GNTCOPY_source_gref;
		uint8_t *p = from ? page_of(s->source.foreign.ref,
		    s->source.foreign.domid) : page_of(s->dest.foreign.ref,
		    s->dest.foreign.domid);
		unsigned off = from ? s->source.foreign.offset :
		    s->dest.foreign.offset;

		if ((s->flags != GNTCOPY_source_gref &&
		    s->flags != GNTCOPY_dest_gref) || p == NULL) {
			s->status = GNTST_bad_gntref;
			continue;
		}
		if (off + s->len > 4096) {
			s->status = GNTST_bad_copy_arg;
			continue;
		}
		if (from)
			memcpy(s->dest.virt, p + off, s->len);
		else
			memcpy(p + off, s->source.virt, s->len);
		s->status = GNTST_okay;
	}
	return 0;
}

int
main(void)
{
	struct copier c;
	uint8_t local[3][64];
	struct netring_copy ops[3];

	CHECK_EQ(copier_init(&c, NULL, NULL, DOMID, 3), 0);
	memset(pages, 0, sizeof(pages));
	memset(pages[1] + 100, 0xab, 64);
	memset(local, 0x5c, sizeof(local));
	ops[0] = (struct netring_copy){ .gref = GREF0 + 1, .offset = 100,
	    .len = 64, .dir = NETRING_FROM_GUEST, .local = local[0] };
	ops[1] = (struct netring_copy){ .gref = GREF0 + 2, .offset = 4000,
	    .len = 64, .dir = NETRING_TO_GUEST, .local = local[1] };
	/* a ref the guest never granted: this op fails, not the batch */
	ops[2] = (struct netring_copy){ .gref = GREF0 + 9, .offset = 0,
	    .len = 8, .dir = NETRING_TO_GUEST, .local = local[2] };
	CHECK_EQ(copier_copy(&c, ops, 3), 0);
	CHECK_EQ(calls, 1);
	CHECK_EQ(last_count, 3);
	CHECK_EQ(ops[0].status, 0);
	CHECK_EQ(ops[1].status, 0);
	CHECK(ops[2].status < 0);
	CHECK_EQ(local[0][0], 0xab);
	CHECK_EQ(local[0][63], 0xab);
	CHECK_EQ(pages[2][4000], 0x5c);
	CHECK_EQ(pages[2][4063], 0x5c);
	CHECK_EQ(pages[2][3999], 0);
	CHECK_EQ(c.calls, 1);
	CHECK_EQ(c.failed, 1);

	/* more ops than the copier was made for: refused, nothing sent */
	CHECK_EQ(copier_copy(&c, ops, 4), -EINVAL);
	CHECK_EQ(calls, 1);

	/* the whole call fails: the engines see a non-zero return */
	fail_call = 1;
	CHECK_EQ(copier_copy(&c, ops, 2), -EIO);
	CHECK_EQ(c.failed, 3);
	copier_fini(&c);
	copier_fini(&c);	/* twice is harmless */
	return CHECK_DONE();
}
