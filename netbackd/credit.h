/*
 * The limit the toolstack sets on what a guest transmits: the vif's
 * backend key "rate", "<bytes>,<usec>" as libxl writes it from xl's
 * rate= (e.g. 1Mb/s: "6250,50000"), bytes of credit per interval of
 * usec, as the kernel's netback applies it. A packet larger than the
 * credit left stays on the ring until an interval has passed and
 * refilled it (one interval's credit per refill, however long the
 * guest was idle); unspent credit is saved up to max(bytes, 128 KiB), so
 * that a 64 KiB GSO packet passes under any rate, and no more: a burst
 * is at most that. Pure: the caller passes the time (ns, monotonic).
 */
#ifndef NETBACKD_CREDIT_H
#define NETBACKD_CREDIT_H

#include <stdint.h>

#define CREDIT_MIN_BURST (128u * 1024)

struct credit {
	uint64_t bytes, usec;	/* 0 bytes: no limit */
	uint64_t left;		/* credit not spent */
	uint64_t window;	/* when the current interval began */
};

/*
 * "<bytes>,<usec>", both decimal and non-zero, bytes below 2^48 and
 * usec below 2^32; 0 or -EINVAL.
 */
int credit_parse(const char *s, uint64_t *bytes, uint64_t *usec);
/* bytes 0: every packet goes. Starts with a full burst of credit. */
void credit_init(struct credit *c, uint64_t bytes, uint64_t usec,
		 uint64_t now);
/*
 * A new limit for a running credit, as the rate key changes while the
 * vif is connected (0 bytes: none). Nothing changes for the same
 * limit. A higher rate applies at once: a new interval starts now with
 * its credit. A lower one gives nothing: what is left is cut to its
 * burst and refills at the new rate. From no limit, one interval's
 * credit and no burst (nothing was counted before).
 */
void credit_set(struct credit *c, uint64_t bytes, uint64_t usec,
		uint64_t now);
/*
 * Takes len bytes of credit: 0 when the packet may go now, otherwise
 * nothing is taken and the ns to wait before asking again (> 0).
 */
uint64_t credit_take(struct credit *c, uint32_t len, uint64_t now);
/* Whether there is a limit at all (without one, no clock is needed). */
static inline int
credit_limited(const struct credit *c)
{
	return c->bytes != 0;
}

#endif
