/*
 * The client's rings. Ordering, as the protocol needs it: the index read
 * before the data (acquire), the data before our index (release), our
 * index before looking at the server's request bits (full fence), our
 * request bit before the second look at the server's index (full fence).
 */
#include <errno.h>
#include <string.h>

#include "vchan_ring.h"

#define VCHAN_PAGE 4096u
#define VCHAN_PAGE_ORDER 12u

uint32_t
vchan_layout_offset(unsigned order)
{
	return order == VCHAN_MIN_ORDER ? 1024 : 2048;
}

static unsigned
vchan_pages(unsigned order)
{
	return order >= VCHAN_PAGE_ORDER ? 1u << (order - VCHAN_PAGE_ORDER) : 0;
}

int
vchan_layout_read(const struct vchan_interface *shr, struct vchan_layout *l)
{
	unsigned w = __atomic_load_n(&shr->left_order, __ATOMIC_ACQUIRE);
	unsigned r = __atomic_load_n(&shr->right_order, __ATOMIC_ACQUIRE);
	size_t list_end, first_ring = VCHAN_PAGE;

	if (w < VCHAN_MIN_ORDER || w > VCHAN_MAX_ORDER ||
	    r < VCHAN_MIN_ORDER || r > VCHAN_MAX_ORDER)
		return -EPROTO;
	/* Two in-page rings of one order would be the same bytes. */
	if (w == r && w < VCHAN_PAGE_ORDER)
		return -EPROTO;
	l->worder = w;
	l->rorder = r;
	l->wpages = vchan_pages(w);
	l->rpages = vchan_pages(r);
	if (l->wpages + l->rpages > VCHAN_MAX_PAGES)
		return -E2BIG;
	if (w < VCHAN_PAGE_ORDER)
		first_ring = vchan_layout_offset(w);
	if (r < VCHAN_PAGE_ORDER && vchan_layout_offset(r) < first_ring)
		first_ring = vchan_layout_offset(r);
	list_end = offsetof(struct vchan_interface, grants) +
		sizeof(uint32_t) * (l->wpages + l->rpages);
	if (list_end > first_ring)
		return -EPROTO;
	for (unsigned i = 0; i < l->wpages + l->rpages; i++)
		l->refs[i] = __atomic_load_n(&shr->grants[i], __ATOMIC_RELAXED);
	return 0;
}

void
vchan_ring_init(struct vchan_ring *vr, struct vchan_interface *shr,
		const struct vchan_buf *w, const struct vchan_buf *r)
{
	vr->shr = shr;
	vr->w = *w;
	vr->r = *r;
	/* A fresh server page has 0 here; a used one, where it left off. */
	vr->wprod = __atomic_load_n(&shr->left.prod, __ATOMIC_ACQUIRE);
	vr->rcons = __atomic_load_n(&shr->right.cons, __ATOMIC_ACQUIRE);
}

void
vchan_ring_connect(struct vchan_ring *vr)
{
	__atomic_store_n(&vr->shr->srv_notify, VCHAN_NOTIFY_WRITE,
			 __ATOMIC_RELEASE);
	__atomic_store_n(&vr->shr->cli_live, 1, __ATOMIC_SEQ_CST);
}

void
vchan_ring_disconnect(struct vchan_ring *vr)
{
	__atomic_store_n(&vr->shr->cli_live, 0, __ATOMIC_SEQ_CST);
}

int
vchan_ring_server_live(const struct vchan_ring *vr)
{
	return __atomic_load_n(&vr->shr->srv_live, __ATOMIC_ACQUIRE) == 1;
}

/* Where the ring's byte idx is, and how many follow it in one piece. */
static uint8_t *
vchan_at(const struct vchan_buf *b, uint32_t idx, size_t n, size_t *chunk)
{
	uint32_t in_ring = idx & (b->size - 1);
	uint32_t pos = b->base + in_ring;
	size_t c = VCHAN_PAGE - pos % VCHAN_PAGE;

	if (c > b->size - in_ring)
		c = b->size - in_ring;
	*chunk = c < n ? c : n;
	return b->pages[pos / VCHAN_PAGE] + pos % VCHAN_PAGE;
}

/* Readable bytes, by one read of the server's prod. */
static int
vchan_ready(const struct vchan_ring *vr)
{
	uint32_t n = __atomic_load_n(&vr->shr->right.prod, __ATOMIC_ACQUIRE) -
		vr->rcons;

	return n > vr->r.size ? -EPROTO : (int)n;
}

/* Free bytes, by one read of the server's cons. */
static int
vchan_room(const struct vchan_ring *vr)
{
	uint32_t used = vr->wprod -
		__atomic_load_n(&vr->shr->left.cons, __ATOMIC_ACQUIRE);

	return used > vr->w.size ? -EPROTO : (int)(vr->w.size - used);
}

/* Clears the server's request bit; 1 if it was set (send an event). */
static int
vchan_asked(struct vchan_ring *vr, uint8_t bit)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&vr->shr->cli_notify, __ATOMIC_RELAXED) & bit))
		return 0;
	return (__atomic_fetch_and(&vr->shr->cli_notify, (uint8_t)~bit,
				   __ATOMIC_SEQ_CST) & bit) != 0;
}

int
vchan_ring_read(struct vchan_ring *vr, void *dst, size_t n, int *notify)
{
	int avail = vchan_ready(vr);

	*notify = 0;
	if (avail <= 0)
		return avail;
	if (n > (size_t)avail)
		n = (size_t)avail;
	for (size_t done = 0, c; done < n; done += c) {
		const uint8_t *p = vchan_at(&vr->r, vr->rcons + (uint32_t)done,
					    n - done, &c);

		memcpy((uint8_t *)dst + done, p, c);
	}
	vr->rcons += (uint32_t)n;
	__atomic_store_n(&vr->shr->right.cons, vr->rcons, __ATOMIC_RELEASE);
	*notify = vchan_asked(vr, VCHAN_NOTIFY_READ);
	return (int)n;
}

int
vchan_ring_write(struct vchan_ring *vr, const void *src, size_t n,
		 int *notify)
{
	int room = vchan_room(vr);

	*notify = 0;
	if (room <= 0)
		return room;
	if (n > (size_t)room)
		n = (size_t)room;
	for (size_t done = 0, c; done < n; done += c) {
		uint8_t *p = vchan_at(&vr->w, vr->wprod + (uint32_t)done,
				      n - done, &c);

		memcpy(p, (const uint8_t *)src + done, c);
	}
	vr->wprod += (uint32_t)n;
	__atomic_store_n(&vr->shr->left.prod, vr->wprod, __ATOMIC_RELEASE);
	*notify = vchan_asked(vr, VCHAN_NOTIFY_WRITE);
	return (int)n;
}

static int
vchan_want(struct vchan_ring *vr, uint8_t bit,
	   int (*look)(const struct vchan_ring *))
{
	int n = look(vr);

	if (n != 0)
		return n;
	__atomic_fetch_or(&vr->shr->srv_notify, bit, __ATOMIC_SEQ_CST);
	/* The server may have acted between our look and our request. */
	return look(vr);
}

int
vchan_ring_want_data(struct vchan_ring *vr)
{
	return vchan_want(vr, VCHAN_NOTIFY_WRITE, vchan_ready);
}

int
vchan_ring_want_space(struct vchan_ring *vr)
{
	return vchan_want(vr, VCHAN_NOTIFY_READ, vchan_room);
}
