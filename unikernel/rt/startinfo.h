/*
 * start_info and the memory the domain builder mapped for us.
 *
 * The initial mapping holds, in order: the image, the p2m list,
 * start_info, the xenstore and console pages, the boot page tables
 * (read-only), the boot stack and some padding. Rings are named by MFN;
 * the machine-to-phys table turns an MFN into our pfn, and with the image
 * linked at 0 a pfn's virtual address is pfn * PAGE_SIZE.
 */
#ifndef XUD_UK_STARTINFO_H
#define XUD_UK_STARTINFO_H

#include "xen.h"

/* Keeps start_info and maps shared_info (the first thing uk_boot does). */
void si_init(start_info_t *si);
const start_info_t *si_get(void);
/*
 * Before SCHEDOP_shutdown(SHUTDOWN_suspend): the rings' MFNs in
 * start_info become pfns, as the saver expects, and shared_info is
 * unmapped (nothing may read the clock or events until si_resume).
 * Returns start_info's MFN, the hypercall's third argument.
 */
xen_pfn_t si_suspend(void);
/*
 * After it: a restored domain's start_info was rewritten in place (new
 * rings' MFNs and ports, new shared_info), a cancelled suspend's was not
 * (the pfns go back to MFNs). shared_info is mapped and the p2m published.
 */
void si_resume(int cancelled);
shared_info_t *si_shared(void);

/* The virtual address of a page of ours given by its MFN. */
void *si_mfn_to_virt(xen_pfn_t mfn);
/* The MFN behind one of our pages (the p2m list start_info names). */
xen_pfn_t si_virt_to_mfn(const void *va);
/*
 * Points the page at va (one of ours, in the initial mapping, whose page
 * tables exist) at machine frame mfn, writable; si_unmap_va
 * unmaps it. The TLB entry is flushed either way. 0 or -EINVAL.
 */
int si_map_mfn(void *va, xen_pfn_t mfn);
int si_unmap_va(void *va);
/* 1 when va is mapped by the boot page tables. */
int si_mapped(unsigned long va);

/*
 * The pages nobody uses yet: from the boot stack's end (the builder's rsp
 * at entry) to the end of the mapping, within the domain's pages.
 */
void si_free_range(unsigned long boot_rsp, unsigned long *first_pfn,
		   unsigned long *end_pfn);

/* The command line (xl's extra=), always NUL-terminated. */
const char *si_cmdline(void);

#endif
