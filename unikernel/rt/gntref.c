/*
 * The free list of grant refs and v1 entry updates. The ordering: a new
 * entry's domid and frame are visible before its flags permit access (Xen
 * reads flags first); ending access is one compare-and-swap of flags to 0
 * that fails while Xen has set GTF_reading/GTF_writing, so a peer can
 * neither be mid-copy nor map the frame once it succeeded.
 */
#include <errno.h>
#include <string.h>

#include "gntref.h"

#define GNTREF_USED 0xffffu
#define GNTREF_NONE 0xfffeu

void
gntref_init(struct gntref_pool *p, grant_entry_v1_t *table)
{
	p->table = table;
	p->head = GNTREF_NONE;
	p->nfree = 0;
	for (unsigned i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++)
		p->next[i] = GNTREF_USED;
	/* Pushed from the top: the lowest refs go first. */
	for (unsigned i = GNTREF_MAX; i-- > GNTTAB_NR_RESERVED_ENTRIES;) {
		p->next[i] = p->head;
		p->head = (uint16_t)i;
		p->nfree++;
	}
}

int
gntref_grant(struct gntref_pool *p, domid_t dom, uint64_t frame,
	     int readonly)
{
	grant_entry_v1_t *e;
	uint16_t ref = p->head;

	if (frame > UINT32_MAX)
		return -EINVAL;
	if (ref == GNTREF_NONE)
		return -ENOSPC;
	p->head = p->next[ref];
	p->next[ref] = GNTREF_USED;
	p->nfree--;
	e = &p->table[ref];
	e->domid = dom;
	e->frame = (uint32_t)frame;
	__atomic_store_n(&e->flags, (uint16_t)(GTF_permit_access |
			 (readonly ? GTF_readonly : 0)), __ATOMIC_RELEASE);
	return ref;
}

int
gntref_end(struct gntref_pool *p, grant_ref_t ref)
{
	uint16_t *flags;
	uint16_t f;

	if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= GNTREF_MAX ||
	    p->next[ref] != GNTREF_USED)
		return -EINVAL;
	flags = &p->table[ref].flags;
	f = __atomic_load_n(flags, __ATOMIC_ACQUIRE);
	do {
		if (f & (GTF_reading | GTF_writing))
			return -EBUSY;
	} while (!__atomic_compare_exchange_n(flags, &f, 0, 0,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_ACQUIRE));
	p->next[ref] = p->head;
	p->head = (uint16_t)ref;
	p->nfree++;
	return 0;
}

unsigned
gntref_free_count(const struct gntref_pool *p)
{
	return p->nfree;
}
