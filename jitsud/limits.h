/*
 * The summon limits, so that a query flood does not become a VM flood:
 * at most max_running summoned guests run at once, over all services,
 * and each service is summoned at most rate times a minute (a token
 * bucket holding burst summons). Only a query that would start a stopped
 * service asks; queries for a service that is up or booting do not.
 * Free of I/O: the caller gives the time and how many guests run.
 */
#ifndef JITSUD_LIMITS_H
#define JITSUD_LIMITS_H

#include <stdint.h>

#include "settings.h"

enum lim_verdict { LIM_OK, LIM_RUNNING, LIM_RATE };

struct limits;

/* The limits of c's services, buckets full at now_ns. NULL: no memory. */
struct limits *lim_new(const struct jc_conf *c, uint64_t now_ns);
void lim_free(struct limits *l);
/*
 * May service svc be summoned now, with running summoned guests of other
 * services up (or on their way up or down)? LIM_OK takes a summon from
 * its bucket.
 */
enum lim_verdict lim_summon(struct limits *l, int svc, unsigned int running,
    uint64_t now_ns);

#endif
