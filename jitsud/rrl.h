/*
 * Response rate limiting, as in NSD: each client prefix (IPv4 /24 and
 * IPv6 /56 by default) gets rate UDP answers a second, a second's worth
 * at once. Past that a query is limited (the server drops or refuses it),
 * but every slip-th limited one is answered truncated, so that a real
 * client inside a prefix someone floods with spoofed queries retries over
 * TCP, which is not limited.
 *
 * The table is fixed at size slots, hashed with a random key. Prefixes
 * that land in one slot share it and its budget: memory and work per query are bounded whatever addresses a flood
 * uses, and a prefix cannot win a fresh budget by pushing another out.
 * Free of I/O: the caller gives the time.
 */
#ifndef JITSUD_RRL_H
#define JITSUD_RRL_H

#include <stdint.h>
#include <sys/socket.h>

enum rrl_verdict { RRL_PASS, RRL_SLIP, RRL_LIMIT };

struct rrl_params {
	uint64_t rate;		/* answers a second per prefix; 0: off */
	uint64_t size;		/* slots */
	uint64_t v4_prefix;	/* bits, 0..32 */
	uint64_t v6_prefix;	/* bits, 0..128 */
	uint64_t slip;		/* every slip-th limited query: truncated;
				   0: none */
};

struct rrl;

/* A table, keyed by seed (random in the daemon). NULL: out of memory. */
struct rrl *rrl_new(const struct rrl_params *p, uint64_t seed);
void rrl_free(struct rrl *r);
/* A query from sa (AF_INET or AF_INET6; others pass) at now_ns. */
enum rrl_verdict rrl_check(struct rrl *r, const struct sockaddr *sa,
    uint64_t now_ns);
/* Slots that were ever used (bounded by size). */
uint64_t rrl_used(const struct rrl *r);

#endif
