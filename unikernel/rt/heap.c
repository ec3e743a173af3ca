/* Size-class malloc on top of page.c. */
#include <stdint.h>
#include <string.h>

#include "heap.h"
#include "page.h"
#include "xen.h"

/* Each chunk starts with a 16-byte header naming its class, which keeps
 * the payload 16-byte aligned. */
#define MALLOC_HDR 16u
#define MALLOC_MIN_SHIFT 4u
#define MALLOC_NCLASS 8u	/* 16 .. 2048 bytes, header included */
#define MALLOC_PAGE_CLASS 0xffu

struct malloc_chunk {
	struct malloc_chunk *next;
};

static struct malloc_chunk *malloc_free[MALLOC_NCLASS];

static unsigned
malloc_class(size_t total)
{
	unsigned c = 0;

	while (((size_t)1 << (c + MALLOC_MIN_SHIFT)) < total)
		c++;
	return c;
}

/* Carves a fresh page into chunks of one class. */
static int
malloc_refill(unsigned c)
{
	size_t sz = (size_t)1 << (c + MALLOC_MIN_SHIFT);
	char *pg = page_alloc();

	if (pg == NULL)
		return -1;
	for (size_t off = PAGE_SIZE; off >= sz; off -= sz) {
		struct malloc_chunk *ch = (void *)(pg + off - sz);

		ch->next = malloc_free[c];
		malloc_free[c] = ch;
	}
	return 0;
}

void *
uk_malloc(size_t size)
{
	unsigned char *p;
	unsigned c;

	if (size > PAGE_SIZE - MALLOC_HDR)
		return NULL;
	c = malloc_class(size + MALLOC_HDR);
	if (c >= MALLOC_NCLASS) {
		p = page_alloc();
		c = MALLOC_PAGE_CLASS;
	} else {
		if (malloc_free[c] == NULL && malloc_refill(c) < 0)
			return NULL;
		p = (void *)malloc_free[c];
		malloc_free[c] = malloc_free[c]->next;
	}
	if (p == NULL)
		return NULL;
	p[0] = (unsigned char)c;
	return p + MALLOC_HDR;
}

void *
uk_calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = uk_malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void
uk_free(void *ptr)
{
	unsigned char *p = ptr;
	struct malloc_chunk *ch;
	unsigned c;

	if (p == NULL)
		return;
	p -= MALLOC_HDR;
	c = p[0];
	if (c == MALLOC_PAGE_CLASS) {
		page_free(p);
		return;
	}
	ch = (void *)p;
	ch->next = malloc_free[c];
	malloc_free[c] = ch;
}
