/*
 * Per-domain log limiter: the burst passes, then lines are held back,
 * the count comes with the next allowed line, the bucket refills over
 * (fake) time, domains are independent; and log_dom_rl's output.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domlog.h"
#include "log.h"
#include "capture.h"
#include "check.h"

#define S 1000000000ULL

static void
test_pure(void)
{
	struct domlog a, b;
	uint64_t t = 100 * S, n = 99;

	domlog_init(&a, t);
	domlog_init(&b, t);
	for (int i = 0; i < DOMLOG_BURST; i++) {
		CHECK(domlog_allow(&a, t, &n));
		CHECK_EQ(n, 0);
	}
	/* burst spent: held back, counted */
	CHECK(!domlog_allow(&a, t, &n));
	CHECK_EQ(n, 1);
	CHECK(!domlog_allow(&a, t + 9 * S, &n));
	CHECK_EQ(n, 2);
	/* another domain is not affected */
	CHECK(domlog_allow(&b, t, &n));
	CHECK_EQ(n, 0);
	/* 10 s after the burst: one line, carrying the count */
	CHECK(domlog_allow(&a, t + 10 * S, &n));
	CHECK_EQ(n, 2);
	CHECK(!domlog_allow(&a, t + 10 * S, &n));
	CHECK_EQ(n, 1);
	CHECK(!domlog_allow(&a, t + 19 * S, NULL));
	CHECK(domlog_allow(&a, t + 20 * S, &n));
	CHECK_EQ(n, 2);
	/* a long quiet time gives the burst back, and no more */
	for (int i = 0; i < DOMLOG_BURST; i++)
		CHECK(domlog_allow(&a, t + 3600 * S, NULL));
	CHECK(!domlog_allow(&a, t + 3600 * S, NULL));
	/* time going backwards gives nothing */
	CHECK(!domlog_allow(&a, t, NULL));

	/* other settings: 2 lines, then one per 500 ms */
	domlog_set(&a, 2, 500, t);
	CHECK(domlog_allow(&a, t, NULL));
	CHECK(domlog_allow(&a, t, NULL));
	CHECK(!domlog_allow(&a, t + S / 2 - 1, NULL));
	CHECK(domlog_allow(&a, t + S / 2, &n));
	CHECK_EQ(n, 1);
	/* period 0: no limit */
	domlog_set(&a, 1, 0, t);
	for (int i = 0; i < 1000; i++)
		CHECK(domlog_allow(&a, t, NULL));
}

/*
 * log_dom_rl reads the real clock; a bucket started an hour ahead of it
 * never refills during the test, so the result does not depend on timing.
 */
static void
test_log(void)
{
	char buf[4096];
	struct capture cap;
	struct domlog l;

	unsetenv("JOURNAL_STREAM");
	capture_begin(&cap);
	log_init("t", LOG_TO_STDERR, 0);

	domlog_set(&l, 2, DOMLOG_PERIOD_MS, rl_now_ns() + 3600 * S);
	log_dom_rl(&l, LOG_DEBUG, 3, "web", "not shown, not counted");
	log_dom_rl(&l, LOG_WARNING, 3, "web", "line %d", 1);
	log_dom_rl(&l, LOG_INFO, 3, "web", "line %d", 2);
	errno = EBUSY;
	log_dom_rl(&l, LOG_WARNING, 3, "web", "line %d", 3);
	CHECK_EQ(errno, EBUSY);
	log_dom_rl(&l, LOG_WARNING, 3, "web", "line %d", 4);
	/* refill: the bucket's clock is set back, a full period ago */
	l.rl.last_ns = rl_now_ns() - (uint64_t)DOMLOG_PERIOD_MS * 1000000;
	log_dom_rl(&l, LOG_WARNING, 3, NULL, "line %d", 5);
	log_dom_rl(&l, LOG_WARNING, 3, NULL, "line %d", 6);

	capture_end(&cap, buf, sizeof(buf));
	CHECK_STR(buf,
	    "t: warning: dom3(web): line 1\n"
	    "t: dom3(web): line 2\n"
	    "t: warning: dom3: line 5 (2 similar lines suppressed)\n");
}

int
main(void)
{
	test_pure();
	test_log();
	return CHECK_DONE();
}
