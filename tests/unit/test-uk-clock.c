/*
 * The unikernel's clock (unikernel/rt/clock.c) on a vcpu_time_info in
 * memory and the host's TSC: Xen system time is the stamp's plus the
 * scaled TSC ticks since it, also when a new domain's stamp is
 * "negative" (wrapped below 0, as the lab showed: the clock then stood
 * still until Xen stamped again a second later); a stamp ahead of the
 * TSC counts as no time; timers run in deadline order.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "unikernel/rt/clock.h"
#include "unikernel/rt/evtchn.h"
#include "unikernel/rt/startinfo.h"

/* tm_init's hypercall is never made here; the symbol must exist. */
char hypercall_page[4096];

static shared_info_t shared;

shared_info_t *
si_shared(void)
{
	return &shared;
}

void
ev_dispatch(void)
{
}

static uint64_t blocked_until;

void
ev_block(uint64_t deadline_ns)
{
	blocked_until = deadline_ns;
	/* Time passes while we block: move the stamp's system time on. */
	shared.vcpu_info[0].time.system_time += 10 * TM_MS;
}

static uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void
stamp(uint64_t tsc, uint64_t sys)
{
	struct vcpu_time_info *t = &shared.vcpu_info[0].time;

	t->version = 2;
	t->tsc_timestamp = tsc;
	t->system_time = sys;
	t->tsc_to_system_mul = 1u << 31;	/* half a ns per tick */
	t->tsc_shift = 0;
}

static int order[3], norder;

static void
fired(void *arg)
{
	order[norder++] = (int)(intptr_t)arg;
}

int
main(void)
{
	uint64_t sys = 5 * TM_S, t0, t1, tsc;
	struct tm_timer a, b, c;

	/* Ticks since the stamp, at half a ns each. */
	tsc = rdtsc();
	stamp(tsc - 2000000, sys);
	t0 = tm_now();
	CHECK(t0 >= sys + 1000000);
	t1 = tm_now();
	CHECK(t1 >= t0);

	/* A stamp below 0: the ticks since it wrap, and still count. */
	tsc = rdtsc();
	stamp(UINT64_MAX - 999, sys);
	t0 = tm_now();
	CHECK(t0 >= sys + 500 + tsc / 2);
	CHECK(t0 < sys + 500 + tsc / 2 + 60 * TM_S);

	/* A stamp ahead of this TSC (another pCPU's): no time yet. */
	stamp(rdtsc() + (1ull << 40), sys);
	CHECK_EQ(tm_now(), sys);

	/* Timers in deadline order, whatever order they were armed in. */
	stamp(rdtsc() + (1ull << 40), sys);
	tm_arm(&a, sys + 30 * TM_MS, fired, (void *)1);
	tm_arm(&b, sys + 10 * TM_MS, fired, (void *)2);
	tm_arm(&c, sys + 20 * TM_MS, fired, (void *)3);
	tm_cancel(&c);
	CHECK_EQ(tm_wait(NULL, NULL, sys + 40 * TM_MS), -ETIMEDOUT);
	CHECK_EQ(norder, 2);
	CHECK_EQ(order[0], 2);
	CHECK_EQ(order[1], 1);
	CHECK(blocked_until != 0);
	return CHECK_DONE();
}
