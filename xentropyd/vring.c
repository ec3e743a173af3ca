/*
 * vring: see vring.h. The memory ordering is the protocol's: data before
 * prod (or our reads before cons), the index before looking at the peer's
 * request bits; our request bit before the second look at the peer's
 * index.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <libxenvchan.h>

#include "vring.h"

void
sendring_init(struct sendring *r, struct ring_shared *shr, void *buf,
	      unsigned int order, uint8_t *peer_asks, uint8_t *we_ask)
{
	r->shr = shr;
	r->buf = buf;
	r->size = 1u << order;
	r->prod = r->shown = __atomic_load_n(&shr->prod, __ATOMIC_ACQUIRE);
	/* As if the last event were a ring ago: the first is never deferred. */
	r->told = r->prod - r->size;
	r->owed = 0;
	r->peer_asks = peer_asks;
	r->we_ask = we_ask;
}

/* Free bytes by one read of cons; -EPROTO when it is not possible. */
static int
free_bytes(const struct sendring *r)
{
	uint32_t cons = __atomic_load_n(&r->shr->cons, __ATOMIC_ACQUIRE);
	uint32_t used = r->prod - cons;

	if (used > r->size)
		return -EPROTO;
	return (int)(r->size - used);
}

int
sendring_space(struct sendring *r, size_t want)
{
	int n = free_bytes(r);

	if (n < 0 || (size_t)n >= want)
		return n;
	__atomic_fetch_or(r->we_ask, VCHAN_NOTIFY_READ, __ATOMIC_SEQ_CST);
	/* The peer may have read between our look and our request. */
	return free_bytes(r);
}

int
sendring_slots(struct sendring *r, size_t n, struct iovec iov[2])
{
	uint32_t off = r->prod & (r->size - 1);
	size_t first = r->size - off;

	if (first > n)
		first = n;
	iov[0].iov_base = r->buf + off;
	iov[0].iov_len = first;
	if (first == n)
		return 1;
	iov[1].iov_base = r->buf;
	iov[1].iov_len = n - first;
	return 2;
}

void
sendring_advance(struct sendring *r, size_t n)
{
	r->prod += (uint32_t)n;
}

void
sendring_put(struct sendring *r, const void *p, size_t n)
{
	struct iovec iov[2];
	int k = sendring_slots(r, n, iov);

	memcpy(iov[0].iov_base, p, iov[0].iov_len);
	if (k == 2)
		memcpy(iov[1].iov_base, (const uint8_t *)p + iov[0].iov_len,
		    iov[1].iov_len);
	sendring_advance(r, n);
}

int
sendring_publish(struct sendring *r, int flags)
{
	uint8_t asked;

	if (r->shown != r->prod) {
		r->shown = r->prod;
		__atomic_store_n(&r->shr->prod, r->prod, __ATOMIC_RELEASE);
		r->owed = 1;
	}
	if (!r->owed)
		return 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(r->peer_asks, __ATOMIC_RELAXED) &
	    VCHAN_NOTIFY_WRITE)) {
		/* Not waiting: its next look (after asking) finds the data. */
		r->owed = 0;
		return 0;
	}
	if ((flags & SENDRING_BATCH) && r->prod - r->told < r->size / 4)
		return 0;
	r->owed = 0;
	asked = __atomic_fetch_and(r->peer_asks, (uint8_t)~VCHAN_NOTIFY_WRITE,
	    __ATOMIC_SEQ_CST);
	if (!(asked & VCHAN_NOTIFY_WRITE))
		return 0;
	r->told = r->prod;
	return 1;
}

void
recvring_init(struct recvring *r, struct ring_shared *shr, const void *buf,
	      unsigned int order, uint8_t *peer_asks, uint8_t *we_ask)
{
	r->shr = shr;
	r->buf = buf;
	r->size = 1u << order;
	r->cons = __atomic_load_n(&shr->cons, __ATOMIC_ACQUIRE);
	r->peer_asks = peer_asks;
	r->we_ask = we_ask;
}

/* Readable bytes by one read of prod; -EPROTO when it is not possible. */
static int
ready_bytes(const struct recvring *r)
{
	uint32_t n = __atomic_load_n(&r->shr->prod, __ATOMIC_ACQUIRE) - r->cons;

	if (n > r->size)
		return -EPROTO;
	return (int)n;
}

int
recvring_read(struct recvring *r, void *dst, size_t n, int *notify)
{
	int avail = ready_bytes(r);
	uint32_t off = r->cons & (r->size - 1);
	size_t first;
	uint8_t asked;

	*notify = 0;
	if (avail <= 0)
		return avail;
	if (n > (size_t)avail)
		n = (size_t)avail;
	first = r->size - off < n ? r->size - off : n;
	memcpy(dst, r->buf + off, first);
	memcpy((uint8_t *)dst + first, r->buf, n - first);
	r->cons += (uint32_t)n;
	__atomic_store_n(&r->shr->cons, r->cons, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(r->peer_asks, __ATOMIC_RELAXED) &
	    VCHAN_NOTIFY_READ) {
		asked = __atomic_fetch_and(r->peer_asks,
		    (uint8_t)~VCHAN_NOTIFY_READ, __ATOMIC_SEQ_CST);
		*notify = (asked & VCHAN_NOTIFY_READ) != 0;
	}
	return (int)n;
}

int
recvring_arm(struct recvring *r)
{
	int n = ready_bytes(r);

	if (n != 0)
		return n;
	__atomic_fetch_or(r->we_ask, VCHAN_NOTIFY_WRITE, __ATOMIC_SEQ_CST);
	/* The peer may have written between our look and our request. */
	return ready_bytes(r);
}
