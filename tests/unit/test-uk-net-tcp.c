/*
 * The stack's TCP, driven as a client on the link would: the handshake,
 * a request and its page, segmentation and the peer's window,
 * retransmission on the clock the test moves, closing in each order, RST
 * both ways (RFC 5961's exact match and challenge ACKs), the segments
 * refused field by field, several connections at once and a full table.
 */
#include "config.h"

#include <stdio.h>

#include "uk-net-peer.h"

#define GET "GET / HTTP/1.0\r\n\r\n"
#define MSS(v) (const uint8_t[4]){ TCP_OPT_MSS, 4, (v) >> 8, (v) & 0xff }

static const struct net_tcp_conn *
conn(const struct peer *p, uint16_t port)
{
	for (unsigned i = 0; i < NET_TCP_CONNS; i++)
		if (p->net.tcp[i].state != TCP_FREE &&
		    p->net.tcp[i].rport == port)
			return &p->net.tcp[i];
	return NULL;
}

static int
state(const struct peer *p, uint16_t port)
{
	const struct net_tcp_conn *c = conn(p, port);

	return c ? c->state : TCP_FREE;
}

/* The sequence space a segment from the stack takes. */
static uint32_t
seg_end(const struct out *o)
{
	return o->seq + (uint32_t)o->dlen + !!(o->flags & TCP_SYN) +
	    !!(o->flags & TCP_FIN);
}

/* Opens a connection with the given MSS and window; checks the SYN-ACK. */
static int
open_with(struct peer *p, struct cli *c, uint16_t port, uint16_t mss,
	  uint16_t wnd)
{
	uint8_t f[128];

	c->port = port;
	c->snd = 7000u * port;
	feed(p, f, mk_tcp_opt(f, port, 80, c->snd, 0, TCP_SYN, wnd, NULL, 0,
			      MSS(mss), 4));
	if (p->nout != 1)
		return -1;
	c->snd++;
	c->rcv = p->out[0].seq + 1;
	feed(p, f, mk_tcp_opt(f, port, 80, c->snd, c->rcv, TCP_ACK, wnd, NULL,
			      0, NULL, 0));
	return p->nout == 0 && state(p, port) == TCP_ESTABLISHED ? 0 : -1;
}

/* Acknowledges everything the stack sent (and in order) so far. */
static void
ack_all(struct peer *p, struct cli *c, uint16_t wnd)
{
	uint8_t f[128];

	for (unsigned i = 0; i < p->nout; i++)
		if (p->out[i].seq == c->rcv)
			c->rcv = seg_end(&p->out[i]);
	feed(p, f, mk_tcp_opt(f, c->port, 80, c->snd, c->rcv, TCP_ACK, wnd,
			      NULL, 0, NULL, 0));
}

