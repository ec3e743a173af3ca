/*
 * Per-domain line limiter on a token bucket. The bucket counts in ms so
 * that periods need not be whole seconds: it refills 1000 tokens a second
 * and a line costs period_ms of them.
 */
#include "config.h"

#include "domlog.h"

#define DOMLOG_RATE 1000	/* tokens (ms) per second */

void
domlog_set(struct domlog *l, unsigned int burst, uint64_t period_ms,
	   uint64_t now_ns)
{
	if (burst == 0)
		burst = 1;
	/* bounded so that burst * period cannot overflow: a day */
	if (period_ms > 86400000)
		period_ms = 86400000;
	l->period_ms = period_ms;
	l->suppressed = 0;
	rl_init(&l->rl, DOMLOG_RATE, (uint64_t)burst * period_ms, now_ns);
}

void
domlog_init(struct domlog *l, uint64_t now_ns)
{
	domlog_set(l, DOMLOG_BURST, DOMLOG_PERIOD_MS, now_ns);
}

int
domlog_allow(struct domlog *l, uint64_t now_ns, uint64_t *suppressed)
{
	if (l->period_ms && !rl_take_all(&l->rl, l->period_ms, now_ns)) {
		if (l->suppressed < UINT64_MAX)
			l->suppressed++;
		if (suppressed)
			*suppressed = l->suppressed;
		return 0;
	}
	if (suppressed)
		*suppressed = l->suppressed;
	l->suppressed = 0;
	return 1;
}
