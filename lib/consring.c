/* PV console ring: read indices once, validate, copy once. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "consring.h"

/* The layout of struct xencons_interface, without needing Xen's headers. */
#define CONSRING_OFF_IN 0u
#define CONSRING_OFF_OUT 1024u
#define CONSRING_OFF_IN_CONS 3072u
#define CONSRING_OFF_IN_PROD 3076u
#define CONSRING_OFF_OUT_CONS 3080u
#define CONSRING_OFF_OUT_PROD 3084u

/*
 * The other end's index is loaded with acquire: the data it covers is
 * read (or, for cons, overwritten) only after it. Ours is stored with
 * release: the data is read or written before the index hands the space
 * over. Pairs, not standalone fences, so that ThreadSanitizer (which has
 * no model of atomic_thread_fence) sees the order too.
 */
static inline uint32_t
idx_load(volatile uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void
idx_store(volatile uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

void
consring_out(struct consring *r, void *intf)
{
	char *p = intf;

	r->data = p + CONSRING_OFF_OUT;
	r->size = CONSRING_OUT_SIZE;
	r->cons = (volatile uint32_t *)(p + CONSRING_OFF_OUT_CONS);
	r->prod = (volatile uint32_t *)(p + CONSRING_OFF_OUT_PROD);
}

void
consring_in(struct consring *r, void *intf)
{
	char *p = intf;

	r->data = p + CONSRING_OFF_IN;
	r->size = CONSRING_IN_SIZE;
	r->cons = (volatile uint32_t *)(p + CONSRING_OFF_IN_CONS);
	r->prod = (volatile uint32_t *)(p + CONSRING_OFF_IN_PROD);
}

/* Copies n bytes from the ring at index idx, handling the wrap. */
static void
consring_copy_out(const struct consring *r, uint32_t idx, char *dst,
		  uint32_t n)
{
	uint32_t off = idx & (r->size - 1), first = r->size - off;

	if (first > n)
		first = n;
	/* volatile source: byte copies, each byte read once. */
	for (uint32_t i = 0; i < first; i++)
		dst[i] = r->data[off + i];
	for (uint32_t i = first; i < n; i++)
		dst[i] = r->data[i - first];
}

int
consring_peek(const struct consring *r, void *buf, size_t len,
	      uint32_t *cons_out)
{
	uint32_t cons, prod, avail;

	cons = idx_load(r->cons);
	prod = idx_load(r->prod);	/* before the data it covers */
	avail = prod - cons;
	if (avail > r->size)
		return -EPROTO;
	if (avail > len)
		avail = (uint32_t)len;
	consring_copy_out(r, cons, buf, avail);
	*cons_out = cons;
	return (int)avail;
}

void
consring_consume(struct consring *r, uint32_t cons, uint32_t n)
{
	idx_store(r->cons, cons + n);	/* after the data was read */
}

int
consring_pending(const struct consring *r)
{
	uint32_t cons = idx_load(r->cons), prod = idx_load(r->prod);
	uint32_t avail = prod - cons;

	return avail > r->size ? -EPROTO : (int)avail;
}

int
consring_write(struct consring *r, const void *buf, size_t len)
{
	const char *src = buf;
	uint32_t cons, prod, used, space, n;

	cons = idx_load(r->cons);	/* before the space it frees */
	prod = idx_load(r->prod);
	used = prod - cons;
	if (used > r->size)
		return -EPROTO;
	space = r->size - used;
	n = len < space ? (uint32_t)len : space;
	for (uint32_t i = 0; i < n; i++)
		r->data[(prod + i) & (r->size - 1)] = src[i];
	idx_store(r->prod, prod + n);	/* after the data it publishes */
	return (int)n;
}