static void
test_handshake(void)
{
	struct peer p;
	uint8_t f[128];
	const struct out *o = &p.out[0];
	struct cli a, b;

	peer_init(&p);
	feed(&p, f, mk_tcp_opt(f, 40000, 80, 5000, 0, TCP_SYN, 65535, NULL, 0,
			       MSS(1460), 4));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_SYN | TCP_ACK);
	CHECK_EQ(o->sport, 80);
	CHECK_EQ(o->dport, 40000);
	CHECK_EQ(o->ack, 5001);
	CHECK_EQ(o->mss, 1460);
	CHECK_EQ(o->wnd, NET_TCP_RXBUF);
	CHECK_EQ(o->dlen, 0);
	CHECK_EQ(state(&p, 40000), TCP_SYN_RCVD);
	CHECK_EQ(p.net.stats.tcp_accepted, 0);
	feed(&p, f, mk_tcp(f, 40000, 5001, o->seq + 1, TCP_ACK, NULL, 0));
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(state(&p, 40000), TCP_ESTABLISHED);
	CHECK_EQ(p.net.stats.tcp_accepted, 1);

	/* the ISN depends on the peer's port (RFC 6528), keyed */
	CHECK_EQ(cli_open(&p, &a, 40001), 0);
	CHECK_EQ(cli_open(&p, &b, 40002), 0);
	CHECK(a.rcv - b.rcv > 1000 && b.rcv - a.rcv > 1000);
	CHECK_EQ(net_tcp_count(&p.net), 3);

	/* a SYN without MSS means 536 (RFC 9293 3.7.1) */
	feed(&p, f, mk_tcp(f, 40003, 1, 0, TCP_SYN, NULL, 0));
	CHECK_EQ(conn(&p, 40003)->mss, 536);
	/* an absurd one is bounded both ways */
	feed(&p, f, mk_tcp_opt(f, 40004, 80, 1, 0, TCP_SYN, 65535, NULL, 0,
			       MSS(1), 4));
	CHECK_EQ(conn(&p, 40004)->mss, 64);
	feed(&p, f, mk_tcp_opt(f, 40005, 80, 1, 0, TCP_SYN, 65535, NULL, 0,
			       MSS(65535), 4));
	CHECK_EQ(conn(&p, 40005)->mss, 1460);

	/* our SYN-ACK lost: the peer's SYN again gets it again */
	feed(&p, f, mk_tcp(f, 40003, 1, 0, TCP_SYN, NULL, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_SYN | TCP_ACK);
	CHECK_EQ(o->seq, conn(&p, 40003)->iss);
	/* a wrong ACK in SYN-RECEIVED: RST <SEQ=SEG.ACK>, still waiting */
	feed(&p, f, mk_tcp(f, 40003, 2, 12345, TCP_ACK, NULL, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_RST);
	CHECK_EQ(o->seq, 12345);
	CHECK_EQ(state(&p, 40003), TCP_SYN_RCVD);
}

/* The request and the page, the close, TIME_WAIT's end. */
static void
test_get(void)
{
	struct peer p;
	struct cli c;
	const struct out *o = &p.out[0];
	char body[2048];
	uint64_t next;

	peer_init(&p);
	CHECK_EQ(cli_open(&p, &c, 40000), 0);
	p.now += SEC / 4;
	cli_send(&p, &c, TCP_ACK | TCP_PSH, "GET / HT");
	CHECK_EQ(p.nout, 1);			/* an ACK, nothing to say yet */
	CHECK_EQ(o->flags, TCP_ACK);
	CHECK_EQ(o->ack, c.snd);
	CHECK_EQ(o->wnd, NET_TCP_RXBUF - 8);
	cli_send(&p, &c, TCP_ACK | TCP_PSH, "TP/1.0\r\n\r\n");
	CHECK_EQ(p.nout, 1);			/* the page, with FIN */
	CHECK_EQ(o->flags, TCP_ACK | TCP_PSH | TCP_FIN);
	CHECK_EQ(o->seq, c.rcv);
	CHECK_EQ(o->ack, c.snd);
	CHECK(o->dlen > 100 && o->dlen < sizeof(body));
	memcpy(body, o->data, o->dlen);
	body[o->dlen] = '\0';
	CHECK(strncmp(body, "HTTP/1.1 200 OK\r\n", 17) == 0);
	CHECK(strstr(body, "<h1>uk-httpd</h1>") != NULL);
	CHECK(strstr(body, "up for 95.250 s.") != NULL);	/* now - boot */
	CHECK(strstr(body, "Connection: close\r\n") != NULL);
	CHECK_EQ(state(&p, 40000), TCP_FIN_WAIT_1);
	CHECK_EQ(p.net.stats.http_responses, 1);

	ack_all(&p, &c, 65535);
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(state(&p, 40000), TCP_FIN_WAIT_2);
	cli_send(&p, &c, TCP_ACK | TCP_FIN, NULL);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_ACK);
	CHECK_EQ(o->ack, c.snd);
	CHECK_EQ(state(&p, 40000), TCP_TIME_WAIT);
	/* our ACK lost: the FIN again is acknowledged again */
	c.snd--;
	cli_send(&p, &c, TCP_ACK | TCP_FIN, NULL);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->ack, c.snd);
	next = tick(&p, 0);
	CHECK(next > p.now && next <= p.now + 10 * SEC);
	tick(&p, next - p.now);
	CHECK_EQ(p.nout, 0);			/* TIME_WAIT ends quietly */
	CHECK_EQ(net_tcp_count(&p.net), 0);
	CHECK_EQ(tick(&p, 0), UINT64_MAX);
}

