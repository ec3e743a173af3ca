/*
 * netbackd/counters.h: a vif's totals are its own counters and its
 * queues' summed field by field, and a queue's thread publishing while
 * --status reads never shows a field going back or past the writer's
 * (build with -fsanitize=thread to see that the reads race nothing).
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "counters.h"

#define NF (sizeof(struct nb_counters) / sizeof(uint64_t))
#define ROUNDS 20000u

static void
test_sum(void)
{
	struct nb_counters vif, q[4], t;
	uint64_t *pv = (uint64_t *)&vif, *pt = (uint64_t *)&t;

	memset(&vif, 0, sizeof(vif));
	for (size_t i = 0; i < NF; i++)
		pv[i] = 1000 * i;
	for (unsigned k = 0; k < 4; k++) {
		struct nb_counters own;
		uint64_t *po = (uint64_t *)&own;

		for (size_t i = 0; i < NF; i++)
			po[i] = (k + 1) * 10 + i;
		counters_publish(&q[k], &own);
	}
	t = vif;
	for (unsigned k = 0; k < 4; k++)
		counters_add_published(&t, &q[k]);
	/* 1000i + sum over k of (10(k+1) + i) = 1000i + 100 + 4i */
	for (size_t i = 0; i < NF; i++)
		CHECK_EQ(pt[i], 1000 * i + 100 + 4 * i);
	CHECK_EQ(t.tx_packets, vif.tx_packets + 100);
	CHECK_EQ(t.hostile, vif.hostile + 100 + 4 * (NF - 1));
}

static struct nb_counters shared;

/* A queue's thread: counts in its own copy, publishes each round. */
static void *
writer(void *arg)
{
	struct nb_counters own;
	uint64_t *po = (uint64_t *)&own;

	memset(&own, 0, sizeof(own));
	for (unsigned r = 1; r <= ROUNDS; r++) {
		for (size_t i = 0; i < NF; i++)
			po[i] = (uint64_t)r * (i + 1);
		counters_publish(&shared, &own);
	}
	return NULL;
}

static void
test_concurrent(void)
{
	uint64_t last[NF];
	pthread_t th;
	int bad = 0;

	memset(last, 0, sizeof(last));
	CHECK_EQ(pthread_create(&th, NULL, writer, NULL), 0);
	for (unsigned n = 0; n < ROUNDS; n++) {
		struct nb_counters t;
		uint64_t *pt = (uint64_t *)&t;

		memset(&t, 0, sizeof(t));
		counters_add_published(&t, &shared);
		for (size_t i = 0; i < NF; i++) {
			/* a multiple of its step, never back, never past */
			bad += pt[i] % (i + 1) != 0 || pt[i] < last[i] ||
			    pt[i] > (uint64_t)ROUNDS * (i + 1);
			last[i] = pt[i];
		}
	}
	pthread_join(th, NULL);
	CHECK_EQ(bad, 0);
	{
		struct nb_counters t;
		uint64_t *pt = (uint64_t *)&t;

		memset(&t, 0, sizeof(t));
		counters_add_published(&t, &shared);
		for (size_t i = 0; i < NF; i++)
			CHECK_EQ(pt[i], (uint64_t)ROUNDS * (i + 1));
	}
}

int
main(void)
{
	test_sum();
	test_concurrent();
	return CHECK_DONE();
}
