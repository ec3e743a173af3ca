/*
 * A peer for the unikernel's network stack, for its unit tests: builds
 * frames as a host on the link would send them, feeds them to the stack
 * with a clock the test moves, and keeps every frame the stack sends,
 * parsed, with each checksum verified. Included by each test-uk-net-*.c.
 */
#ifndef XUD_UK_NET_PEER_H
#define XUD_UK_NET_PEER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "unikernel/net/cksum.h"
#include "unikernel/net/net.h"
#include "unikernel/net/wire.h"

#define UNUSED __attribute__((unused))

#define US_IP 0x0a000002u	/* 10.0.0.2, the stack */
#define PEER_IP 0x0a000001u	/* 10.0.0.1, the test */
#define SEC 1000000000ull
static const uint8_t us_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x02 };
static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

#define MAX_OUT 64

/* One frame the stack sent, parsed. */
struct out {
	uint8_t f[NET_FRAME_MAX];
	size_t len;
	uint16_t type;
	/* IPv4 */
	uint32_t src, dst;
	uint8_t proto;
	const uint8_t *l4;	/* the transport header */
	size_t l4len;
	/* TCP */
	uint16_t sport, dport, wnd, mss;
	uint32_t seq, ack;
	uint8_t flags;
	const uint8_t *data;
	size_t dlen;
};

struct peer {
	struct net net;
	uint64_t now;
	struct out out[MAX_OUT];
	unsigned nout;
	int tx_fail;		/* the next tx calls fail */
};

/* Parses a frame the stack sent; every checksum must hold. */
static void
out_parse(struct out *o)
{
	const uint8_t *ip = o->f + ETH_HLEN;
	size_t tot;

	CHECK(o->len >= ETH_MIN_FRAME && o->len <= NET_FRAME_MAX);
	CHECK(memcmp(o->f + 6, us_mac, 6) == 0);
	o->type = get16(o->f + 12);
	if (o->type != ETH_TYPE_IPV4)
		return;
	CHECK_EQ(ip[0], 0x45);
	tot = get16(ip + 2);
	CHECK(tot <= o->len - ETH_HLEN);
	CHECK_EQ(cksum_fold(cksum_add(0, ip, IP_HLEN)), 0);
	CHECK_EQ(get16(ip + 6), 0x4000);	/* DF, no fragment */
	o->src = get32(ip + 12);
	o->dst = get32(ip + 16);
	o->proto = ip[9];
	o->l4 = ip + IP_HLEN;
	o->l4len = tot - IP_HLEN;
	if (o->proto == IP_PROTO_ICMP)
		CHECK_EQ(cksum_fold(cksum_add(0, o->l4, o->l4len)), 0);
	if (o->proto == IP_PROTO_UDP || o->proto == IP_PROTO_TCP)
		CHECK_EQ(cksum_fold(cksum_add(cksum_pseudo(o->src, o->dst,
		    o->proto, o->l4len), o->l4, o->l4len)), 0);
	if (o->proto != IP_PROTO_TCP)
		return;
	o->sport = get16(o->l4);
	o->dport = get16(o->l4 + 2);
	o->seq = get32(o->l4 + 4);
	o->ack = get32(o->l4 + 8);
	o->flags = o->l4[13];
	o->wnd = get16(o->l4 + 14);
	o->data = o->l4 + (o->l4[12] >> 4) * 4;
	o->dlen = o->l4len - (size_t)(o->data - o->l4);
	o->mss = 0;
	if ((o->l4[12] >> 4) == 6 && o->l4[20] == TCP_OPT_MSS)
		o->mss = get16(o->l4 + 22);
}

static int
peer_tx(void *arg, const void *frame, size_t len)
{
	struct peer *p = arg;
	struct out *o;

	if (p->tx_fail)
		return -5;
	if (p->nout == MAX_OUT) {
		fprintf(stderr, "more than %d frames out\n", MAX_OUT);
		exit(1);
	}
	o = &p->out[p->nout++];
	memset(o, 0, sizeof(*o));
	memcpy(o->f, frame, len);
	o->len = len;
	out_parse(o);
	return 0;
}