/* The peer closes first, with its request. */
static void
test_peer_closes(void)
{
	struct peer p;
	struct cli c;
	const struct out *o = &p.out[0];

	peer_init(&p);
	CHECK_EQ(cli_open(&p, &c, 40000), 0);
	cli_send(&p, &c, TCP_ACK | TCP_PSH | TCP_FIN, GET);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_ACK | TCP_PSH | TCP_FIN);
	CHECK_EQ(o->ack, c.snd);		/* the FIN is counted */
	CHECK_EQ(state(&p, 40000), TCP_LAST_ACK);
	ack_all(&p, &c, 65535);
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(net_tcp_count(&p.net), 0);

	/* a peer that closes without a word: FIN back, no response */
	CHECK_EQ(cli_open(&p, &c, 40001), 0);
	cli_send(&p, &c, TCP_ACK | TCP_FIN, NULL);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_ACK | TCP_FIN);
	CHECK_EQ(o->dlen, 0);
	CHECK_EQ(p.net.stats.http_responses, 1);
	ack_all(&p, &c, 65535);
	CHECK_EQ(net_tcp_count(&p.net), 0);

	/* an incomplete request then FIN: 400 */
	CHECK_EQ(cli_open(&p, &c, 40002), 0);
	cli_send(&p, &c, TCP_ACK | TCP_FIN, "GET / HTTP/1.0\r\n");
	CHECK_EQ(p.nout, 1);
	CHECK(o->dlen > 12 && memcmp(o->data, "HTTP/1.1 400", 12) == 0);
}

/* The handshake's last ACK lost: the request that carries it does. */
static void
test_request_completes_handshake(void)
{
	struct peer p;
	struct cli c = { 40000, 9000, 0 };
	uint8_t f[128];

	peer_init(&p);
	feed(&p, f, mk_tcp(f, 40000, c.snd, 0, TCP_SYN, NULL, 0));
	CHECK_EQ(p.nout, 1);
	c.snd++;
	c.rcv = p.out[0].seq + 1;
	cli_send(&p, &c, TCP_ACK | TCP_PSH, GET);
	CHECK_EQ(p.nout, 1);
	CHECK(p.out[0].dlen > 12 &&
	      memcmp(p.out[0].data, "HTTP/1.1 200", 12) == 0);
	CHECK_EQ(p.out[0].seq, c.rcv);
	CHECK_EQ(p.net.stats.tcp_accepted, 1);
}

/* Segments of the peer's MSS, within the peer's window. */
static void
test_segments_and_window(void)
{
	struct peer p;
	struct cli c;
	char got[NET_TCP_TXBUF + 1];
	uint8_t f[128];
	uint32_t base, end = 0;
	int fin = 0;

	peer_init(&p);
	CHECK_EQ(open_with(&p, &c, 40000, 100, 150), 0);
	feed(&p, f, mk_tcp_opt(f, 40000, 80, c.snd, c.rcv, TCP_ACK | TCP_PSH,
			       150, GET, strlen(GET), NULL, 0));
	c.snd += (uint32_t)strlen(GET);
	/* 150 bytes of window: 100 + 50 */
	CHECK_EQ(p.nout, 2);
	CHECK_EQ(p.out[0].dlen, 100);
	CHECK_EQ(p.out[1].dlen, 50);
	CHECK_EQ(p.out[1].seq, p.out[0].seq + 100);
	base = p.out[0].seq;
	for (int round = 0; round < 20 && !fin; round++) {
		CHECK(p.nout > 0);
		for (unsigned i = 0; i < p.nout; i++) {
			const struct out *o = &p.out[i];
			uint32_t at = o->seq - base;

			CHECK(o->dlen <= 100);
			CHECK(at + o->dlen <= NET_TCP_TXBUF);
			if (at + o->dlen > NET_TCP_TXBUF)
				break;
			memcpy(got + at, o->data, o->dlen);
			if (at + o->dlen > end)
				end = at + (uint32_t)o->dlen;
			fin |= !!(o->flags & TCP_FIN);
		}
		ack_all(&p, &c, 150);
	}
	CHECK(fin);
	CHECK(end > 200);
	got[end] = '\0';
	CHECK(strncmp(got, "HTTP/1.1 200 OK\r\n", 17) == 0);
	CHECK(end > 8 && memcmp(got + end - 8, "</html>\n", 8) == 0);
	CHECK_EQ(state(&p, 40000), TCP_FIN_WAIT_2);
}

