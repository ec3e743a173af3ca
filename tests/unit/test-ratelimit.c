/* Token bucket: burst, refill, fairness between buckets, overflow. */
#include "config.h"

#include "ratelimit.h"
#include "check.h"

#define MS 1000000ULL
#define S 1000000000ULL

int
main(void)
{
	struct rl_bucket a, b;
	uint64_t t = 5 * S;

	/* Starts full: the whole burst passes at once. */
	rl_init(&a, 1000, 64 * 1024, t);
	CHECK_EQ(rl_take(&a, 100000, t), 64 * 1024);
	CHECK_EQ(rl_take(&a, 1, t), 0);
	/* 1000/s: 10 ms gives 10 tokens, 1 ms more gives 1. */
	CHECK_EQ(rl_take(&a, 100, t + 10 * MS), 10);
	CHECK_EQ(rl_take(&a, 100, t + 11 * MS), 1);
	/* Fractions accumulate: 10 x 0.5 ms = 5 tokens. */
	for (int i = 1; i <= 10; i++)
		rl_take(&a, 0, t + 11 * MS + i * MS / 2);
	CHECK_EQ(rl_take(&a, 100, t + 16 * MS), 5);
	/* Waiting time for 500 tokens at 1000/s is 0.5 s. */
	CHECK_EQ(rl_wait_ns(&a, 500, t + 16 * MS), 500 * MS);
	/* Never above burst after a long idle. */
	CHECK_EQ(rl_avail(&a, t + 3600 * S), 64 * 1024);
	/* Time going backwards changes nothing. */
	CHECK_EQ(rl_take(&a, 10, t), 10);

	/* All-or-nothing. */
	rl_init(&b, 10, 20, 0);
	CHECK(!rl_take_all(&b, 21, 0));
	CHECK(rl_take_all(&b, 20, 0));
	CHECK(!rl_take_all(&b, 1, 0));
	CHECK(rl_take_all(&b, 1, S / 10));
	/* Buckets are independent: draining b leaves a alone. */
	rl_init(&a, 10, 20, 0);
	rl_take(&b, 1000, 0);
	CHECK_EQ(rl_avail(&a, 0), 20);
	/* rate 0 means unlimited. */
	rl_init(&b, 0, 0, 0);
	CHECK_EQ(rl_take(&b, 12345, 0), 12345);
	CHECK_EQ(rl_wait_ns(&b, 1 << 30, 0), 0);
	/* Huge rates do not overflow. */
	rl_init(&b, UINT64_MAX / 2, UINT64_MAX / 2, 0);
	rl_take(&b, UINT64_MAX / 2, 0);
	CHECK(rl_avail(&b, 10 * S) > 0);
	/* rl_set caps tokens at the new burst. */
	rl_init(&a, 100, 1000, 0);
	rl_set(&a, 100, 10);
	CHECK_EQ(rl_avail(&a, 0), 10);
	return CHECK_DONE();
}
