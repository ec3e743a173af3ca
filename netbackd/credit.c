/* Credit per interval for the rate key. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "credit.h"

static int
num(const char *s, const char **end, uint64_t limit, uint64_t *out)
{
	uint64_t x = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		x = x * 10 + (uint64_t)(*s - '0');
		if (x >= limit)
			return -EINVAL;
	}
	*end = s;
	*out = x;
	return 0;
}

int
credit_parse(const char *s, uint64_t *bytes, uint64_t *usec)
{
	const char *e;
	uint64_t b, u;

	if (num(s, &e, 1ull << 48, &b) < 0 || *e != ',' ||
	    num(e + 1, &e, 1ull << 32, &u) < 0 || *e != '\0' ||
	    b == 0 || u == 0)
		return -EINVAL;
	*bytes = b;
	*usec = u;
	return 0;
}

static uint64_t
burst(const struct credit *c)
{
	return c->bytes > CREDIT_MIN_BURST ? c->bytes : CREDIT_MIN_BURST;
}

void
credit_init(struct credit *c, uint64_t bytes, uint64_t usec, uint64_t now)
{
	c->bytes = bytes;
	c->usec = usec;
	c->left = burst(c);
	c->window = now;
}

/* bytes per usec above the old limit's (0 bytes: none, above any) */
static int
raised(const struct credit *c, uint64_t bytes, uint64_t usec)
{
	if (bytes == 0)
		return 1;
	if (c->bytes == 0)
		return 0;
	return (unsigned __int128)bytes * c->usec >
	    (unsigned __int128)c->bytes * usec;
}

void
credit_set(struct credit *c, uint64_t bytes, uint64_t usec, uint64_t now)
{
	int up = raised(c, bytes, usec);
	int was_unlimited = c->bytes == 0;

	if (bytes == c->bytes && usec == c->usec)
		return;
	c->bytes = bytes;
	c->usec = usec;
	if (bytes == 0)
		return;
	if (was_unlimited) {
		/* nothing was counted: one interval's credit, no burst */
		c->left = bytes;
		c->window = now;
	} else if (up) {
		/* the new interval starts now, its credit with it */
		c->window = now;
		c->left = c->left + bytes < burst(c) ? c->left + bytes :
		    burst(c);
	} else if (c->left > burst(c)) {
		/* what the old limit saved up, cut to the new burst */
		c->left = burst(c);
	}
}

uint64_t
credit_take(struct credit *c, uint32_t len, uint64_t now)
{
	uint64_t next;

	if (c->bytes == 0)
		return 0;
	next = c->window + c->usec * 1000;
	if (now >= next) {
		/* one interval's credit however long we were idle: what
		   was not spent is saved up to the burst, no more */
		c->window = now;
		next = now + c->usec * 1000;
		c->left = c->left + c->bytes < burst(c) ?
		    c->left + c->bytes : burst(c);
	}
	if (len > c->left)
		return next - now;
	c->left -= len;
	return 0;
}