/* A zero window is probed one byte at a time, on the clock. */
static void
test_zero_window(void)
{
	struct peer p;
	struct cli c;
	uint8_t f[128];
	uint32_t start;

	peer_init(&p);
	CHECK_EQ(open_with(&p, &c, 40000, 1460, 0), 0);
	feed(&p, f, mk_tcp_opt(f, 40000, 80, c.snd, c.rcv, TCP_ACK | TCP_PSH,
			       0, GET, strlen(GET), NULL, 0));
	c.snd += (uint32_t)strlen(GET);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].dlen, 1);
	CHECK_EQ(p.out[0].data[0], 'H');
	start = p.out[0].seq;
	tick(&p, SEC);
	CHECK_EQ(p.nout, 1);			/* the probe again */
	CHECK_EQ(p.out[0].seq, start);
	CHECK_EQ(p.out[0].dlen, 1);
	/* the window opens: the probe byte acknowledged, the rest flows */
	c.rcv = start + 1;
	feed(&p, f, mk_tcp_opt(f, 40000, 80, c.snd, c.rcv, TCP_ACK, 65535,
			       NULL, 0, NULL, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].seq, start + 1);
	CHECK(p.out[0].flags & TCP_FIN);
	CHECK(memcmp(p.out[0].data, "TTP/1.1 200", 11) == 0);
}

/* Nothing acknowledged: the same segment again, backing off, then RST. */
static void
test_retransmit(void)
{
	struct peer p;
	struct cli c;
	struct out first;
	uint64_t next, wait = SEC;
	int sent = 0;

	peer_init(&p);
	CHECK_EQ(cli_open(&p, &c, 40000), 0);
	cli_send(&p, &c, TCP_ACK | TCP_PSH, GET);
	CHECK_EQ(p.nout, 1);
	first = p.out[0];
	first.data = first.f + (p.out[0].data - p.out[0].f);
	CHECK_EQ(tick(&p, SEC / 2), p.now + SEC / 2);
	CHECK_EQ(p.nout, 0);			/* not yet */
	for (int i = 0; i < 10 && state(&p, 40000) != TCP_FREE; i++) {
		next = tick(&p, 0);
		CHECK_EQ(next - (p.now - (i ? 0 : SEC / 2)), wait);
		tick(&p, next - p.now);
		if (state(&p, 40000) == TCP_FREE)
			break;
		sent++;
		CHECK_EQ(p.nout, 1);
		CHECK_EQ(p.out[0].seq, first.seq);
		CHECK_EQ(p.out[0].flags, first.flags);
		CHECK_EQ(p.out[0].dlen, first.dlen);
		CHECK(memcmp(p.out[0].data, first.data, first.dlen) == 0);
		wait = wait * 2 > 16 * SEC ? 16 * SEC : wait * 2;
	}
	CHECK_EQ(sent, 6);
	CHECK_EQ(p.net.stats.tcp_retransmit, 6);
	/* given up: RST, the slot free */
	CHECK_EQ(p.nout, 1);
	CHECK(p.out[0].flags & TCP_RST);
	CHECK_EQ(p.net.stats.tcp_timeout, 1);
	CHECK_EQ(net_tcp_count(&p.net), 0);

	/* a SYN-ACK never answered: 3 more, then the slot is freed */
	{
		uint8_t f[128];

		feed(&p, f, mk_tcp(f, 40001, 1, 0, TCP_SYN, NULL, 0));
		for (int i = 0; i < 3; i++) {
			tick(&p, tick(&p, 0) - p.now);
			CHECK_EQ(p.nout, 1);
			CHECK_EQ(p.out[0].flags, TCP_SYN | TCP_ACK);
		}
		tick(&p, tick(&p, 0) - p.now);
		CHECK_EQ(net_tcp_count(&p.net), 0);
	}
}

