/*
 * Kept answers: the answers to recent queries, by the query's bytes after
 * its ID. The same bytes get the same answer but for the ID as long as
 * nothing the answer depends on changed (the caller's generation, gen),
 * so a query that comes again is answered by a copy with its ID, without
 * being parsed. A fixed number of slots, each holding its whole key (a
 * collision is a miss): any number of clients asking anything keep it
 * to its size. Pure (no I/O).
 */
#ifndef JITSUD_KEPT_H
#define JITSUD_KEPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "answer.h"

struct kept;

struct kept *kept_new(void);
void kept_free(struct kept *k);
/*
 * The answer kept for query q (over tcp, or UDP within udp_max) under
 * generation gen: true with out (its ID set) and res filled, or false.
 */
bool kept_get(struct kept *k, uint64_t gen, const uint8_t *q, size_t qlen,
    bool tcp, size_t udp_max, uint8_t *out, struct jd_result *res);
/*
 * Keeps the answer out/res to q under gen, when it is one to keep: an
 * answer that starts nothing (the caller acts on a summon), to a query
 * that was parsed (res->limit set), of sizes a slot takes.
 */
void kept_put(struct kept *k, uint64_t gen, const uint8_t *q, size_t qlen,
    bool tcp, size_t udp_max, const uint8_t *out,
    const struct jd_result *res);

#endif
