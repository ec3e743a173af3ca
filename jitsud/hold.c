/* Held queries (see hold.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "hold.h"

struct held {
	int svc;		/* -1: a free entry */
	uint64_t seq;		/* arrival order */
	uint64_t deadline;
	struct jd_client c;
	size_t len;
	uint8_t *q;
};

struct hold {
	unsigned int max, per_svc, n;
	uint64_t seq;
	struct held *e;
};

struct hold *
hold_new(unsigned int max, unsigned int per_svc)
{
	struct hold *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->max = max;
	h->per_svc = per_svc;
	h->e = calloc(max ? max : 1, sizeof(*h->e));
	if (!h->e) {
		free(h);
		return NULL;
	}
	for (unsigned int i = 0; i < max; i++)
		h->e[i].svc = -1;
	return h;
}

void
hold_free(struct hold *h)
{
	if (!h)
		return;
	for (unsigned int i = 0; i < h->max; i++)
		free(h->e[i].q);
	free(h->e);
	free(h);
}

unsigned int
hold_count(const struct hold *h, int svc)
{
	unsigned int n = 0;

	if (svc < 0)
		return h->n;
	for (unsigned int i = 0; i < h->max; i++)
		n += h->e[i].svc == svc;
	return n;
}

int
hold_add(struct hold *h, int svc, const uint8_t *q, size_t len,
    const struct jd_client *c, uint64_t deadline)
{
	struct held *e = NULL;

	if (len > JD_MSG_MAX || svc < 0)
		return -EINVAL;
	if (h->n == h->max || hold_count(h, svc) >= h->per_svc)
		return -ENOSPC;
	for (unsigned int i = 0; i < h->max && !e; i++)
		if (h->e[i].svc < 0)
			e = &h->e[i];
	if (!(e->q = malloc(len ? len : 1)))
		return -ENOMEM;
	memcpy(e->q, q, len);
	e->len = len;
	e->svc = svc;
	e->seq = h->seq++;
	e->deadline = deadline;
	e->c = *c;
	h->n++;
	return 0;
}

/* The oldest entry that pick() takes, or NULL. */
static struct held *
oldest(struct hold *h, int svc, uint64_t now)
{
	struct held *best = NULL;

	for (unsigned int i = 0; i < h->max; i++) {
		struct held *e = &h->e[i];

		if (e->svc < 0 || (svc >= 0 && e->svc != svc) ||
		    (svc < 0 && e->deadline > now))
			continue;
		if (!best || e->seq < best->seq)
			best = e;
	}
	return best;
}

/* Takes e out, then hands it to fn. */
static void
leave(struct hold *h, struct held *e, hold_fn *fn, void *arg)
{
	struct held copy = *e;

	e->svc = -1;
	e->q = NULL;
	h->n--;
	fn(arg, copy.svc, copy.q, copy.len, &copy.c);
	free(copy.q);
}

void
hold_release(struct hold *h, int svc, hold_fn *fn, void *arg)
{
	/* Only those held now: fn may hold a query again. */
	uint64_t end = h->seq;
	struct held *e;

	if (svc < 0)
		return;
	while ((e = oldest(h, svc, 0)) && e->seq < end)
		leave(h, e, fn, arg);
}

void
hold_expire(struct hold *h, uint64_t now, hold_fn *fn, void *arg)
{
	struct held *e;

	while ((e = oldest(h, -1, now)))
		leave(h, e, fn, arg);
}

uint64_t
hold_next_deadline(const struct hold *h)
{
	uint64_t d = UINT64_MAX;

	for (unsigned int i = 0; i < h->max; i++)
		if (h->e[i].svc >= 0 && h->e[i].deadline < d)
			d = h->e[i].deadline;
	return d;
}