/* Only the first segment acknowledged: the retransmission starts after. */
static void
test_partial_ack(void)
{
	struct peer p;
	struct cli c;
	uint8_t f[128];
	uint32_t second;

	peer_init(&p);
	CHECK_EQ(open_with(&p, &c, 40000, 100, 65535), 0);
	cli_send(&p, &c, TCP_ACK | TCP_PSH, GET);
	CHECK(p.nout >= 3);
	second = p.out[1].seq;
	feed(&p, f, mk_tcp(f, 40000, c.snd, second, TCP_ACK, NULL, 0));
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(conn(&p, 40000)->snd_una, second);
	tick(&p, SEC);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].seq, second);
	CHECK_EQ(p.out[0].dlen, 100);
	/* an old duplicate ACK changes nothing */
	feed(&p, f, mk_tcp(f, 40000, c.snd, second - 100, TCP_ACK, NULL, 0));
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(conn(&p, 40000)->snd_una, second);
	/* an ACK of what was never sent is answered, not taken */
	feed(&p, f, mk_tcp(f, 40000, c.snd, second + 5000, TCP_ACK, NULL, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].flags, TCP_ACK);
	CHECK_EQ(drops(&p, NET_DROP_TCP_ACK), 1);
	CHECK_EQ(conn(&p, 40000)->snd_una, second);
}

