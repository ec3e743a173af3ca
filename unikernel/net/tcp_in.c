/*
 * TCP input (RFC 9293 3.10.7), for a server that only listens on port 80,
 * reads one request and closes after its response. Every field is checked
 * before use: lengths, data offset, options, checksum, flag combinations,
 * then the sequence number against our window and the acknowledgment
 * against what we sent. RST and SYN on a connection follow RFC 5961: only
 * an exact RST resets, anything else in the window gets a challenge ACK.
 */
#include <string.h>

#include "cksum.h"
#include "http.h"
#include "stack.h"
#include "wire.h"

#define TCP_IDLE_NS (30ull * 1000000000ull)	/* a silent peer's slot */
#define TCP_TIME_WAIT_NS (10ull * 1000000000ull)

/* A validated segment. */
struct seg {
	uint16_t sport, dport, wnd, mss;
	uint32_t seq, ack;
	uint8_t flags;
	const uint8_t *data;
	size_t len;		/* data bytes */
	size_t seglen;		/* data + SYN + FIN: the sequence space */
};

/* Options: well-formed TLVs inside the header; MSS is all we use. */
static int
parse_options(const uint8_t *o, size_t len, struct seg *s)
{
	s->mss = 0;
	for (size_t i = 0; i < len;) {
		if (o[i] == TCP_OPT_END)
			break;
		if (o[i] == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2 || o[i + 1] < 2 || o[i + 1] > len - i)
			return -1;
		if (o[i] == TCP_OPT_MSS) {
			if (o[i + 1] != 4)
				return -1;
			s->mss = get16(o + i + 2);
		}
		i += o[i + 1];
	}
	return 0;
}

static int
parse(struct net *n, const struct ip_rx *ip, struct seg *s)
{
	const uint8_t *t = ip->data;
	size_t hl;

	if (ip->len < TCP_HLEN) {
		n->stats.drop[NET_DROP_TCP]++;
		return -1;
	}
	hl = (size_t)(t[12] >> 4) * 4;
	s->sport = get16(t);
	s->dport = get16(t + 2);
	if (hl < TCP_HLEN || hl > ip->len || s->sport == 0 || s->dport == 0 ||
	    parse_options(t + TCP_HLEN, hl - TCP_HLEN, s) < 0) {
		n->stats.drop[NET_DROP_TCP]++;
		return -1;
	}
	if (cksum_fold(cksum_add(cksum_pseudo(ip->src, ip->dst, IP_PROTO_TCP,
					      ip->len), t, ip->len)) != 0) {
		n->stats.drop[NET_DROP_TCP_CKSUM]++;
		return -1;
	}
	s->seq = get32(t + 4);
	s->ack = get32(t + 8);
	/* ECN bits are ignored: we never negotiated ECN */
	s->flags = t[13] & 0x3f;
	s->wnd = get16(t + 14);
	s->data = t + hl;
	s->len = ip->len - hl;
	/*
	 * SYN with FIN or RST is no valid segment; neither is one with
	 * none of SYN, RST, ACK (null, FIN-only, "xmas" scans).
	 */
	if (((s->flags & TCP_SYN) && (s->flags & (TCP_FIN | TCP_RST))) ||
	    !(s->flags & (TCP_SYN | TCP_RST | TCP_ACK))) {
		n->stats.drop[NET_DROP_TCP_FLAGS]++;
		return -1;
	}
	s->seglen = s->len + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN);
	return 0;
}

static void
ack_now(struct net *n, struct net_tcp_conn *c, uint64_t now)
{
	tcp_send(n, c, c->snd_nxt, TCP_ACK, NULL, 0, now);
}

static void
challenge_ack(struct net *n, struct net_tcp_conn *c, uint64_t now)
{
	n->stats.tcp_challenge_ack++;
	ack_now(n, c, now);
}

