/* Response rate limiting (see rrl.h). */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "ratelimit.h"
#include "rrl.h"

/* Which prefix a slot serves is not kept: colliding prefixes share it. */
struct slot {
	bool used;
	uint64_t limited;	/* in a row, for the slip */
	struct rl_bucket b;
};

struct rrl {
	struct rrl_params p;
	uint64_t seed, used;
	struct slot slot[];
};

struct rrl *
rrl_new(const struct rrl_params *p, uint64_t seed)
{
	struct rrl *r;

	if (p->size == 0 || p->size > UINT32_MAX)
		return NULL;
	r = calloc(1, sizeof(*r) + p->size * sizeof(struct slot));
	if (!r)
		return NULL;
	r->p = *p;
	if (r->p.v4_prefix > 32)
		r->p.v4_prefix = 32;
	if (r->p.v6_prefix > 128)
		r->p.v6_prefix = 128;
	r->seed = seed;
	return r;
}

void
rrl_free(struct rrl *r)
{
	free(r);
}

uint64_t
rrl_used(const struct rrl *r)
{
	return r->used;
}

/* The first bits of addr, the rest cleared. */
static void
prefix(uint8_t *key, const uint8_t *addr, size_t len, uint64_t bits)
{
	memset(key, 0, 16);
	for (size_t i = 0; i < len && bits > 0; i++) {
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));

		key[i] = addr[i] & mask;
		bits = bits >= 8 ? bits - 8 : 0;
	}
}

/* FNV-1a over the seed and key, then a 64-bit finaliser to spread it. */
static uint64_t
hash(uint64_t seed, uint8_t family, const uint8_t *key)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	h = (h ^ family) * 0x100000001b3ULL;
	for (int i = 0; i < 16; i++)
		h = (h ^ key[i]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

enum rrl_verdict
rrl_check(struct rrl *r, const struct sockaddr *sa, uint64_t now_ns)
{
	uint8_t key[16];
	uint8_t family;
	struct slot *s;

	if (r->p.rate == 0)
		return RRL_PASS;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *v4 = (const void *)sa;

		prefix(key, (const uint8_t *)&v4->sin_addr, 4, r->p.v4_prefix);
		family = 4;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *v6 = (const void *)sa;

		prefix(key, v6->sin6_addr.s6_addr, 16, r->p.v6_prefix);
		family = 6;
	} else
		return RRL_PASS;
	s = &r->slot[hash(r->seed, family, key) % r->p.size];
	if (!s->used) {
		rl_init(&s->b, r->p.rate, r->p.rate, now_ns);
		s->used = true;
		r->used++;
	}
	if (rl_take_all(&s->b, 1, now_ns)) {
		s->limited = 0;
		return RRL_PASS;
	}
	s->limited++;
	if (r->p.slip && s->limited % r->p.slip == 0)
		return RRL_SLIP;
	return RRL_LIMIT;
}
