/*
 * A warm pool's slots: filled one at a time, taken by summons, refilled;
 * a failed fill stops the refilling until the next take; a domain that
 * goes away empties its slot; adoption at a restart; whether a taken
 * domain was ready before its pause (pool-boot).
 */
#include "config.h"

#include "check.h"
#include "pool.h"

int
main(void)
{
	struct pool p;
	uint32_t d;
	bool ready;

	pool_init(&p, 2);
	CHECK(!pool_take(&p, &d, &ready));
	CHECK_EQ(pool_next_fill(&p), 0);
	CHECK_EQ(pool_next_fill(&p), -1);	/* one at a time */
	pool_filled(&p, 0, true, 10, false);
	CHECK_EQ(pool_held(&p), 1);
	CHECK_EQ(pool_next_fill(&p), 1);
	pool_filled(&p, 1, true, 11, false);
	CHECK_EQ(pool_next_fill(&p), -1);	/* full */
	CHECK_EQ(pool_held(&p), 2);

	CHECK(pool_take(&p, &d, &ready));
	CHECK_EQ(d, 10);
	CHECK_EQ(pool_held(&p), 1);
	CHECK_EQ(pool_next_fill(&p), 0);
	pool_filled(&p, 1, true, 99, false);	/* not filling: ignored */
	CHECK(pool_take(&p, &d, &ready));
	CHECK_EQ(d, 11);

	/* a failed fill: no more until the next take */
	pool_filled(&p, 0, false, 0, false);
	CHECK_EQ(p.fill_failures, 1);
	CHECK_EQ(pool_next_fill(&p), -1);
	CHECK(!pool_take(&p, &d, &ready));
	CHECK_EQ(pool_next_fill(&p), -1);	/* an empty take does not count */

	/* adopted at a restart; one goes away */
	pool_init(&p, 3);
	pool_adopt(&p, 1, 21);
	pool_adopt(&p, 2, 22);
	pool_adopt(&p, 3, 23);	/* no such slot */
	CHECK_EQ(pool_held(&p), 2);
	CHECK(pool_forget(&p, 21));
	CHECK(!pool_forget(&p, 21));
	CHECK_EQ(pool_next_fill(&p), 0);
	pool_filled(&p, 0, false, 0, false);
	CHECK(pool_take(&p, &d, &ready));
	CHECK_EQ(d, 22);
	CHECK_EQ(pool_next_fill(&p), 0);	/* a take unsticks it */

	/* at a restart, a domain found booting fills its slot (pool-boot) */
	pool_init(&p, 2);
	CHECK(pool_begin(&p, 1));
	CHECK(!pool_begin(&p, 0));	/* one fills at a time */
	CHECK(!pool_begin(&p, 2));	/* no such slot */
	CHECK_EQ(pool_next_fill(&p), -1);
	pool_filled(&p, 1, true, 31, true);
	CHECK_EQ(pool_held(&p), 1);
	CHECK(!pool_begin(&p, 1));	/* held */
	CHECK_EQ(pool_next_fill(&p), 0);
	pool_filled(&p, 0, true, 30, false);
	CHECK(pool_take(&p, &d, &ready));	/* the first slot's first */
	CHECK_EQ(d, 30);
	CHECK(!ready);
	CHECK(pool_take(&p, &d, &ready));
	CHECK_EQ(d, 31);
	CHECK(ready);

	/* ready is the fill's, and adoption does not know it */
	pool_init(&p, 1);
	CHECK_EQ(pool_next_fill(&p), 0);
	pool_filled(&p, 0, true, 40, true);
	CHECK(pool_forget(&p, 40));
	pool_adopt(&p, 0, 41);
	CHECK(pool_take(&p, &d, &ready));
	CHECK_EQ(d, 41);
	CHECK(!ready);

	pool_init(&p, 100);
	CHECK_EQ(p.n, POOL_MAX);
	pool_init(&p, 0);
	CHECK_EQ(pool_next_fill(&p), -1);
	return CHECK_DONE();
}
