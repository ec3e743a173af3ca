/*
 * The summon limits: max-running counts the other services' guests;
 * each service has its own summons a minute, a burst at once, and gets
 * them back with time; rate 0 and max-running 0 are no limit.
 */
#include "config.h"

#include "limits.h"
#include "settings.h"
#include "check.h"

#define NS 1000000000ULL

static struct jc_conf c;

int
main(void)
{
	uint64_t t = 100 * NS;
	struct limits *l;

	jc_defaults(&c);
	c.nservices = 3;
	c.max_running = 2;
	c.services[0].summon_rate = 6;	/* one each 10 s */
	c.services[0].summon_burst = 2;
	c.services[1].summon_rate = 0;	/* none */
	c.services[1].summon_burst = 1;
	c.services[2].summon_rate = 60;
	c.services[2].summon_burst = 1;
	l = lim_new(&c, t);
	CHECK(l != NULL);

	/* Two at once, then none until 10 s have given one back. */
	CHECK_EQ(lim_summon(l, 0, 0, t), LIM_OK);
	CHECK_EQ(lim_summon(l, 0, 0, t), LIM_OK);
	CHECK_EQ(lim_summon(l, 0, 0, t), LIM_RATE);
	CHECK_EQ(lim_summon(l, 0, 0, t + 9 * NS), LIM_RATE);
	CHECK_EQ(lim_summon(l, 0, 0, t + 10 * NS), LIM_OK);
	CHECK_EQ(lim_summon(l, 0, 0, t + 10 * NS), LIM_RATE);

	/* Another service's bucket is its own. */
	CHECK_EQ(lim_summon(l, 2, 0, t), LIM_OK);
	CHECK_EQ(lim_summon(l, 2, 0, t), LIM_RATE);
	CHECK_EQ(lim_summon(l, 2, 0, t + NS), LIM_OK);

	/* Rate 0: any number. */
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(lim_summon(l, 1, 1, t), LIM_OK);

	/* max-running: two others up, no third; it takes no summon. */
	CHECK_EQ(lim_summon(l, 1, 2, t), LIM_RUNNING);
	CHECK_EQ(lim_summon(l, 2, 2, t + 60 * NS), LIM_RUNNING);
	CHECK_EQ(lim_summon(l, 2, 1, t + 60 * NS), LIM_OK);

	/* Not a service: nothing to limit. */
	CHECK_EQ(lim_summon(l, -1, 99, t), LIM_OK);
	CHECK_EQ(lim_summon(l, 3, 99, t), LIM_OK);
	lim_free(l);

	/* max-running 0: no limit. */
	c.max_running = 0;
	l = lim_new(&c, t);
	CHECK_EQ(lim_summon(l, 1, 100000, t), LIM_OK);
	lim_free(l);
	return CHECK_DONE();
}
