/*
 * Grant references of our own grant table, v1 entries: which refs are
 * free, and granting and ending access with the ordering the hypervisor
 * relies on. Pure: the table is plain memory (gnttab.c maps the real one),
 * so unit tests drive it on the host.
 *
 * Refs below GNTTAB_NR_RESERVED_ENTRIES are the toolstack's (0 and 1 are
 * the console and xenstore pages) and are never handed out.
 */
#ifndef XUD_UK_GNTREF_H
#define XUD_UK_GNTREF_H

#include <stdint.h>

#include "xen.h"

#include <xen/grant_table.h>

/* One frame of v1 entries: enough for a few rings, and bounded. */
#define GNTREF_MAX (PAGE_SIZE / sizeof(grant_entry_v1_t))

struct gntref_pool {
	grant_entry_v1_t *table;	/* GNTREF_MAX entries */
	uint16_t next[GNTREF_MAX];	/* free list; GNTREF_USED if taken */
	uint16_t head;			/* first free ref, or GNTREF_NONE */
	unsigned nfree;
};

void gntref_init(struct gntref_pool *p, grant_entry_v1_t *table);
/*
 * Lets dom access frame (read-only or not) through a fresh ref: returns
 * the ref, -ENOSPC when none is free, -EINVAL if frame does not fit v1's
 * 32 bits.
 */
int gntref_grant(struct gntref_pool *p, domid_t dom, uint64_t frame,
		 int readonly);
/*
 * Ends access and frees the ref: 0; -EBUSY while the peer still has the
 * frame mapped or is copying (the entry stays valid and the ref stays
 * taken: the frame must not be reused yet; try again later); -EINVAL for
 * a ref that is not taken.
 */
int gntref_end(struct gntref_pool *p, grant_ref_t ref);
unsigned gntref_free_count(const struct gntref_pool *p);

#endif