static void
test_rst(void)
{
	struct peer p;
	struct cli c;
	uint8_t f[128];
	const struct out *o = &p.out[0];

	peer_init(&p);
	/* a closed port: RST|ACK acknowledging the SYN (RFC 9293 3.10.7.1) */
	feed(&p, f, mk_tcp_opt(f, 40000, 81, 777, 0, TCP_SYN, 65535, NULL, 0,
			       NULL, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_RST | TCP_ACK);
	CHECK_EQ(o->seq, 0);
	CHECK_EQ(o->ack, 778);
	CHECK_EQ(o->sport, 81);
	CHECK_EQ(o->dport, 40000);
	/* data to a closed port: the ACK covers it */
	feed(&p, f, mk_tcp_opt(f, 40000, 22, 10, 0, TCP_PSH, 65535, "abc", 3,
			       NULL, 0));
	CHECK_EQ(p.nout, 0);		/* no ACK, no SYN: invalid flags */
	feed(&p, f, mk_tcp_opt(f, 40000, 22, 10, 99, TCP_ACK, 65535, "abc", 3,
			       NULL, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_RST);	/* <SEQ=SEG.ACK> */
	CHECK_EQ(o->seq, 99);
	/* port 80 without a connection: an ACK gets RST, a RST nothing */
	feed(&p, f, mk_tcp(f, 40000, 10, 4242, TCP_ACK, NULL, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_RST);
	CHECK_EQ(o->seq, 4242);
	feed(&p, f, mk_tcp(f, 40000, 10, 4242, TCP_RST | TCP_ACK, NULL, 0));
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(p.net.stats.tcp_rst_out, 3);
	CHECK_EQ(net_tcp_count(&p.net), 0);

	/* RFC 5961: in the window but not exact: a challenge ACK */
	CHECK_EQ(cli_open(&p, &c, 40001), 0);
	feed(&p, f, mk_tcp(f, 40001, c.snd + 10, 0, TCP_RST, NULL, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_ACK);
	CHECK_EQ(o->ack, c.snd);
	CHECK_EQ(state(&p, 40001), TCP_ESTABLISHED);
	CHECK_EQ(p.net.stats.tcp_challenge_ack, 1);
	/* outside the window: dropped, not answered */
	feed(&p, f, mk_tcp(f, 40001, c.snd + 100000, 0, TCP_RST, NULL, 0));
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(drops(&p, NET_DROP_TCP_SEQ), 1);
	feed(&p, f, mk_tcp(f, 40001, c.snd - 1, 0, TCP_RST, NULL, 0));
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(state(&p, 40001), TCP_ESTABLISHED);
	/* a SYN on the connection: a challenge ACK too */
	feed(&p, f, mk_tcp(f, 40001, c.snd + 3, 0, TCP_SYN, NULL, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->flags, TCP_ACK);
	CHECK_EQ(state(&p, 40001), TCP_ESTABLISHED);
	/* exact: the connection is gone, quietly */
	feed(&p, f, mk_tcp(f, 40001, c.snd, 0, TCP_RST, NULL, 0));
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(state(&p, 40001), TCP_FREE);
	CHECK_EQ(p.net.stats.tcp_rst_in, 1);

	/* in SYN-RECEIVED, and in the middle of a response */
	feed(&p, f, mk_tcp(f, 40002, 50, 0, TCP_SYN, NULL, 0));
	feed(&p, f, mk_tcp(f, 40002, 51, 0, TCP_RST, NULL, 0));
	CHECK_EQ(state(&p, 40002), TCP_FREE);
	CHECK_EQ(open_with(&p, &c, 40003, 100, 100), 0);
	cli_send(&p, &c, TCP_ACK | TCP_PSH, GET);
	feed(&p, f, mk_tcp(f, 40003, c.snd, 0, TCP_RST, NULL, 0));
	CHECK_EQ(net_tcp_count(&p.net), 0);
	CHECK_EQ(tick(&p, 0), UINT64_MAX);	/* no timer left behind */
}

/* Segments refused field by field, each for its reason, unanswered. */
static void
test_refused(void)
{
	struct peer p;
	struct cli c;
	uint8_t f[256];
	size_t len;
	static const uint8_t bad_opts[][4] = {
		{ TCP_OPT_MSS, 3, 5, 0 },	/* MSS of the wrong length */
		{ 30, 0, 1, 1 },		/* length 0 */
		{ 30, 1, 1, 1 },		/* length 1 */
		{ TCP_OPT_NOP, 30, 6, 1 },	/* past the header */
	};
	static const uint8_t bad_flags[] = {
		TCP_SYN | TCP_FIN, TCP_SYN | TCP_RST, 0, TCP_FIN,
		TCP_FIN | TCP_PSH | TCP_URG, TCP_PSH,
	};

	peer_init(&p);
	CHECK_EQ(cli_open(&p, &c, 40000), 0);
	len = mk_tcp(f, 40000, c.snd, c.rcv, TCP_ACK | TCP_PSH, GET,
		     strlen(GET));
	L4(f)[25] ^= 0x20;			/* "GeT" */
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_TCP_CKSUM), 1);
	len = mk_tcp(f, 40000, c.snd, c.rcv, TCP_ACK, NULL, 0);
	feed(&p, f, mk_ip(f, PEER_IP, IP_PROTO_TCP, TCP_HLEN - 1));
	len = mk_tcp(f, 40000, c.snd, c.rcv, TCP_ACK, NULL, 0);
	L4(f)[12] = 4 << 4;			/* data offset 4 */
	feed(&p, f, len);
	L4(f)[12] = 6 << 4;			/* offset past the segment */
	feed(&p, f, len);
	for (size_t i = 0; i < sizeof(bad_opts) / sizeof(bad_opts[0]); i++)
		feed(&p, f, mk_tcp_opt(f, 40005, 80, 1, 0, TCP_SYN, 65535, NULL,
				       0, bad_opts[i], 4));
	feed(&p, f, mk_tcp(f, 0, 1, 0, TCP_SYN, NULL, 0));	/* port 0 */
	CHECK_EQ(drops(&p, NET_DROP_TCP), 8);
	for (size_t i = 0; i < sizeof(bad_flags); i++)
		feed(&p, f, mk_tcp(f, 40006, 1, 0, bad_flags[i], NULL, 0));
	/* and on the open connection */
	feed(&p, f, mk_tcp(f, 40000, c.snd, 0, TCP_FIN, NULL, 0));
	CHECK_EQ(drops(&p, NET_DROP_TCP_FLAGS), 7);
	CHECK_EQ(net_tcp_count(&p.net), 1);
	CHECK_EQ(p.net.stats.tcp_rst_out, 0);
	CHECK_EQ(state(&p, 40000), TCP_ESTABLISHED);
	CHECK_EQ(conn(&p, 40000)->rx_len, 0);
	/* the GET itself still works */
	cli_send(&p, &c, TCP_ACK | TCP_PSH, GET);
	CHECK_EQ(p.nout, 1);
	CHECK(p.out[0].dlen > 0);
}

/* Data outside the window, old, overlapping, out of order. */
static void
test_sequence(void)
{
	struct peer p;
	struct cli c;
	uint8_t f[256];
	const struct out *o = &p.out[0];

	peer_init(&p);
	CHECK_EQ(cli_open(&p, &c, 40000), 0);
	feed(&p, f, mk_tcp(f, 40000, c.snd + 5000, c.rcv, TCP_ACK, "x", 1));
	CHECK_EQ(p.nout, 1);			/* beyond the window: ACK */
	CHECK_EQ(o->flags, TCP_ACK);
	CHECK_EQ(o->ack, c.snd);
	CHECK_EQ(drops(&p, NET_DROP_TCP_SEQ), 1);
	feed(&p, f, mk_tcp(f, 40000, c.snd + 5, c.rcv, TCP_ACK, "later", 5));
	CHECK_EQ(p.nout, 1);			/* out of order: not kept */
	CHECK_EQ(o->ack, c.snd);
	CHECK_EQ(conn(&p, 40000)->rx_len, 0);
	cli_send(&p, &c, TCP_ACK, "GET / ");
	CHECK_EQ(o->ack, c.snd);
	/* a retransmission overlapping what we have: only the rest is new */
	feed(&p, f, mk_tcp(f, 40000, c.snd - 6, c.rcv, TCP_ACK, "GET / HTTP",
			   10));
	c.snd += 4;
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->ack, c.snd);
	CHECK_EQ(conn(&p, 40000)->rx_len, 10);
	/* entirely old: ACK, nothing taken */
	feed(&p, f, mk_tcp(f, 40000, c.snd - 10, c.rcv, TCP_ACK, "GET", 3));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(conn(&p, 40000)->rx_len, 10);
	cli_send(&p, &c, TCP_ACK, "/1.0\r\n\r\n");
	CHECK_EQ(p.nout, 1);
	CHECK(o->dlen > 17 && memcmp(o->data, "HTTP/1.1 200 OK\r\n", 17) == 0);
}

/* A request longer than the buffer: the window bounds it, then 400. */
static void
test_too_long(void)
{
	struct peer p;
	struct cli c;
	uint8_t f[NET_FRAME_MAX];
	char junk[700];
	const struct out *o = &p.out[0];

	peer_init(&p);
	CHECK_EQ(cli_open(&p, &c, 40000), 0);
	memset(junk, 'a', sizeof(junk) - 1);
	junk[sizeof(junk) - 1] = '\0';
	memcpy(junk, "GET /", 5);
	cli_send(&p, &c, TCP_ACK, junk);
	CHECK_EQ(o->wnd, NET_TCP_RXBUF - 699);
	feed(&p, f, mk_tcp(f, 40000, c.snd, c.rcv, TCP_ACK, junk, 699));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->ack, c.snd + NET_TCP_RXBUF - 699);	/* what fitted */
	CHECK(o->dlen > 12 && memcmp(o->data, "HTTP/1.1 400", 12) == 0);
}

/* Several connections at once, answered each on its own. */
static void
test_concurrent(void)
{
	struct peer p;
	struct cli c[5];
	static const char *const path[5] = { "/", "/a", "/", "/b", "/" };
	char req[64];

	peer_init(&p);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(cli_open(&p, &c[i], (uint16_t)(41000 + i)), 0);
	CHECK_EQ(net_tcp_count(&p.net), 5);
	for (int i = 4; i >= 0; i--) {
		snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\n\r\n", path[i]);
		cli_send(&p, &c[i], TCP_ACK | TCP_PSH, req);
		CHECK_EQ(p.nout, 1);
		CHECK_EQ(p.out[0].dport, 41000 + i);
		CHECK_EQ(p.out[0].seq, c[i].rcv);
		CHECK_EQ(p.out[0].ack, c[i].snd);
		CHECK(memcmp(p.out[0].data, path[i][1] ? "HTTP/1.1 404" :
			     "HTTP/1.1 200", 12) == 0);
	}
	for (int i = 0; i < 5; i++) {
		p.nout = 0;
		CHECK_EQ(state(&p, (uint16_t)(41000 + i)), TCP_FIN_WAIT_1);
	}
	CHECK_EQ(p.net.stats.http_responses, 5);
}

/* A full table drops SYNs, takes TIME_WAIT slots, frees on RST. */
static void
test_table_full(void)
{
	struct peer p;
	struct cli c[NET_TCP_CONNS], late;
	uint8_t f[128];

	peer_init(&p);
	for (int i = 0; i < NET_TCP_CONNS; i++)
		CHECK_EQ(cli_open(&p, &c[i], (uint16_t)(42000 + i)), 0);
	feed(&p, f, mk_tcp(f, 43000, 1, 0, TCP_SYN, NULL, 0));
	CHECK_EQ(p.nout, 0);			/* dropped: the peer retries */
	CHECK_EQ(drops(&p, NET_DROP_TCP_FULL), 1);
	CHECK_EQ(net_tcp_count(&p.net), NET_TCP_CONNS);
	/* one goes: the retry gets in */
	feed(&p, f, mk_tcp(f, 42003, c[3].snd, 0, TCP_RST, NULL, 0));
	CHECK_EQ(cli_open(&p, &late, 43000), 0);
	/* finished connections wait in TIME_WAIT; new ones take them */
	for (int i = 0; i < NET_TCP_CONNS; i++) {
		if (i == 3)
			continue;
		p.now += SEC / 100;
		cli_send(&p, &c[i], TCP_ACK | TCP_PSH, GET);
		ack_all(&p, &c[i], 65535);
		cli_send(&p, &c[i], TCP_ACK | TCP_FIN, NULL);
		CHECK_EQ(state(&p, (uint16_t)(42000 + i)), TCP_TIME_WAIT);
	}
	CHECK_EQ(net_tcp_count(&p.net), NET_TCP_CONNS);
	CHECK_EQ(cli_open(&p, &late, 43001), 0);
	CHECK_EQ(state(&p, 42000), TCP_FREE);	/* the oldest went */
	CHECK_EQ(state(&p, 42001), TCP_TIME_WAIT);
	CHECK_EQ(net_tcp_count(&p.net), NET_TCP_CONNS);
}

/* A silent client loses its slot; a TIME_WAIT port can be reused. */
static void
test_idle_and_reuse(void)
{
	struct peer p;
	struct cli c;
	uint8_t f[128];

	peer_init(&p);
	CHECK_EQ(cli_open(&p, &c, 40000), 0);
	tick(&p, 29 * SEC);
	CHECK_EQ(state(&p, 40000), TCP_ESTABLISHED);
	tick(&p, 2 * SEC);
	CHECK_EQ(state(&p, 40000), TCP_FREE);
	CHECK_EQ(p.nout, 1);
	CHECK(p.out[0].flags & TCP_RST);
	CHECK_EQ(p.net.stats.tcp_timeout, 1);

	CHECK_EQ(cli_open(&p, &c, 40001), 0);
	cli_send(&p, &c, TCP_ACK | TCP_PSH, GET);
	ack_all(&p, &c, 65535);
	cli_send(&p, &c, TCP_ACK | TCP_FIN, NULL);
	CHECK_EQ(state(&p, 40001), TCP_TIME_WAIT);
	/* a SYN with a higher sequence number starts anew (RFC 6191) */
	feed(&p, f, mk_tcp(f, 40001, c.snd + 100000, 0, TCP_SYN, NULL, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].flags, TCP_SYN | TCP_ACK);
	CHECK_EQ(state(&p, 40001), TCP_SYN_RCVD);
}

/* Like the lab's check: many requests in a row, all answered. */
static void
test_many_in_a_row(void)
{
	struct peer p;
	struct cli c;
	int ok = 0;

	peer_init(&p);
	for (int i = 0; i < 100; i++) {
		p.now += SEC / 50;
		if (cli_open(&p, &c, (uint16_t)(50000 + i)) != 0)
			continue;
		cli_send(&p, &c, TCP_ACK | TCP_PSH, GET);
		if (p.nout == 1 && p.out[0].dlen > 12 &&
		    memcmp(p.out[0].data, "HTTP/1.1 200", 12) == 0)
			ok++;
		ack_all(&p, &c, 65535);
		cli_send(&p, &c, TCP_ACK | TCP_FIN, NULL);
		tick(&p, 0);
	}
	CHECK_EQ(ok, 100);
	CHECK(net_tcp_count(&p.net) <= NET_TCP_CONNS);
}

int
main(void)
{
	test_handshake();
	test_get();
	test_peer_closes();
	test_request_completes_handshake();
	test_segments_and_window();
	test_zero_window();
	test_retransmit();
	test_partial_ack();
	test_rst();
	test_refused();
	test_sequence();
	test_too_long();
	test_concurrent();
	test_table_full();
	test_idle_and_reuse();
	test_many_in_a_row();
	return CHECK_DONE();
}
