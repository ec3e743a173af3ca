/*
 * The page allocator: single pages from the free part of the initial
 * mapping, on a free list threaded through the free pages themselves.
 */
#ifndef XUD_UK_PAGE_H
#define XUD_UK_PAGE_H

#include <stddef.h>

/* Hands out pfns [first, end). */
void page_init(unsigned long first_pfn, unsigned long end_pfn);
/* A zeroed page, or NULL when none is left. */
void *page_alloc(void);
void page_free(void *page);
/* Pages free now, and in all. */
size_t page_free_count(void);
size_t page_total(void);

#endif