/* A segment for no connection: port 80 listens, the rest is closed. */
static void
no_conn(struct net *n, const struct ip_rx *ip, const struct seg *s,
	uint64_t now)
{
	struct net_tcp_conn *c;

	if (s->flags & TCP_RST) {
		n->stats.drop[NET_DROP_TCP_STATE]++;
		return;
	}
	if (s->dport != TCP_PORT || (s->flags & TCP_ACK)) {
		tcp_send_rst(n, ip, s->sport, s->dport, s->seq, s->ack,
			     s->flags, s->seglen, now);
		return;
	}
	if (!(s->flags & TCP_SYN)) {
		n->stats.drop[NET_DROP_TCP_FLAGS]++;
		return;
	}
	c = tcp_alloc(n);
	if (!c) {
		n->stats.drop[NET_DROP_TCP_FULL]++;
		return;
	}
	c->state = TCP_SYN_RCVD;
	c->rip = ip->src;
	c->rport = s->sport;
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;	/* data on a SYN is not taken */
	c->iss = tcp_isn(n, ip->src, s->sport, now);
	c->snd_una = c->iss;
	c->snd_nxt = c->iss + 1;
	c->snd_wnd = s->wnd;
	c->mss = s->mss ? s->mss : TCP_DEFAULT_MSS;
	if (c->mss > TCP_MSS_MAX)
		c->mss = TCP_MSS_MAX;
	if (c->mss < TCP_MSS_MIN)
		c->mss = TCP_MSS_MIN;
	c->expire_at = now + TCP_IDLE_NS;
	tcp_send(n, c, c->iss, TCP_SYN | TCP_ACK, NULL, 0, now);
	tcp_arm(c, now);
}

/* RFC 9293 3.10.7.4's acceptability test against our receive window. */
static int
seq_ok(const struct net_tcp_conn *c, const struct seg *s)
{
	uint32_t wnd = tcp_rcv_wnd(c);
	uint32_t last = s->seq + (uint32_t)s->seglen - 1;

	if (s->seglen == 0)
		return wnd == 0 ? s->seq == c->rcv_nxt :
		    s->seq - c->rcv_nxt < wnd;
	if (wnd == 0)
		return 0;
	return s->seq - c->rcv_nxt < wnd || last - c->rcv_nxt < wnd;
}

/*
 * The ACK field. Returns -1 when the segment is done with (dropped or
 * the connection closed), else 0.
 */
static int
do_ack(struct net *n, struct net_tcp_conn *c, const struct ip_rx *ip,
       const struct seg *s, uint64_t now)
{
	uint32_t acked;
	int fin_acked;

	if (c->state == TCP_SYN_RCVD) {
		if (!seq_lt(c->snd_una, s->ack) || seq_lt(c->snd_nxt, s->ack)) {
			n->stats.drop[NET_DROP_TCP_ACK]++;
			tcp_send_rst(n, ip, s->sport, s->dport, s->seq, s->ack,
				     s->flags, s->seglen, now);
			return -1;
		}
		c->state = TCP_ESTABLISHED;
		c->snd_una = s->ack;
		c->snd_wnd = s->wnd;
		c->rto_at = 0;
		c->retries = 0;
		n->stats.tcp_accepted++;
		return 0;
	}
	/* beyond what we sent, or older than any window we could have had */
	if (seq_lt(c->snd_nxt, s->ack) ||
	    seq_lt(s->ack, c->snd_una - 65535u)) {
		n->stats.drop[NET_DROP_TCP_ACK]++;
		ack_now(n, c, now);
		return -1;
	}
	if (seq_lt(s->ack, c->snd_una))
		return 0;		/* a duplicate: the data may be new */
	c->snd_wnd = s->wnd;
	if (s->ack == c->snd_una)
		return 0;
	acked = s->ack - c->snd_una;
	fin_acked = (c->state == TCP_FIN_WAIT_1 || c->state == TCP_CLOSING ||
		     c->state == TCP_LAST_ACK) && s->ack == c->snd_nxt;
	acked -= (uint32_t)fin_acked;
	memmove(c->tx, c->tx + acked, c->tx_len - acked);
	c->tx_len = (uint16_t)(c->tx_len - acked);
	c->snd_una = s->ack;
	c->retries = 0;
	c->rto_ns = TCP_RTO_INIT_NS;
	c->rto_at = c->snd_una == c->snd_nxt ? 0 : now + c->rto_ns;
	if (!fin_acked)
		return 0;
	switch (c->state) {
	case TCP_FIN_WAIT_1:
		c->state = TCP_FIN_WAIT_2;
		break;
	case TCP_CLOSING:
		c->state = TCP_TIME_WAIT;
		c->expire_at = now + TCP_TIME_WAIT_NS;
		break;
	default:		/* LAST_ACK: done */
		tcp_free(n, c);
		return -1;
	}
	return 0;
}

