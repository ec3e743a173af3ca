/*
 * TCP output: segments, RSTs for segments without a connection, the
 * sending of queued data within the peer's window, and retransmission.
 * We send no options but MSS on SYN-ACK, so the peer uses neither window
 * scaling nor timestamps nor SACK (RFC 7323 2.2, RFC 2018).
 */
#include <string.h>

#include "cksum.h"
#include "stack.h"
#include "wire.h"

static void
tcp_fill(struct net *n, uint32_t rip, uint16_t sport, uint16_t dport,
	 uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
	 const uint8_t *data, size_t len, uint64_t now)
{
	uint8_t *t = ip_payload(n);
	size_t hl = TCP_HLEN;

	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, seq);
	put32(t + 8, (flags & TCP_ACK) ? ack : 0);
	put16(t + 14, wnd);
	put16(t + 16, 0);
	put16(t + 18, 0);
	if (flags & TCP_SYN) {
		t[20] = TCP_OPT_MSS;
		t[21] = 4;
		put16(t + 22, TCP_MSS_MAX);
		hl += 4;
	}
	t[12] = (uint8_t)(hl / 4 << 4);
	t[13] = flags;
	if (len)
		memcpy(t + hl, data, len);
	put16(t + 16, cksum_fold(cksum_add(cksum_pseudo(n->cfg.ip, rip,
		IP_PROTO_TCP, hl + len), t, hl + len)));
	(void)ip_send(n, rip, IP_PROTO_TCP, hl + len, now);
}

int
tcp_send(struct net *n, const struct net_tcp_conn *c, uint32_t seq,
	 uint8_t flags, const uint8_t *data, size_t len, uint64_t now)
{
	tcp_fill(n, c->rip, TCP_PORT, c->rport, seq, c->rcv_nxt, flags,
		 (uint16_t)tcp_rcv_wnd(c), data, len, now);
	return 0;
}

void
tcp_send_rst(struct net *n, const struct ip_rx *ip, uint16_t sport,
	     uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
	     size_t seglen, uint64_t now)
{
	n->stats.tcp_rst_out++;
	if (flags & TCP_ACK)
		tcp_fill(n, ip->src, dport, sport, ack, 0, TCP_RST, 0, NULL, 0,
			 now);
	else
		tcp_fill(n, ip->src, dport, sport, 0, seq + (uint32_t)seglen,
			 TCP_RST | TCP_ACK, 0, NULL, 0, now);
}

void
tcp_arm(struct net_tcp_conn *c, uint64_t now)
{
	if (c->rto_at == 0)
		c->rto_at = now + c->rto_ns;
}

void
tcp_output(struct net *n, struct net_tcp_conn *c, uint64_t now)
{
	if (c->state != TCP_ESTABLISHED && c->state != TCP_CLOSE_WAIT)
		return;
	for (;;) {
		uint32_t off = c->snd_nxt - c->snd_una;
		uint32_t wnd = c->snd_wnd, len;
		int fin;

		/* a zero window is probed with one byte (RFC 9293 3.8.6.1) */
		if (wnd == 0 && off == 0)
			wnd = 1;
		len = c->tx_len - off;
		if (len > c->mss)
			len = c->mss;
		if (len > (wnd > off ? wnd - off : 0))
			len = wnd > off ? wnd - off : 0;
		fin = c->fin_queued && off + len == c->tx_len;
		if (len == 0 && !fin)
			return;
		tcp_send(n, c, c->snd_nxt, (uint8_t)(TCP_ACK |
			 (len ? TCP_PSH : 0) | (fin ? TCP_FIN : 0)),
			 c->tx + off, len, now);
		c->snd_nxt += len + (uint32_t)fin;
		tcp_arm(c, now);
		if (fin) {
			c->state = c->state == TCP_ESTABLISHED ?
			    TCP_FIN_WAIT_1 : TCP_LAST_ACK;
			return;
		}
	}
}

/* Whether our FIN has been sent and not yet acknowledged. */
static int
fin_in_flight(const struct net_tcp_conn *c)
{
	return c->state == TCP_FIN_WAIT_1 || c->state == TCP_CLOSING ||
	    c->state == TCP_LAST_ACK;
}

void
tcp_retransmit(struct net *n, struct net_tcp_conn *c, uint64_t now)
{
	uint32_t flight = c->snd_nxt - c->snd_una, len;
	int fin = fin_in_flight(c);

	n->stats.tcp_retransmit++;
	if (c->state == TCP_SYN_RCVD) {
		tcp_send(n, c, c->iss, TCP_SYN | TCP_ACK, NULL, 0, now);
		return;
	}
	len = flight - (uint32_t)fin;
	if (len > c->mss) {
		len = c->mss;
		fin = 0;
	}
	tcp_send(n, c, c->snd_una, (uint8_t)(TCP_ACK | (len ? TCP_PSH : 0) |
		 (fin ? TCP_FIN : 0)), c->tx, len, now);
}
