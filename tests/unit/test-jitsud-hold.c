/*
 * Held queries: released in arrival order per service, expired at their
 * deadlines, bounded in all and per service, and a released query may be
 * held again without being seen twice.
 */
#include "config.h"

#include <errno.h>

#include "check.h"
#include "hold.h"

static int seen[16], nseen;
static struct hold *again;

static void
record(void *arg, int svc, const uint8_t *q, size_t len,
    const struct jd_client *c)
{
	(void)arg;
	CHECK_EQ(len, 1);
	CHECK_EQ(c->conn, q[0]);
	CHECK_EQ(svc, q[0] / 10);
	if (nseen < 16)
		seen[nseen++] = q[0];
	/* held again: must wait for the next release */
	if (again)
		CHECK_EQ(hold_add(again, svc, q, len, c, 1000), 0);
}

static void
add(struct hold *h, int svc, uint8_t id, uint64_t deadline, int want)
{
	struct jd_client c = { .conn = id };

	CHECK_EQ(hold_add(h, svc, &id, 1, &c, deadline), want);
}

int
main(void)
{
	struct hold *h = hold_new(5, 3);

	add(h, 1, 10, 500, 0);
	add(h, 2, 20, 100, 0);
	add(h, 1, 11, 50, 0);
	add(h, 1, 12, 900, 0);
	add(h, 1, 13, 900, -ENOSPC);	/* the service's share */
	add(h, 2, 21, 300, 0);
	add(h, 3, 30, 300, -ENOSPC);	/* the table */
	CHECK_EQ(hold_count(h, 1), 3);
	CHECK_EQ(hold_count(h, -1), 5);
	CHECK_EQ(hold_next_deadline(h), 50);

	/* by 100, 11 (at 50) and 20 (at 100) are due: in arrival order */
	hold_expire(h, 49, record, NULL);
	CHECK_EQ(nseen, 0);
	hold_expire(h, 100, record, NULL);
	CHECK_EQ(nseen, 2);
	CHECK_EQ(seen[0], 20);
	CHECK_EQ(seen[1], 11);
	CHECK_EQ(hold_next_deadline(h), 300);

	/* service 1's, in order; held again by the callback, seen once */
	nseen = 0;
	again = h;
	hold_release(h, 1, record, NULL);
	again = NULL;
	CHECK_EQ(nseen, 2);
	CHECK_EQ(seen[0], 10);
	CHECK_EQ(seen[1], 12);
	CHECK_EQ(hold_count(h, 1), 2);
	nseen = 0;
	hold_release(h, 1, record, NULL);
	CHECK_EQ(nseen, 2);
	CHECK_EQ(seen[0], 10);
	CHECK_EQ(hold_count(h, 1), 0);
	CHECK_EQ(hold_count(h, 2), 1);
	hold_release(h, -1, record, NULL);	/* no such service */
	CHECK_EQ(hold_count(h, -1), 1);
	CHECK_EQ(hold_add(h, -1, (const uint8_t *)"x", 1,
	    &(struct jd_client){ 0 }, 1), -EINVAL);
	hold_free(h);	/* with one still held */
	return CHECK_DONE();
}
