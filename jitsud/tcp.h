/*
 * DNS over TCP (RFC 7766): each message with its 2-byte length; several
 * queries per connection, pipelined, answered in the order their answers
 * are ready. Everything a client drives is bounded: the connections
 * (tcp-max; past it the listeners pause and the kernel's backlog waits),
 * the queries in flight per connection (tcp-pipeline; past it the
 * connection is not read), the bytes queued to a client that does not
 * read (then it is not read either), and the time a connection idles.
 */
#ifndef JITSUD_TCP_H
#define JITSUD_TCP_H

#include <stdint.h>

#include "client.h"

struct event_base;
struct tcp;

struct tcp_limits {
	unsigned int max_conns;
	unsigned int pipeline;
	uint64_t idle_ms;
};

struct tcp_counts {
	uint64_t accepted, closed_idle, paused;
};

int tcp_new(struct event_base *base, const struct tcp_limits *l,
    jd_query_fn *fn, void *arg, struct tcp **out);
/* Takes listening socket fd (closed by tcp_free). Returns 0 or -errno. */
int tcp_listen(struct tcp *t, int fd);
void tcp_free(struct tcp *t);
/*
 * Ends one query of the client's: sends msg (len 0: nothing, a dropped
 * query). Every query handed to the server ends this way, once. A client
 * whose connection has gone is ignored.
 */
void tcp_reply(struct tcp *t, const struct jd_client *c, const uint8_t *msg,
    size_t len);
unsigned int tcp_conns(const struct tcp *t);
const struct tcp_counts *tcp_counts(const struct tcp *t);

#endif
