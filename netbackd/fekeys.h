/*
 * What a frontend wrote for its vif, read through a key getter so that
 * the layout rules (netif.h) are tested on a table in memory. One queue
 * keeps the toplevel ring refs and event channels; two or more put
 * them under queue-<N>/ and must not exceed the multi-queue-max-queues
 * we offered. The refusal reasons are for the log.
 */
#ifndef NETBACKD_FEKEYS_H
#define NETBACKD_FEKEYS_H

#include <stdint.h>

#include "queue.h"

/* A frontend key: 0, -ENOENT when absent, -ERANGE above max, ... */
typedef int fekeys_get(void *arg, const char *key, uint64_t max,
		       uint64_t *out);

/*
 * Fills k[0] .. k[*nq - 1] (the features copied into each) for a
 * frontend offered max_queues queues; returns NULL, or why it is
 * refused.
 */
const char *fekeys_read(fekeys_get *get, void *arg, unsigned max_queues,
			struct queue_keys *k, unsigned *nq);

#endif
