/* The summon limits (see limits.h). */
#include "config.h"

#include <stdlib.h>

#include "limits.h"
#include "ratelimit.h"

/* The buckets count summons in 60ths, so that a rate a minute is a
 * whole number of them a second. */
#define PER_MIN 60

struct limits {
	uint64_t max_running;	/* 0: no limit */
	unsigned int n;
	struct rl_bucket b[];	/* per service; rate 0: no limit */
};

struct limits *
lim_new(const struct jc_conf *c, uint64_t now_ns)
{
	struct limits *l = calloc(1, sizeof(*l) + (c->nservices + 1) *
	    sizeof(struct rl_bucket));

	if (!l)
		return NULL;
	l->max_running = c->max_running;
	l->n = c->nservices;
	for (unsigned int i = 0; i < c->nservices; i++)
		rl_init(&l->b[i], c->services[i].summon_rate,
		    c->services[i].summon_burst * PER_MIN, now_ns);
	return l;
}

void
lim_free(struct limits *l)
{
	free(l);
}

enum lim_verdict
lim_summon(struct limits *l, int svc, unsigned int running, uint64_t now_ns)
{
	if (svc < 0 || (unsigned int)svc >= l->n)
		return LIM_OK;
	if (l->max_running && running >= l->max_running)
		return LIM_RUNNING;
	if (!rl_take_all(&l->b[svc], PER_MIN, now_ns))
		return LIM_RATE;
	return LIM_OK;
}
