/* Token bucket with integer arithmetic and no drift. */
#include "config.h"

#include <time.h>

#include "ratelimit.h"

#define NS 1000000000ULL

void
rl_init(struct rl_bucket *b, uint64_t rate, uint64_t burst, uint64_t now_ns)
{
	b->rate = rate;
	b->burst = burst;
	b->tokens = burst;
	b->frac = 0;
	b->last_ns = now_ns;
}

void
rl_set(struct rl_bucket *b, uint64_t rate, uint64_t burst)
{
	b->rate = rate;
	b->burst = burst;
	if (b->tokens > burst)
		b->tokens = burst;
}

static void
rl_refill(struct rl_bucket *b, uint64_t now_ns)
{
	uint64_t dt, add;

	if (now_ns <= b->last_ns)
		return;
	dt = now_ns - b->last_ns;
	b->last_ns = now_ns;
	if (b->tokens >= b->burst) {
		b->frac = 0;
		return;
	}
	/* Long idle periods: avoid overflow of dt * rate. */
	if (dt >= NS * 1000 || dt > UINT64_MAX / (b->rate ? b->rate : 1)) {
		b->tokens = b->burst;
		b->frac = 0;
		return;
	}
	b->frac += dt * b->rate;
	add = b->frac / NS;
	b->frac %= NS;
	if (add >= b->burst - b->tokens) {
		b->tokens = b->burst;
		b->frac = 0;
	} else {
		b->tokens += add;
	}
}

uint64_t
rl_avail(struct rl_bucket *b, uint64_t now_ns)
{
	if (b->rate == 0)
		return UINT64_MAX;
	rl_refill(b, now_ns);
	return b->tokens;
}

uint64_t
rl_take(struct rl_bucket *b, uint64_t want, uint64_t now_ns)
{
	uint64_t got;

	if (b->rate == 0)
		return want;
	rl_refill(b, now_ns);
	got = want < b->tokens ? want : b->tokens;
	b->tokens -= got;
	return got;
}

int
rl_take_all(struct rl_bucket *b, uint64_t n, uint64_t now_ns)
{
	if (b->rate == 0)
		return 1;
	rl_refill(b, now_ns);
	if (b->tokens < n)
		return 0;
	b->tokens -= n;
	return 1;
}

uint64_t
rl_wait_ns(struct rl_bucket *b, uint64_t n, uint64_t now_ns)
{
	uint64_t missing, need;

	if (b->rate == 0)
		return 0;
	rl_refill(b, now_ns);
	if (n > b->burst)
		n = b->burst;
	if (b->tokens >= n)
		return 0;
	missing = n - b->tokens;
	/* ceil((missing * NS - frac) / rate), without overflow for sane rates */
	if (missing > UINT64_MAX / NS)
		return UINT64_MAX;
	need = missing * NS - b->frac;
	return (need + b->rate - 1) / b->rate;
}

uint64_t
rl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}
