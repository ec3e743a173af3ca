/*
 * Time and timers. The clock is Xen system time (ns since the host
 * booted) from shared_info's vcpu_time_info and the TSC. The 10 ms
 * periodic timer every PV vCPU starts with is stopped: the guest sleeps
 * in SCHEDOP_poll with the next deadline as its timeout instead, so an
 * idle unikernel costs the host nothing.
 */
#ifndef XUD_UK_CLOCK_H
#define XUD_UK_CLOCK_H

#include <stdint.h>

#define TM_MS 1000000ull
#define TM_S 1000000000ull

typedef void tm_fn(void *arg);

struct tm_timer {
	uint64_t deadline;
	tm_fn *fn;
	void *arg;
	struct tm_timer *next;
	int armed;
};

void tm_init(void);
/* Xen system time now, in ns. */
uint64_t tm_now(void);

/* Arms t to run fn(arg) once at deadline (system time); re-arms if armed. */
void tm_arm(struct tm_timer *t, uint64_t deadline, tm_fn *fn, void *arg);
void tm_cancel(struct tm_timer *t);

/*
 * The one place the guest waits: runs event handlers and due timers until
 * done(arg) is true (0) or deadline passes (-ETIMEDOUT; 0 = no deadline).
 * done may be NULL to just sleep until the deadline.
 */
int tm_wait(int (*done)(void *), void *arg, uint64_t deadline);

#endif
