/*
 * Token bucket, free of I/O: the caller passes the time. One bucket per
 * domain (or per console, per vif); tokens are bytes, requests or events
 * as the caller decides. rate is tokens per second; the bucket starts full
 * so that a guest's first burst (a boot log, a seed) passes at once.
 */
#ifndef XUD_RATELIMIT_H
#define XUD_RATELIMIT_H

#include <stdint.h>

struct rl_bucket {
	uint64_t rate;		/* tokens per second; 0 = unlimited */
	uint64_t burst;		/* bucket size */
	uint64_t tokens;
	uint64_t frac;		/* sub-token remainder, in token-ns */
	uint64_t last_ns;
};

void rl_init(struct rl_bucket *b, uint64_t rate, uint64_t burst,
	     uint64_t now_ns);
/* Change rate and burst, keeping the tokens (capped at the new burst). */
void rl_set(struct rl_bucket *b, uint64_t rate, uint64_t burst);
/* Takes up to want tokens; returns how many were taken. */
uint64_t rl_take(struct rl_bucket *b, uint64_t want, uint64_t now_ns);
/* Takes exactly n tokens or none; returns 1 if taken. */
int rl_take_all(struct rl_bucket *b, uint64_t n, uint64_t now_ns);
/* Nanoseconds until n tokens are available (0 = now). n is capped at burst. */
uint64_t rl_wait_ns(struct rl_bucket *b, uint64_t n, uint64_t now_ns);
/* Tokens available now. */
uint64_t rl_avail(struct rl_bucket *b, uint64_t now_ns);
/* CLOCK_MONOTONIC in ns, for callers. */
uint64_t rl_now_ns(void);

#endif
