/* Deadlines and their timers (see deadline.h). */
#include "config.h"

#include <sys/time.h>

#include <event2/event.h>

#include "ratelimit.h"
#include "deadline.h"

uint64_t
jd_now_ms(void)
{
	return rl_now_ns() / 1000000;
}

void
jd_timer_at(struct event *timer, uint64_t deadline)
{
	uint64_t now = jd_now_ms(), d;
	struct timeval tv;

	if (deadline == UINT64_MAX) {
		evtimer_del(timer);
		return;
	}
	d = deadline > now ? deadline - now : 0;
	tv.tv_sec = (time_t)(d / 1000);
	tv.tv_usec = (suseconds_t)(d % 1000) * 1000;
	evtimer_add(timer, &tv);
}
