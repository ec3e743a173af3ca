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

#define barrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)

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

	cons = *r->cons;
	prod = *r->prod;
	barrier();		/* indices before data */
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
	barrier();		/* data read before the slot is freed */
	*r->cons = cons + n;
}

int
consring_pending(const struct consring *r)
{
	uint32_t cons = *r->cons, prod = *r->prod, avail = prod - cons;

	return avail > r->size ? -EPROTO : (int)avail;
}

int
consring_write(struct consring *r, const void *buf, size_t len)
{
	const char *src = buf;
	uint32_t cons, prod, used, space, n;

	cons = *r->cons;
	prod = *r->prod;
	barrier();
	used = prod - cons;
	if (used > r->size)
		return -EPROTO;
	space = r->size - used;
	n = len < space ? (uint32_t)len : space;
	for (uint32_t i = 0; i < n; i++)
		r->data[(prod + i) & (r->size - 1)] = src[i];
	barrier();		/* data before the index that publishes it */
	*r->prod = prod + n;
	return (int)n;
}
