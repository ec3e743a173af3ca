/*
 * A DNS client to answer: over UDP, its address and the one it wrote to
 * (so that a wildcard listener answers from that address); over TCP, its
 * connection, named by slot and generation so that an answer that comes
 * after the connection closed (a forwarded one) finds nothing and goes.
 */
#ifndef JITSUD_CLIENT_H
#define JITSUD_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

struct jd_client {
	bool tcp;
	/* UDP */
	int fd;
	struct sockaddr_storage peer;
	socklen_t peerlen;
	int ifindex;		/* the query's interface and destination */
	bool has_dst;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} dst;
	/* TCP */
	uint32_t conn, gen;
};

/* A query from a listener: the server answers it, at once or later. */
typedef void jd_query_fn(void *arg, const uint8_t *q, size_t len,
    const struct jd_client *c);

#endif
