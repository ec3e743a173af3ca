/*
 * Grants and foreign memory, each mapping with an explicit lifetime:
 * what gnt_map*() returns is released by gnt_unmap() with the same count.
 */
#ifndef XUD_GRANT_H
#define XUD_GRANT_H

#include <stdint.h>
#include <xengnttab.h>
#include <xenforeignmemory.h>

struct gnt;

/* Opens the grant-table handle, and foreign memory when want_foreign. */
int gnt_open(int want_foreign, struct gnt **out);
void gnt_close(struct gnt *g);
xengnttab_handle *gnt_handle(struct gnt *g);

/* Maps count grant refs of domid contiguously. prot: PROT_READ|PROT_WRITE */
int gnt_map(struct gnt *g, uint32_t domid, const uint32_t *refs,
	    uint32_t count, int prot, void **addr);
int gnt_unmap(struct gnt *g, void *addr, uint32_t count);
/* Batched grant copy; each segment's status says how it went. */
int gnt_copy(struct gnt *g, xengnttab_grant_copy_segment_t *segs,
	     uint32_t count);
/* Maps one guest frame by number (fallback where no grant exists). */
int gnt_foreign_map(struct gnt *g, uint32_t domid, xen_pfn_t gfn, int prot,
		    void **addr);
int gnt_foreign_unmap(struct gnt *g, void *addr, uint32_t pages);
/* Mappings currently held, for leak checks. */
unsigned int gnt_mapped(const struct gnt *g);

#endif
