/*
 * A small malloc over the page allocator: power-of-two size classes from
 * 16 bytes to half a page, each carved from whole pages; a request above
 * that gets a page of its own. Nothing larger than a page is possible:
 * the allocator has no contiguous ranges yet.
 */
#ifndef XUD_UK_HEAP_H
#define XUD_UK_HEAP_H

#include <stddef.h>

/* 16-byte aligned, or NULL. */
void *uk_malloc(size_t size);
void *uk_calloc(size_t n, size_t size);
void uk_free(void *p);

#endif
