/*
 * Forwarding, the decisions without the I/O: a bounded table of queries
 * on their way to a resolver. Each attempt gets a fresh random ID (and,
 * from the I/O side, a fresh socket, so a fresh source port); a response
 * counts only from the attempt's resolver, with its ID and the query's
 * question; a timeout or a SERVFAIL/REFUSED moves on to the next
 * resolver; a truncated UDP response is asked again over TCP; when all
 * tries are spent the client gets SERVFAIL. The client gets the answer
 * with its own ID, truncated to its UDP size.
 */
#ifndef JITSUD_FORWARD_H
#define JITSUD_FORWARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct fwd;

/* Random bits for IDs: the I/O side's getrandom(), a test's sequence. */
typedef uint16_t fwd_rand_fn(void *arg);

struct fwd_limits {
	unsigned int max;	/* queries in flight */
	uint64_t timeout_ms;	/* per attempt */
	unsigned int tries;	/* attempts per query, over the resolvers */
};

/* What the I/O side does next for a slot. */
enum fwd_action {
	FWD_NONE,	/* nothing: keep waiting */
	FWD_SEND,	/* (re)send msg to resolver, over tcp or UDP, on a
			 * fresh socket (close the slot's old one) */
	FWD_REPLY,	/* send msg to the slot's client; the slot is free */
};

struct fwd_event {
	enum fwd_action action;
	int slot;
	unsigned int resolver;
	bool tcp;
	const uint8_t *msg;	/* valid until the next call */
	size_t len;
};

/* resolvers: n addresses (copied). Returns NULL on allocation failure. */
struct fwd *fwd_new(const struct fwd_limits *l,
    const struct sockaddr_storage *resolvers, unsigned int n,
    fwd_rand_fn *rnd, void *rarg);
void fwd_free(struct fwd *f);

/*
 * A query to forward: tcp is the client's transport (a TCP client's query
 * goes over TCP), limit the client's UDP size. Returns FWD_SEND with the
 * slot, or -ENOSPC (table full) / -EINVAL (not a query we forward).
 */
int fwd_start(struct fwd *f, const uint8_t *q, size_t len, bool tcp,
    size_t limit, uint64_t now_ms, struct fwd_event *ev);
/* A message on slot's socket, from address from (NULL: a connected TCP
 * socket's peer, the resolver by construction). */
void fwd_response(struct fwd *f, int slot, const struct sockaddr *from,
    socklen_t fromlen, const uint8_t *r, size_t len, uint64_t now_ms,
    struct fwd_event *ev);
/* The slot's socket failed (refused, reset, closed): as a timeout. */
void fwd_failed(struct fwd *f, int slot, uint64_t now_ms,
    struct fwd_event *ev);
/* One slot whose attempt timed out, if any: ev->action FWD_NONE if none. */
void fwd_expire(struct fwd *f, uint64_t now_ms, struct fwd_event *ev);
/* The earliest deadline, or UINT64_MAX when nothing is pending. */
uint64_t fwd_next_deadline(const struct fwd *f);
unsigned int fwd_pending(const struct fwd *f);

#endif
