/*
 * Forwarding's I/O: forward.c decides, this sends. Each attempt has its
 * own socket (so its own random source port, and a connected UDP socket
 * that the kernel filters by the resolver's address), UDP or TCP, and
 * one timer serves every pending query.
 */
#ifndef JITSUD_FWDIO_H
#define JITSUD_FWDIO_H

#include <stdint.h>

#include "client.h"
#include "settings.h"

struct event_base;
struct fwdio;

/* An answer for a client (SERVFAIL when the resolvers failed). */
typedef void fwdio_reply_fn(void *arg, const struct jd_client *c,
    const uint8_t *msg, size_t len);

struct fwdio_counts {
	/* servfail: the resolvers' or ours when all tries failed */
	uint64_t forwarded, answered, servfail, full, retries;
};

/* Resolvers without a port use 53. Returns 0 or -errno. */
int fwdio_new(struct event_base *base, const struct jc_addr *resolvers,
    unsigned int n, unsigned int max, uint64_t timeout_ms,
    fwdio_reply_fn *fn, void *arg, struct fwdio **out);
void fwdio_free(struct fwdio *w);
/* Forwards q for client c (limit: its UDP size). Returns 0, or -ENOSPC
 * when too many are in flight, -EINVAL for a query not to forward. */
int fwdio_forward(struct fwdio *w, const uint8_t *q, size_t len,
    const struct jd_client *c, size_t limit);
const struct fwdio_counts *fwdio_counts(const struct fwdio *w);

#endif
