/* start_info, shared_info and the walk of the boot page tables. */
#include <errno.h>
#include <string.h>

#include "hypercall.h"
#include "startinfo.h"

#define PTE_PRESENT 0x001ul
#define PTE_RW 0x002ul
#define PTE_USER 0x004ul
#define PTE_MFN_MASK 0x000ffffffffff000ul

static start_info_t *si_info;
static char si_cmd[MAX_GUEST_CMDLINE + 1];

/*
 * shared_info is not in the initial mapping: Xen gives its machine
 * address, and we point a page of our own image at it.
 */
static char si_shared_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/*
 * The p2m as `xl save` reads it: shared_info names a frame list list,
 * whose entries name frame lists, whose entries name the p2m's pages
 * (the builder's list at mfn_list). One frame list covers 512 p2m pages,
 * 1 GiB of guest: far more than a unikernel has, so one page each.
 */
#define SI_FPP (PAGE_SIZE / sizeof(xen_pfn_t))
static xen_pfn_t si_p2m_fll[SI_FPP] __attribute__((aligned(PAGE_SIZE)));
static xen_pfn_t si_p2m_fl[SI_FPP] __attribute__((aligned(PAGE_SIZE)));

static void
si_map_shared(void)
{
	/* Without shared_info there is no clock and no events: nothing to do
	 * but stop where the hypervisor's log shows it. */
	if (hc_update_va_mapping((unsigned long)si_shared_page,
				 si_info->shared_info | PTE_PRESENT | PTE_RW |
				 PTE_USER, UVMF_INVLPG) != 0)
		__builtin_trap();
}

/* The restored domain's shared_info has the list cleared: again then. */
static void
si_publish_p2m(void)
{
	shared_info_t *sh = si_shared();
	unsigned long p2m_pfn = si_info->mfn_list >> PAGE_SHIFT;
	unsigned long n = (si_info->nr_pages + SI_FPP - 1) / SI_FPP;

	if (n > SI_FPP)
		n = SI_FPP;	/* > 1 GiB: a save would refuse it, a boot not */
	for (unsigned long i = 0; i < n; i++)
		si_p2m_fl[i] = si_virt_to_mfn((void *)((p2m_pfn + i) <<
						       PAGE_SHIFT));
	si_p2m_fll[0] = si_virt_to_mfn(si_p2m_fl);
	sh->arch.max_pfn = si_info->nr_pages;
	sh->arch.pfn_to_mfn_frame_list_list = si_virt_to_mfn(si_p2m_fll);
}

void
si_init(start_info_t *si)
{
	si_info = si;
	/* cmd_line is the toolstack's: copy once, terminated. */
	memcpy(si_cmd, si->cmd_line, MAX_GUEST_CMDLINE);
	si_cmd[MAX_GUEST_CMDLINE] = '\0';
	si_map_shared();
	si_publish_p2m();
}

xen_pfn_t
si_suspend(void)
{
	const unsigned long *m2p = (const unsigned long *)MACH2PHYS_VIRT_START;

	/* The saver reads the rings as pfns and writes the new MFNs back. */
	si_info->store_mfn = m2p[si_info->store_mfn];
	si_info->console.domU.mfn = m2p[si_info->console.domU.mfn];
	/* A page table entry to a frame that is not ours fails the save. */
	hc_update_va_mapping((unsigned long)si_shared_page, 0, UVMF_INVLPG);
	return si_virt_to_mfn(si_info);
}

void
si_resume(int cancelled)
{
	if (cancelled) {
		si_info->store_mfn = si_virt_to_mfn((void *)
			(si_info->store_mfn << PAGE_SHIFT));
		si_info->console.domU.mfn = si_virt_to_mfn((void *)
			(si_info->console.domU.mfn << PAGE_SHIFT));
	}
	si_map_shared();
	si_publish_p2m();
}

const start_info_t *
si_get(void)
{
	return si_info;
}

shared_info_t *
si_shared(void)
{
	return (shared_info_t *)si_shared_page;
}

void *
si_mfn_to_virt(xen_pfn_t mfn)
{
	const unsigned long *m2p = (const unsigned long *)MACH2PHYS_VIRT_START;

	return (void *)(m2p[mfn] << PAGE_SHIFT);
}

xen_pfn_t
si_virt_to_mfn(const void *va)
{
	const xen_pfn_t *p2m = (const xen_pfn_t *)si_info->mfn_list;

	return p2m[(unsigned long)va >> PAGE_SHIFT];
}

int
si_map_mfn(void *va, xen_pfn_t mfn)
{
	if (hc_update_va_mapping((unsigned long)va, ((uint64_t)mfn << PAGE_SHIFT) |
				 PTE_PRESENT | PTE_RW | PTE_USER, UVMF_INVLPG))
		return -EINVAL;
	return 0;
}

int
si_unmap_va(void *va)
{
	if (hc_update_va_mapping((unsigned long)va, 0, UVMF_INVLPG))
		return -EINVAL;
	return 0;
}

int
si_mapped(unsigned long va)
{
	const uint64_t *table = (const uint64_t *)si_info->pt_base;

	for (int shift = 39; shift >= 12; shift -= 9) {
		uint64_t e = table[(va >> shift) & 511];

		if (!(e & PTE_PRESENT))
			return 0;
		if (shift > 12)
			table = si_mfn_to_virt((e & PTE_MFN_MASK) >> PAGE_SHIFT);
	}
	return 1;
}

void
si_free_range(unsigned long boot_rsp, unsigned long *first_pfn,
	      unsigned long *end_pfn)
{
	unsigned long first = (boot_rsp + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned long pt_end = (si_info->pt_base >> PAGE_SHIFT) +
		si_info->nr_pt_frames;
	unsigned long end = first;

	/* rsp is the boot stack's top, above the page tables; stay safe if a
	 * builder ever places them differently. */
	if (first < pt_end + 1)
		first = pt_end + 1;
	end = first;
	while (end < si_info->nr_pages && si_mapped(end << PAGE_SHIFT))
		end++;
	*first_pfn = first;
	*end_pfn = end;
}

const char *
si_cmdline(void)
{
	return si_cmd;
}
