/*
 * Grant-table hypercalls. A PV guest's table frames are Xen's pages,
 * named by MFN after GNTTABOP_setup_table; they are mapped like
 * shared_info, over a page of the image.
 *
 * Mapping a peer's grant at a virtual address of ours replaces the PTE.
 * The old mapping is removed first (with its TLB entry flushed): Xen does
 * not flush when it fills an entry, and a stale TLB entry would go on
 * showing our old page instead of the peer's.
 */
#include <errno.h>

#include "gntref.h"
#include "gnttab.h"
#include "hypercall.h"
#include "startinfo.h"

static char gnt_frame[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct gntref_pool gnt_pool;
static int gnt_ready;

int
gnttab_init(void)
{
	struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = 1 };
	xen_pfn_t frame;

	if (gnt_ready)
		return 0;
	set_xen_guest_handle(op.frame_list, &frame);
	if (hc_grant_table_op(GNTTABOP_setup_table, &op, 1) != 0 ||
	    op.status != GNTST_okay)
		return -EIO;
	if (si_map_mfn(gnt_frame, frame) < 0)
		return -EIO;
	/* Entries the toolstack filled (refs 0 and 1) are left as they are. */
	gntref_init(&gnt_pool, (grant_entry_v1_t *)gnt_frame);
	gnt_ready = 1;
	return 0;
}

void
gnttab_suspend(void)
{
	/* The saver refuses a page table entry to a frame not in our p2m. */
	if (gnt_ready)
		si_unmap_va(gnt_frame);
}

int
gnttab_resume(int cancelled)
{
	struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = 1 };
	xen_pfn_t frame;

	if (!gnt_ready)
		return 0;
	set_xen_guest_handle(op.frame_list, &frame);
	if (hc_grant_table_op(GNTTABOP_setup_table, &op, 1) != 0 ||
	    op.status != GNTST_okay || si_map_mfn(gnt_frame, frame) < 0) {
		gnt_ready = 0;
		return -EIO;
	}
	/* A new domain's table holds only the toolstack's entries: every
	 * ref of ours is free again (their owners grant anew). */
	if (!cancelled)
		gntref_init(&gnt_pool, (grant_entry_v1_t *)gnt_frame);
	return 0;
}

int
gnttab_grant(domid_t dom, const void *page, int readonly)
{
	if (!gnt_ready)
		return -ENOSYS;
	return gntref_grant(&gnt_pool, dom, si_virt_to_mfn(page), readonly);
}

int
gnttab_end(grant_ref_t ref)
{
	if (!gnt_ready)
		return -ENOSYS;
	return gntref_end(&gnt_pool, ref);
}

static int
gnttab_errno(int16_t status)
{
	switch (status) {
	case GNTST_bad_gntref:
		return -ENOENT;
	case GNTST_permission_denied:
		return -EACCES;
	}
	return -EIO;
}

int
gnttab_map(domid_t dom, grant_ref_t ref, void *va, int readonly,
	   grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = (uint64_t)(unsigned long)va,
		.flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
		.ref = ref,
		.dom = dom,
	};

	if (si_unmap_va(va) < 0)
		return -EIO;
	if (hc_grant_table_op(GNTTABOP_map_grant_ref, &op, 1) != 0 ||
	    op.status != GNTST_okay) {
		int r = gnttab_errno(op.status);

		si_map_mfn(va, si_virt_to_mfn(va));
		return r;
	}
	*handle = op.handle;
	return 0;
}

int
gnttab_unmap(void *va, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = (uint64_t)(unsigned long)va,
		.handle = handle,
	};

	if (hc_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1) != 0 ||
	    op.status != GNTST_okay)
		return -EIO;
	return si_map_mfn(va, si_virt_to_mfn(va));
}
