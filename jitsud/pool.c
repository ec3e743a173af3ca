/* A service's warm pool (see pool.h), free of I/O. */
#include "config.h"

#include "pool.h"

void
pool_init(struct pool *p, unsigned int n)
{
	*p = (struct pool){ .n = n < POOL_MAX ? n : POOL_MAX };
}

bool
pool_take(struct pool *p, uint32_t *domid, bool *ready)
{
	for (unsigned int k = 0; k < p->n; k++)
		if (p->st[k] == POOL_HELD) {
			p->st[k] = POOL_EMPTY;
			*domid = p->domid[k];
			*ready = p->ready[k];
			p->takes++;
			p->stuck = false;
			return true;
		}
	return false;
}

int
pool_next_fill(struct pool *p)
{
	int empty = -1;

	if (p->stuck)
		return -1;
	for (unsigned int k = 0; k < p->n; k++) {
		if (p->st[k] == POOL_FILLING)
			return -1;
		if (p->st[k] == POOL_EMPTY && empty < 0)
			empty = (int)k;
	}
	if (empty >= 0)
		p->st[empty] = POOL_FILLING;
	return empty;
}

void
pool_filled(struct pool *p, int slot, bool ok, uint32_t domid, bool ready)
{
	if (slot < 0 || (unsigned int)slot >= p->n ||
	    p->st[slot] != POOL_FILLING)
		return;
	if (!ok) {
		p->st[slot] = POOL_EMPTY;
		p->stuck = true;
		p->fill_failures++;
		return;
	}
	p->st[slot] = POOL_HELD;
	p->domid[slot] = domid;
	p->ready[slot] = ready;
	p->fills++;
}

bool
pool_begin(struct pool *p, int slot)
{
	if (slot < 0 || (unsigned int)slot >= p->n ||
	    p->st[slot] != POOL_EMPTY)
		return false;
	for (unsigned int k = 0; k < p->n; k++)
		if (p->st[k] == POOL_FILLING)
			return false;
	p->st[slot] = POOL_FILLING;
	return true;
}

void
pool_adopt(struct pool *p, int slot, uint32_t domid)
{
	if (slot < 0 || (unsigned int)slot >= p->n)
		return;
	p->st[slot] = POOL_HELD;
	p->domid[slot] = domid;
	p->ready[slot] = false;
}

bool
pool_forget(struct pool *p, uint32_t domid)
{
	for (unsigned int k = 0; k < p->n; k++)
		if (p->st[k] == POOL_HELD && p->domid[k] == domid) {
			p->st[k] = POOL_EMPTY;
			return true;
		}
	return false;
}

unsigned int
pool_held(const struct pool *p)
{
	unsigned int h = 0;

	for (unsigned int k = 0; k < p->n; k++)
		h += p->st[k] == POOL_HELD;
	return h;
}
