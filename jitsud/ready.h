/*
 * A started service's readiness: the checks its config asks for, all at
 * once, until every one has passed:
 *
 *   key      the xenstore key under the guest's home holds a value other
 *            than "" and "0" (watched);
 *   hotplug  the backend of the guest's first vif says hotplug-status
 *            "connected" (watched; found from the guest's device/vif/0);
 *   tcp      a TCP connect to the service's address (A, else AAAA) on
 *            its ready-port succeeds (tried every 100 ms, each attempt
 *            given 250 ms).
 *
 * done(arg) is called once, from the loop, when all have passed; there
 * is no failure report: the summoner's boot timeout ends a check that
 * never passes, with ready_stop().
 */
#ifndef JITSUD_READY_H
#define JITSUD_READY_H

#include <stdint.h>

#include "settings.h"

struct event_base;
struct ready;
struct xstore;

typedef void ready_fn(void *arg);

/* Returns 0, or -errno when a check cannot start (no xenstore, no vif). */
int ready_start(struct event_base *base, struct xstore *xs,
    const struct jc_service *c, uint32_t domid, ready_fn *done, void *arg,
    struct ready **out);
void ready_stop(struct ready *r);

#endif
