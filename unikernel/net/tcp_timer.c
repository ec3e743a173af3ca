/*
 * TCP timers, run from net_poll(): retransmission with exponential
 * backoff (RFC 6298 5.5), giving up after a bounded number of tries, and
 * the end of TIME_WAIT and of idle connections (nothing in flight, no
 * word from the peer), so that no peer holds a slot for longer than a
 * known time.
 */
#include "stack.h"

#define TCP_RTO_MAX_NS (16ull * 1000000000ull)
#define TCP_SYN_RETRIES 3	/* SYN-ACK sent 4 times over 15 s */
#define TCP_RETRIES 6		/* data: about a minute */

static void
expire(struct net *n, struct net_tcp_conn *c, uint64_t now)
{
	if (c->state != TCP_TIME_WAIT) {
		n->stats.tcp_timeout++;
		n->stats.tcp_rst_out++;
		tcp_send(n, c, c->snd_nxt, TCP_RST | TCP_ACK, NULL, 0, now);
	}
	tcp_free(n, c);
}

static uint64_t
min_time(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t
tcp_poll(struct net *n, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (unsigned i = 0; i < NET_TCP_CONNS; i++) {
		struct net_tcp_conn *c = &n->tcp[i];

		if (c->state == TCP_FREE)
			continue;
		/* data in flight has its own limit: the retries */
		if (c->rto_at == 0 && now >= c->expire_at) {
			expire(n, c, now);
			continue;
		}
		if (c->rto_at && now >= c->rto_at) {
			if (c->retries >= (c->state == TCP_SYN_RCVD ?
					   TCP_SYN_RETRIES : TCP_RETRIES)) {
				expire(n, c, now);
				continue;
			}
			c->retries++;
			c->rto_ns = min_time(c->rto_ns * 2, TCP_RTO_MAX_NS);
			c->rto_at = now + c->rto_ns;
			tcp_retransmit(n, c, now);
		}
		next = min_time(next, c->rto_at ? c->rto_at : c->expire_at);
	}
	return next;
}
