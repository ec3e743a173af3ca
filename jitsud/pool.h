/*
 * A service's warm pool, the bookkeeping without the I/O: N slots, each
 * empty, being filled (a domain being created paused) or holding a
 * paused domain that a summon takes instead of creating one. One slot
 * fills at a time, so that refilling stays in the background; a fill that
 * failed stops the refilling until the next take (a broken xl config must
 * not become a loop of creates).
 */
#ifndef JITSUD_POOL_H
#define JITSUD_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "settings.h"

#define POOL_MAX JC_MAX_POOL

enum pool_slot_state { POOL_EMPTY, POOL_FILLING, POOL_HELD };

struct pool {
	unsigned int n;
	enum pool_slot_state st[POOL_MAX];
	uint32_t domid[POOL_MAX];
	/* held, and passed the service's readiness checks before its
	   pause (pool-boot): a summon need not check them again */
	bool ready[POOL_MAX];
	bool stuck;		/* a fill failed: none until the next take */
	uint64_t takes, fills, fill_failures;
};

void pool_init(struct pool *p, unsigned int n);
/* A held domain for a summon (ready: it was ready before its pause), or
 * false when none is there. */
bool pool_take(struct pool *p, uint32_t *domid, bool *ready);
/* The slot to fill next, or -1 (none empty, one filling, or stuck). */
int pool_next_fill(struct pool *p);
/* The fill of slot ended: domid held (ready: it passed the readiness
 * checks before its pause), or failed (ok false). */
void pool_filled(struct pool *p, int slot, bool ok, uint32_t domid,
    bool ready);
/* At start: an empty slot fills with a domain found (false: it cannot,
 * another one fills). */
bool pool_begin(struct pool *p, int slot);
/* At start: slot already holds domid (from before a restart; whether it
 * was ready then is not known, so a summon checks). */
void pool_adopt(struct pool *p, int slot, uint32_t domid);
/* domid went away: its slot is empty again. True when it was held. */
bool pool_forget(struct pool *p, uint32_t domid);
unsigned int pool_held(const struct pool *p);

#endif