/* The stack at 10.0.0.2, which knows the peer's MAC already. */
static UNUSED void
peer_init_bare(struct peer *p)
{
	struct net_config cfg = {
		.ip = US_IP, .netmask = 0xffffff00u, .name = "uk-httpd",
		.boot_ns = 5 * SEC, .secret = { 1, 2 }, .tx = peer_tx,
		.tx_arg = p,
	};

	memset(p, 0, sizeof(*p));
	memcpy(cfg.mac, us_mac, 6);
	p->now = 100 * SEC;
	CHECK_EQ(net_init(&p->net, &cfg), 0);
}

/* Frame building. len is the payload after each header. */
static size_t
eth_hdr(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
	return ETH_HLEN;
}

static UNUSED size_t
mk_arp(uint8_t *f, const uint8_t *edst, uint16_t op, const uint8_t *sha,
       uint32_t spa, const uint8_t *tha, uint32_t tpa)
{
	uint8_t *a = f + eth_hdr(f, edst, sha, ETH_TYPE_ARP);

	put16(a, 1);
	put16(a + 2, ETH_TYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, sha, 6);
	put32(a + 14, spa);
	memcpy(a + 18, tha, 6);
	put32(a + 24, tpa);
	return ETH_HLEN + ARP_LEN;
}

/* An IPv4 frame from src to us around payload (already in place). */
static size_t
mk_ip(uint8_t *f, uint32_t src, uint8_t proto, size_t plen)
{
	uint8_t *ip = f + eth_hdr(f, us_mac, peer_mac, ETH_TYPE_IPV4);

	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(IP_HLEN + plen));
	put16(ip + 4, 0x1234);
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = proto;
	put16(ip + 10, 0);
	put32(ip + 12, src);
	put32(ip + 16, US_IP);
	put16(ip + 10, cksum_fold(cksum_add(0, ip, IP_HLEN)));
	return ETH_HLEN + IP_HLEN + plen;
}

/* Recomputes the IP header checksum after a test changed the header. */
static UNUSED void
fix_ip(uint8_t *f)
{
	uint8_t *ip = f + ETH_HLEN;
	size_t hl = (size_t)(ip[0] & 0xf) * 4;

	put16(ip + 10, 0);
	put16(ip + 10, cksum_fold(cksum_add(0, ip, hl)));
}

#define L4(f) ((f) + ETH_HLEN + IP_HLEN)

static UNUSED size_t
mk_icmp_echo(uint8_t *f, uint16_t id, uint16_t seq, const void *d,
	     size_t dlen)
{
	uint8_t *m = L4(f);

	m[0] = ICMP_ECHO;
	m[1] = 0;
	put16(m + 2, 0);
	put16(m + 4, id);
	put16(m + 6, seq);
	memcpy(m + 8, d, dlen);
	put16(m + 2, cksum_fold(cksum_add(0, m, 8 + dlen)));
	return mk_ip(f, PEER_IP, IP_PROTO_ICMP, 8 + dlen);
}

static UNUSED size_t
mk_udp(uint8_t *f, uint16_t sport, uint16_t dport, const void *d, size_t dlen,
       int with_cksum)
{
	uint8_t *u = L4(f);
	uint16_t s;

	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(8 + dlen));
	put16(u + 6, 0);
	memcpy(u + 8, d, dlen);
	if (with_cksum) {
		s = cksum_fold(cksum_add(cksum_pseudo(PEER_IP, US_IP,
		    IP_PROTO_UDP, 8 + dlen), u, 8 + dlen));
		put16(u + 6, s ? s : 0xffff);
	}
	return mk_ip(f, PEER_IP, IP_PROTO_UDP, 8 + dlen);
}

