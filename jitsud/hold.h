/*
 * Held queries: those that wait for their service to come up. A query
 * for a service that is not ready is kept here (a copy, with its client)
 * until the service is ready, when each is answered again in the order
 * it came, or until its deadline (the service's boot timeout), when it
 * gets SERVFAIL. Bounded in all and per service, so a flood of queries
 * for a booting service holds a fixed amount of memory. Free of I/O.
 */
#ifndef JITSUD_HOLD_H
#define JITSUD_HOLD_H

#include <stdint.h>

#include "client.h"

struct hold;

/* What leaves the table: the query and its client, as they came. */
typedef void hold_fn(void *arg, int svc, const uint8_t *q, size_t len,
    const struct jd_client *c);

struct hold *hold_new(unsigned int max, unsigned int per_svc);
void hold_free(struct hold *h);
/* Returns 0, or -ENOSPC when the table or the service's share is full,
 * -EINVAL for a query larger than a message. */
int hold_add(struct hold *h, int svc, const uint8_t *q, size_t len,
    const struct jd_client *c, uint64_t deadline);
/* Each of svc's queries, in order, to fn; they leave the table first, so
 * fn may hold them again. */
void hold_release(struct hold *h, int svc, hold_fn *fn, void *arg);
/* Each query whose deadline is at or before now, to fn (which must not
 * hold it again with such a deadline). */
void hold_expire(struct hold *h, uint64_t now, hold_fn *fn, void *arg);
/* The earliest deadline, or UINT64_MAX. */
uint64_t hold_next_deadline(const struct hold *h);
unsigned int hold_count(const struct hold *h, int svc);	/* svc < 0: all */

#endif
