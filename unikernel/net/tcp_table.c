/*
 * The connection table: NET_TCP_CONNS slots, found by the peer's address
 * and port (our side is always port 80). When every slot is busy a new
 * connection takes the TIME_WAIT slot that ends soonest; with none, the
 * SYN is dropped and the peer's retry may find room.
 */
#include <string.h>

#include "siphash.h"
#include "stack.h"
#include "wire.h"

struct net_tcp_conn *
tcp_find(struct net *n, uint32_t rip, uint16_t rport)
{
	for (unsigned i = 0; i < NET_TCP_CONNS; i++) {
		struct net_tcp_conn *c = &n->tcp[i];

		if (c->state != TCP_FREE && c->rip == rip && c->rport == rport)
			return c;
	}
	return NULL;
}

struct net_tcp_conn *
tcp_alloc(struct net *n)
{
	struct net_tcp_conn *c = NULL;

	for (unsigned i = 0; i < NET_TCP_CONNS && !c; i++)
		if (n->tcp[i].state == TCP_FREE)
			c = &n->tcp[i];
	for (unsigned i = 0; i < NET_TCP_CONNS && !c; i++) {
		struct net_tcp_conn *t = &n->tcp[i];

		if (t->state == TCP_TIME_WAIT &&
		    (!c || t->expire_at < c->expire_at))
			c = t;
	}
	if (!c)
		return NULL;
	/* the buffers need no clearing: rx_len and tx_len bound them */
	memset(c, 0, offsetof(struct net_tcp_conn, rx));
	c->rto_ns = TCP_RTO_INIT_NS;
	return c;
}

void
tcp_free(struct net *n, struct net_tcp_conn *c)
{
	(void)n;
	c->state = TCP_FREE;
}

/*
 * RFC 6528: a clock that ticks every 4 us plus a keyed hash of the
 * connection's addresses, so an off-path host cannot predict it.
 */
uint32_t
tcp_isn(const struct net *n, uint32_t rip, uint16_t rport, uint64_t now)
{
	uint8_t id[12];

	put32(id, rip);
	put16(id + 4, rport);
	put16(id + 6, 80);
	put32(id + 8, n->cfg.ip);
	return (uint32_t)(now / 4000) +
	    (uint32_t)siphash24(n->cfg.secret, id, sizeof(id));
}

unsigned
net_tcp_count(const struct net *n)
{
	unsigned k = 0;

	for (unsigned i = 0; i < NET_TCP_CONNS; i++)
		k += n->tcp[i].state != TCP_FREE;
	return k;
}
