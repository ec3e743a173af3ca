/* Single-page allocator over the free part of the initial mapping. */
#include <stdint.h>
#include <string.h>

#include "page.h"
#include "xen.h"

struct page_free {
	struct page_free *next;
};

static struct page_free *page_list;
static size_t page_nfree, page_ntotal;

void
page_init(unsigned long first_pfn, unsigned long end_pfn)
{
	/* Pushed from the top so that the lowest pages are handed out first. */
	for (unsigned long pfn = end_pfn; pfn > first_pfn; pfn--) {
		struct page_free *p = (void *)((pfn - 1) << PAGE_SHIFT);

		p->next = page_list;
		page_list = p;
		page_nfree++;
	}
	page_ntotal = page_nfree;
}

void *
page_alloc(void)
{
	struct page_free *p = page_list;

	if (p == NULL)
		return NULL;
	page_list = p->next;
	page_nfree--;
	memset(p, 0, PAGE_SIZE);
	return p;
}

void
page_free(void *page)
{
	struct page_free *p = page;

	if (p == NULL)
		return;
	p->next = page_list;
	page_list = p;
	page_nfree++;
}

size_t
page_free_count(void)
{
	return page_nfree;
}

size_t
page_total(void)
{
	return page_ntotal;
}