/* A TCP segment from PEER_IP:sport to port dport, with an MSS option. */
static UNUSED size_t
mk_tcp_opt(uint8_t *f, uint16_t sport, uint16_t dport, uint32_t seq,
	   uint32_t ack, uint8_t flags, uint16_t wnd, const void *d,
	   size_t dlen, const uint8_t *opt, size_t olen)
{
	uint8_t *t = L4(f);
	size_t hl = TCP_HLEN + olen;

	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, seq);
	put32(t + 8, ack);
	t[12] = (uint8_t)(hl / 4 << 4);
	t[13] = flags;
	put16(t + 14, wnd);
	put16(t + 16, 0);
	put16(t + 18, 0);
	if (olen)
		memcpy(t + TCP_HLEN, opt, olen);
	if (dlen)
		memcpy(t + hl, d, dlen);
	put16(t + 16, cksum_fold(cksum_add(cksum_pseudo(PEER_IP, US_IP,
	    IP_PROTO_TCP, hl + dlen), t, hl + dlen)));
	return mk_ip(f, PEER_IP, IP_PROTO_TCP, hl + dlen);
}

static UNUSED size_t
mk_tcp(uint8_t *f, uint16_t sport, uint32_t seq, uint32_t ack, uint8_t flags,
       const void *d, size_t dlen)
{
	return mk_tcp_opt(f, sport, 80, seq, ack, flags, 65535, d, dlen,
			  NULL, 0);
}

/* Feeds one frame at the current time; the outputs start afresh. */
static UNUSED void
feed(struct peer *p, const uint8_t *f, size_t len)
{
	p->nout = 0;
	net_input(&p->net, f, len, p->now);
}

/* Moves the clock and runs the timers; the outputs start afresh. */
static UNUSED uint64_t
tick(struct peer *p, uint64_t ns)
{
	p->nout = 0;
	p->now += ns;
	return net_poll(&p->net, p->now);
}

static UNUSED void
peer_init(struct peer *p)
{
	uint8_t f[64];

	peer_init_bare(p);
	feed(p, f, mk_arp(f, bcast_mac, ARP_OP_REQUEST, peer_mac, PEER_IP,
			  (const uint8_t[6]){ 0 }, US_IP));
	CHECK_EQ(p->nout, 1);
	p->nout = 0;
}

static UNUSED uint64_t
drops(const struct peer *p, enum net_drop why)
{
	return p->net.stats.drop[why];
}

/* A client connection's sequence state, from the test's side. */
struct cli {
	uint16_t port;
	uint32_t snd;		/* our next sequence number */
	uint32_t rcv;		/* what we acknowledge: the stack's next */
};

/* Three-way handshake from port; returns 0 when it completed. */
static UNUSED int
cli_open(struct peer *p, struct cli *c, uint16_t port)
{
	uint8_t f[128];
	static const uint8_t mss[4] = { TCP_OPT_MSS, 4, 0x05, 0xb4 };

	c->port = port;
	c->snd = 1000u * port;
	feed(p, f, mk_tcp_opt(f, port, 80, c->snd, 0, TCP_SYN, 65535, NULL, 0,
			      mss, 4));
	if (p->nout != 1 || p->out[0].flags != (TCP_SYN | TCP_ACK) ||
	    p->out[0].ack != c->snd + 1)
		return -1;
	c->snd++;
	c->rcv = p->out[0].seq + 1;
	feed(p, f, mk_tcp(f, port, c->snd, c->rcv, TCP_ACK, NULL, 0));
	return p->nout == 0 ? 0 : -1;
}

/* Sends data (and flags) on an open connection. */
static UNUSED void
cli_send(struct peer *p, struct cli *c, uint8_t flags, const char *d)
{
	uint8_t f[NET_FRAME_MAX];
	size_t len = d ? strlen(d) : 0;

	feed(p, f, mk_tcp(f, c->port, c->snd, c->rcv, flags, d, len));
	c->snd += (uint32_t)len + !!(flags & TCP_FIN);
}

#endif
