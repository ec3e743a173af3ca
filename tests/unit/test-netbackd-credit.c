/*
 * netbackd/credit.c: the rate key's format, and the credit a guest
 * gets: what passes in an interval, what waits and for how long, the
 * burst cap, that a 64 KiB packet passes under a small rate, and a
 * limit changed while running (credit_set).
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

/* Spends what c has at now in 1500-byte packets; returns the bytes. */
static uint64_t
drain(struct credit *c, uint64_t now)
{
	uint64_t sent = 0;

	while (credit_take(c, 1500, now) == 0 && sent < (1ull << 40))
		sent += 1500;
	return sent;
}

/* Sends 1500-byte packets as fast as the credit lets from t for d ns. */
static uint64_t
run(struct credit *c, uint64_t t, uint64_t d)
{
	uint64_t end = t + d, sent = 0, w;

	while (t < end) {
		if ((w = credit_take(c, 1500, t)) == 0)
			sent += 1500;
		else
			t += w;
	}
	return sent;
}

/* The wait for 1500 bytes 10 ms after a limit of b0,u0 was spent at t
 * and changed to b1,u1. */
static uint64_t
wait_after(uint64_t b0, uint64_t u0, uint64_t b1, uint64_t u1)
{
	struct credit c;
	uint64_t t = 1000 * MS;

	credit_init(&c, b0, u0, t);
	drain(&c, t);
	credit_set(&c, b1, u1, t + 10 * MS);
	return credit_take(&c, 1500, t + 10 * MS);
}

/* A raised limit applies at once: the guest waiting under the old one
 * gets the new interval's credit now, and the new rate from then on. */
static void
test_set_raise(void)
{
	struct credit c;
	uint64_t t = 1000 * MS, sent;

	credit_init(&c, 6250, 50000, t);
	drain(&c, t);
	CHECK_EQ(credit_take(&c, 1500, t + 10 * MS), 40 * MS);
	/* 100 KB per 50 ms: 16 Mb/s */
	credit_set(&c, 100000, 50000, t + 10 * MS);
	sent = drain(&c, t + 10 * MS);
	CHECK_EQ(sent, (CREDIT_MIN_BURST % 1500 + 100000) / 1500 * 1500);
	CHECK_EQ(credit_take(&c, 1500, t + 10 * MS), 50 * MS);
	/* 10 s at the new rate, 200 intervals: what they give, within a
	   packet an interval and the burst */
	sent = run(&c, t + 60 * MS, 10000 * MS);
	CHECK(sent <= CREDIT_MIN_BURST + 100000ull * 201);
	CHECK(sent + 1500ull * 201 >= 100000ull * 200);
	/* the same limit again changes nothing */
	CHECK_EQ(wait_after(6250, 50000, 6250, 50000), 40 * MS);
}

/* A lowered limit lets no burst through: the old limit's saved credit
 * is cut to the new burst, nothing is added, and the new rate holds. */
static void
test_set_lower(void)
{
	struct credit c;
	uint64_t t = 1000 * MS, sent;

	/* 10 MB per 50 ms saves up 10 MB while idle */
	credit_init(&c, 10000000, 50000, t);
	credit_set(&c, 6250, 50000, t + 1 * MS);
	sent = drain(&c, t + 1 * MS);
	CHECK(sent <= CREDIT_MIN_BURST);
	CHECK(sent + 1500 > CREDIT_MIN_BURST);
	sent = run(&c, t + 1 * MS, 10000 * MS);
	CHECK(sent <= 6250ull * 201);
	CHECK(sent + 1500ull * 201 >= 6250ull * 200);
	/* spent under the old limit: nothing until the interval ends */
	CHECK_EQ(wait_after(1000000, 50000, 6250, 50000), 40 * MS);
	/* a longer interval at the same rate is no raise either */
	CHECK_EQ(wait_after(6250, 50000, 12500, 100000), 90 * MS);
}

/* To no limit and back: everything goes, then one interval's credit. */
static void
test_set_unlimited(void)
{
	struct credit c;
	uint64_t t = 1000 * MS;

	credit_init(&c, 6250, 50000, t);
	drain(&c, t);
	CHECK(credit_take(&c, 1500, t) != 0);
	credit_set(&c, 0, 0, t + 1 * MS);
	for (int i = 0; i < 10000; i++)
		CHECK_EQ(credit_take(&c, 65535, t + 1 * MS), 0);
	credit_set(&c, 6250, 50000, t + 2 * MS);
	CHECK_EQ(drain(&c, t + 2 * MS), 6250 / 1500 * 1500);
	CHECK_EQ(credit_take(&c, 1500, t + 2 * MS), 50 * MS);
	/* unlimited from the start (no rate key at connect), limited later */
	credit_init(&c, 0, 0, t);
	credit_set(&c, 6250, 50000, t);
	CHECK_EQ(drain(&c, t), 6250 / 1500 * 1500);
}

int
main(void)
{
	test_parse();
	test_unlimited();
	test_rate();
	test_bound();
	test_large();
	test_set_raise();
	test_set_lower();
	test_set_unlimited();
	return CHECK_DONE();
}
