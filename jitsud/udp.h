/*
 * A UDP listener: each datagram is a query, handed to the server with
 * the client's address and the address it was sent to; answers go back
 * from that address.
 */
#ifndef JITSUD_UDP_H
#define JITSUD_UDP_H

#include <stdint.h>

#include "client.h"

struct event_base;
struct udp;

/* Takes fd (closed by udp_free). Returns 0 or -errno. */
int udp_new(struct event_base *base, int fd, jd_query_fn *fn, void *arg,
    struct udp **out);
void udp_free(struct udp *u);
/*
 * Sends msg to the client; a full socket buffer drops it, as UDP does.
 * Returns 0 or -errno. An answer given while the listener hands out the
 * queries it took in one batch is queued and goes with the others at
 * the batch's end (0; if it then fails, udp_unsent counts it).
 */
int udp_reply(const struct jd_client *c, const uint8_t *msg, size_t len);
/* Queued answers that could not be sent. */
uint64_t udp_unsent(const struct udp *u);

#endif
