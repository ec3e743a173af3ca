/* The Xen system-time clock, a sorted timer list, and tm_wait. */
#include <errno.h>
#include <stddef.h>

#include "evtchn.h"
#include "hypercall.h"
#include "startinfo.h"
#include "clock.h"

static struct tm_timer *tm_list;

#define tm_rmb() __asm__ volatile("lfence" ::: "memory")

void
tm_init(void)
{
	/* No VIRQ_TIMER handler exists; the periodic timer would only wake
	 * us for nothing. */
	hc_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
}

static uint64_t
tm_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t
tm_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

/*
 * The TSC is read inside the version loop: if the vCPU moves to another
 * pCPU meanwhile, Xen rewrites the parameters for that pCPU's TSC and the
 * version changes, so a TSC is never scaled with another pCPU's values.
 */
uint64_t
tm_now(void)
{
	volatile struct vcpu_time_info *t = &si_shared()->vcpu_info[0].time;
	uint32_t ver, mul;
	uint64_t stamp, sys, tsc, delta;
	int8_t shift;

	do {
		ver = t->version;
		tm_rmb();
		tsc = tm_rdtsc();
		stamp = t->tsc_timestamp;
		sys = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		tm_rmb();
	} while ((ver & 1) || ver != t->version);
	/*
	 * The difference wraps: a new domain's stamp may be "negative" (Xen
	 * stamps in the domain's TSC, which starts near 0 when it is
	 * created; seen in the lab as 2^64 - 1.5e9 with the TSC at 0.9e9,
	 * and a clock stuck until the next stamp a second later). A TSC a
	 * little behind the stamp (another pCPU's) counts as no time.
	 */
	delta = tsc - stamp;
	return sys + ((int64_t)delta > 0 ? tm_scale(delta, mul, shift) : 0);
}

void
tm_cancel(struct tm_timer *t)
{
	struct tm_timer **pp;

	if (!t->armed)
		return;
	for (pp = &tm_list; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->armed = 0;
}

void
tm_arm(struct tm_timer *t, uint64_t deadline, tm_fn *fn, void *arg)
{
	struct tm_timer **pp;

	tm_cancel(t);
	t->deadline = deadline;
	t->fn = fn;
	t->arg = arg;
	for (pp = &tm_list; *pp && (*pp)->deadline <= deadline; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->armed = 1;
}

static void
tm_run_due(uint64_t now)
{
	while (tm_list && tm_list->deadline <= now) {
		struct tm_timer *t = tm_list;

		tm_list = t->next;
		t->armed = 0;
		t->fn(t->arg);	/* may re-arm itself */
	}
}

int
tm_wait(int (*done)(void *), void *arg, uint64_t deadline)
{
	for (;;) {
		uint64_t now, wake;

		ev_dispatch();
		now = tm_now();
		tm_run_due(now);
		if (done && done(arg))
			return 0;
		if (deadline && now >= deadline)
			return -ETIMEDOUT;
		wake = deadline;
		if (tm_list && (!wake || tm_list->deadline < wake))
			wake = tm_list->deadline;
		ev_block(wake);
	}
}