/* Takes in-order data and the FIN; returns whether to acknowledge. */
static int
do_data(struct net *n, struct net_tcp_conn *c, const struct seg *s,
	uint64_t now, int *got_fin)
{
	const uint8_t *d = s->data;
	uint32_t seq = s->seq, len = (uint32_t)s->len, take;
	int reading = c->state == TCP_ESTABLISHED ||
	    c->state == TCP_FIN_WAIT_1 || c->state == TCP_FIN_WAIT_2;

	if (s->seglen == 0)
		return 0;
	if (!reading)			/* after the peer's FIN: nothing new */
		return 1;
	if (seq_lt(seq, c->rcv_nxt)) {	/* cut what we already have */
		uint32_t skip = c->rcv_nxt - seq;

		if (skip > len)
			skip = len;
		d += skip;
		len -= skip;
		seq += skip;
	}
	if (seq != c->rcv_nxt)		/* out of order: not kept */
		return 1;
	take = len;
	if (!c->responded) {
		uint32_t room = NET_TCP_RXBUF - (uint32_t)c->rx_len;

		if (take > room)
			take = room;
		memcpy(c->rx + c->rx_len, d, take);
		c->rx_len = (uint16_t)(c->rx_len + take);
	}
	c->rcv_nxt += take;
	if (take == len && (s->flags & TCP_FIN)) {
		c->rcv_nxt++;
		*got_fin = 1;
		switch (c->state) {
		case TCP_ESTABLISHED:
			c->state = TCP_CLOSE_WAIT;
			break;
		case TCP_FIN_WAIT_1:
			c->state = TCP_CLOSING;
			break;
		default:
			c->state = TCP_TIME_WAIT;
			c->expire_at = now + TCP_TIME_WAIT_NS;
			break;
		}
	}
	return 1;
}

/* Answers the request once it is complete (or can no longer be). */
static void
serve(struct net *n, struct net_tcp_conn *c, int got_fin, uint64_t now)
{
	/* a caller's boot time after now would read as centuries */
	struct http_page pg = {
		n->name, now > n->cfg.boot_ns ? now - n->cfg.boot_ns : 0,
	};
	size_t r;

	if (c->responded ||
	    (c->state != TCP_ESTABLISHED && c->state != TCP_CLOSE_WAIT))
		return;
	/* a peer that closes without a word gets none */
	if (got_fin && c->rx_len == 0) {
		c->responded = 1;
		c->fin_queued = 1;
		return;
	}
	r = http_respond(c->rx, c->rx_len,
			 got_fin || c->rx_len == NET_TCP_RXBUF, &pg, c->tx,
			 NET_TCP_TXBUF);
	if (r == 0)
		return;
	c->responded = 1;
	c->tx_len = (uint16_t)r;
	c->fin_queued = 1;
	n->stats.http_responses++;
}

static void
conn_input(struct net *n, struct net_tcp_conn *c, const struct ip_rx *ip,
	   const struct seg *s, uint64_t now)
{
	uint32_t nxt0;
	int need_ack, got_fin = 0;

	if (s->flags & TCP_SYN) {
		if (c->state == TCP_SYN_RCVD && s->seq == c->irs &&
		    !(s->flags & TCP_ACK)) {
			tcp_retransmit(n, c, now);	/* our SYN-ACK was lost */
		} else if (c->state == TCP_TIME_WAIT &&
			   !(s->flags & TCP_ACK) && seq_lt(c->rcv_nxt, s->seq)) {
			tcp_free(n, c);		/* a new connection (RFC 6191) */
			no_conn(n, ip, s, now);
		} else {
			challenge_ack(n, c, now);
		}
		return;
	}
	if (!seq_ok(c, s)) {
		n->stats.drop[NET_DROP_TCP_SEQ]++;
		if (!(s->flags & TCP_RST))
			ack_now(n, c, now);
		return;
	}
	if (s->flags & TCP_RST) {
		if (s->seq == c->rcv_nxt) {
			n->stats.tcp_rst_in++;
			tcp_free(n, c);
		} else {
			challenge_ack(n, c, now);
		}
		return;
	}
	if (do_ack(n, c, ip, s, now) < 0)
		return;
	if (c->state != TCP_TIME_WAIT)
		c->expire_at = now + TCP_IDLE_NS;
	need_ack = do_data(n, c, s, now, &got_fin);
	serve(n, c, got_fin, now);
	nxt0 = c->snd_nxt;
	tcp_output(n, c, now);
	/* the data we sent carried the acknowledgment */
	if (need_ack && c->snd_nxt == nxt0)
		ack_now(n, c, now);
}

void
tcp_input(struct net *n, const struct ip_rx *ip, uint64_t now)
{
	struct net_tcp_conn *c = NULL;
	struct seg s;

	if (parse(n, ip, &s) < 0)
		return;
	if (s.dport == TCP_PORT)
		c = tcp_find(n, ip->src, s.sport);
	if (c)
		conn_input(n, c, ip, &s, now);
	else
		no_conn(n, ip, &s, now);
}
