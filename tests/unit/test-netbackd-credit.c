/*
 * netbackd/credit.c: the rate key's format, and the credit a guest
 * gets: what passes in an interval, what waits and for how long, the
 * burst cap, and that a 64 KiB packet passes under a small rate.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>

#include "check.h"
#include "credit.h"

#define MS 1000000ull

static void
test_parse(void)
{
	static const char *const bad[] = {
		"", ",", "6250", "6250,", ",50000", "6250;50000", "6250,50000,",
		"-1,50000", "6250,-1", " 6250,50000", "6250,50000 ", "0,50000",
		"6250,0", "6250,4294967296", "281474976710656,1", "0x10,5",
	};
	uint64_t b = 1, u = 1;

	CHECK_EQ(credit_parse("6250,50000", &b, &u), 0);
	CHECK_EQ(b, 6250);
	CHECK_EQ(u, 50000);
	CHECK_EQ(credit_parse("281474976710655,4294967295", &b, &u), 0);
	CHECK_EQ(b, 281474976710655ull);
	CHECK_EQ(u, 4294967295ull);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = u = 7;
		CHECK_EQ(credit_parse(bad[i], &b, &u), -EINVAL);
		CHECK_EQ(b, 7);
		CHECK_EQ(u, 7);
	}
}

static void
test_unlimited(void)
{
	struct credit c;

	credit_init(&c, 0, 0, 0);
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(credit_take(&c, 65535, 0), 0);
}

/* 1Mb/s as xl writes it: 6250 bytes per 50 ms. */
static void
test_rate(void)
{
	struct credit c;
	uint64_t t = 1000 * MS, sent = 0, w;

	credit_init(&c, 6250, 50000, t);
	/* the first burst: 128 KiB in 1500-byte packets, then a wait
	   for the rest of the first interval */
	while (credit_take(&c, 1500, t) == 0)
		sent += 1500;
	CHECK_EQ(sent, CREDIT_MIN_BURST / 1500 * 1500);
	CHECK_EQ(credit_take(&c, 1500, t + 10 * MS), 40 * MS);
	/* an interval later: its 6250 bytes and what was left */
	w = credit_take(&c, 1500, t + 50 * MS);
	CHECK_EQ(w, 0);
	sent = 1500;
	while (credit_take(&c, 1500, t + 50 * MS) == 0)
		sent += 1500;
	CHECK_EQ(sent, (CREDIT_MIN_BURST % 1500 + 6250) / 1500 * 1500);
	/* within that interval nothing more, however often asked */
	CHECK_EQ(credit_take(&c, 1500, t + 99 * MS), 1 * MS);
	CHECK_EQ(credit_take(&c, 1500, t + 99 * MS), 1 * MS);
}

/* Over a long busy stretch, what passed is bounded by the burst and
 * the intervals' credit, and reaches that less one packet. */
static void
test_bound(void)
{
	struct credit c;
	uint64_t t0 = 5 * MS, t = t0, sent = 0, w;
	const uint64_t end = t0 + 10000 * MS;	/* 10 s, 200 intervals */

	credit_init(&c, 6250, 50000, t0);
	while (t < end) {
		w = credit_take(&c, 1514, t);
		if (w == 0)
			sent += 1514;
		else
			t += w;
	}
	CHECK(sent <= CREDIT_MIN_BURST + 6250 * 201);
	CHECK(sent + 1514 * 201 >= CREDIT_MIN_BURST + 6250 * 200);
}

/* A 64 KiB GSO packet passes under a rate well below it: credit is
 * saved up to the burst. */
static void
test_large(void)
{
	struct credit c;
	uint64_t t = 0, w;
	int waits = 0;

	credit_init(&c, 1000, 10000, 0);
	CHECK_EQ(credit_take(&c, 65535, t), 0);
	CHECK_EQ(credit_take(&c, 65535, t), 0);
	while ((w = credit_take(&c, 65535, t)) != 0) {
		t += w;
		waits++;
		CHECK(waits < 1000);
		if (waits >= 1000)
			break;
	}
	/* 2 * 65535 of 131072 spent: 65533 to come at 1000 an interval */
	CHECK_EQ(waits, 66);
	/* idle a long time: one interval's credit comes, not a burst
	   (467 were left) */
	t += 100000 * MS;
	CHECK_EQ(credit_take(&c, 1467, t), 0);
	CHECK_EQ(credit_take(&c, 1, t), 10 * MS);
	/* rates above the burst save a whole interval's */
	credit_init(&c, 1 << 20, 10000, 0);
	CHECK_EQ(credit_take(&c, 1 << 20, 0), 0);
	CHECK(credit_take(&c, 1, 0) != 0);
}

int
main(void)
{
	test_parse();
	test_unlimited();
	test_rate();
	test_bound();
	test_large();
	return CHECK_DONE();
}
