/*
 * The stack's IPv4 input, ICMP echo and the UDP echo service: what is
 * answered and how, and every malformed or unwanted packet dropped for
 * its own reason, with nothing sent back.
 */
#include "config.h"

#include <stdio.h>

#include "uk-net-peer.h"

#define IPH(f) ((f) + ETH_HLEN)

static void
test_ping(void)
{
	struct peer p;
	uint8_t f[NET_FRAME_MAX];
	uint8_t big[IP_MTU - IP_HLEN - ICMP_HLEN];
	const struct out *o = &p.out[0];
	size_t len;

	peer_init(&p);
	feed(&p, f, mk_icmp_echo(f, 0x4242, 9, "ping!", 5));
	CHECK_EQ(p.nout, 1);
	CHECK(memcmp(o->f, peer_mac, 6) == 0);
	CHECK_EQ(o->proto, IP_PROTO_ICMP);
	CHECK_EQ(o->src, US_IP);
	CHECK_EQ(o->dst, PEER_IP);
	CHECK_EQ(o->f[ETH_HLEN + 8], 64);	/* our TTL */
	CHECK_EQ(o->l4len, 13);
	CHECK_EQ(o->l4[0], ICMP_ECHO_REPLY);
	CHECK_EQ(o->l4[1], 0);
	CHECK_EQ(get16(o->l4 + 4), 0x4242);
	CHECK_EQ(get16(o->l4 + 6), 9);
	CHECK(memcmp(o->l4 + 8, "ping!", 5) == 0);
	CHECK_EQ(p.net.stats.icmp_echo, 1);

	/* the largest unfragmented ping comes back whole */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	len = mk_icmp_echo(f, 1, 2, big, sizeof(big));
	CHECK_EQ(len, NET_FRAME_MAX);
	feed(&p, f, len);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->len, NET_FRAME_MAX);
	CHECK(memcmp(o->l4 + 8, big, sizeof(big)) == 0);

	/* Ethernet padding after the packet is not part of it */
	len = mk_icmp_echo(f, 1, 3, "", 0);
	memset(f + len, 0xee, ETH_MIN_FRAME - len);
	feed(&p, f, ETH_MIN_FRAME);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->l4len, ICMP_HLEN);

	/* IP options are skipped; our answer has none */
	len = mk_icmp_echo(f, 1, 4, "opt", 3);
	memmove(IPH(f) + 24, IPH(f) + 20, len - ETH_HLEN - 20);
	memset(IPH(f) + 20, 1, 4);		/* four NOPs */
	IPH(f)[0] = 0x46;
	put16(IPH(f) + 2, (uint16_t)(len - ETH_HLEN + 4));
	fix_ip(f);
	feed(&p, f, len + 4);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->f[ETH_HLEN], 0x45);
	CHECK(memcmp(o->l4 + 8, "opt", 3) == 0);
}

static void
test_icmp_refused(void)
{
	struct peer p;
	uint8_t f[256];
	size_t len;

	peer_init(&p);
	len = mk_icmp_echo(f, 1, 1, "data", 4);
	L4(f)[9] ^= 0x40;			/* data changed after the sum */
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_ICMP_CKSUM), 1);
	len = mk_icmp_echo(f, 1, 1, "data", 4);
	L4(f)[0] = 13;				/* timestamp: not answered */
	put16(L4(f) + 2, 0);
	put16(L4(f) + 2, cksum_fold(cksum_add(0, L4(f), 12)));
	feed(&p, f, len);
	L4(f)[0] = ICMP_ECHO;			/* echo with code 1 */
	L4(f)[1] = 1;
	put16(L4(f) + 2, 0);
	put16(L4(f) + 2, cksum_fold(cksum_add(0, L4(f), 12)));
	feed(&p, f, len);
	memset(L4(f), 0, 8);			/* 4 bytes: too short */
	L4(f)[0] = ICMP_ECHO;
	put16(L4(f) + 2, cksum_fold(cksum_add(0, L4(f), 4)));
	feed(&p, f, mk_ip(f, PEER_IP, IP_PROTO_ICMP, 4));
	CHECK_EQ(drops(&p, NET_DROP_ICMP), 3);
	CHECK_EQ(p.net.stats.icmp_echo, 0);
	CHECK_EQ(p.net.stats.tx, 1);		/* peer_init's ARP reply */
}

static void
test_ip_refused(void)
{
	struct peer p;
	uint8_t f[256];
	size_t len;
	static const uint32_t bad_src[] = {
		0, 0xffffffffu, 0xe0000001u, 0xf0000001u, 0x7f000001u, US_IP,
		0x0a0000ffu,	/* our subnet's broadcast */
	};

	peer_init(&p);
	len = mk_icmp_echo(f, 1, 1, "abcd", 4);
	feed(&p, f, ETH_HLEN + IP_HLEN - 1);	/* truncated header */
	IPH(f)[0] = 0x65;			/* version 6 */
	fix_ip(f);
	feed(&p, f, len);
	IPH(f)[0] = 0x44;			/* IHL 4 */
	fix_ip(f);
	feed(&p, f, len);
	IPH(f)[0] = 0x4f;			/* IHL 15: past the packet */
	fix_ip(f);
	feed(&p, f, len);
	len = mk_icmp_echo(f, 1, 1, "abcd", 4);
	put16(IPH(f) + 2, (uint16_t)(len - ETH_HLEN + 1));	/* > frame */
	fix_ip(f);
	feed(&p, f, len);
	put16(IPH(f) + 2, 19);			/* < header */
	fix_ip(f);
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_IP_HDR), 6);

	len = mk_icmp_echo(f, 1, 1, "abcd", 4);
	IPH(f)[10] ^= 1;
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_IP_CKSUM), 1);

	len = mk_icmp_echo(f, 1, 1, "abcd", 4);
	put16(IPH(f) + 6, 0x2000);		/* more fragments */
	fix_ip(f);
	feed(&p, f, len);
	put16(IPH(f) + 6, 0x0001);		/* a later fragment */
	fix_ip(f);
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_IP_FRAG), 2);

	len = mk_icmp_echo(f, 1, 1, "abcd", 4);
	IPH(f)[8] = 0;
	fix_ip(f);
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_IP_TTL), 1);

	len = mk_icmp_echo(f, 1, 1, "abcd", 4);
	put32(IPH(f) + 16, 0x0a000003u);	/* not to us */
	fix_ip(f);
	feed(&p, f, len);
	put32(IPH(f) + 16, 0xffffffffu);	/* broadcast */
	fix_ip(f);
	feed(&p, f, len);
	put32(IPH(f) + 16, US_IP);
	for (size_t i = 0; i < sizeof(bad_src) / sizeof(bad_src[0]); i++) {
		put32(IPH(f) + 12, bad_src[i]);
		fix_ip(f);
		feed(&p, f, len);
	}
	CHECK_EQ(drops(&p, NET_DROP_IP_ADDR), 9);

	len = mk_icmp_echo(f, 1, 1, "abcd", 4);
	IPH(f)[9] = 47;				/* GRE */
	fix_ip(f);
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_IP_PROTO), 1);

	CHECK_EQ(p.net.stats.tx, 1);		/* peer_init's ARP reply */
	CHECK_EQ(p.net.stats.icmp_echo, 0);
}

static void
test_udp_echo(void)
{
	struct peer p;
	uint8_t f[NET_FRAME_MAX];
	const struct out *o = &p.out[0];
	size_t len;

	peer_init(&p);
	feed(&p, f, mk_udp(f, 40000, 7, "hello, echo", 11, 1));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->proto, IP_PROTO_UDP);
	CHECK_EQ(o->dst, PEER_IP);
	CHECK_EQ(get16(o->l4), 7);
	CHECK_EQ(get16(o->l4 + 2), 40000);
	CHECK_EQ(get16(o->l4 + 4), 19);
	CHECK(get16(o->l4 + 6) != 0);		/* we always sum */
	CHECK(memcmp(o->l4 + 8, "hello, echo", 11) == 0);

	/* no checksum from the sender (0) is allowed */
	feed(&p, f, mk_udp(f, 40001, 7, "x", 1, 0));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(get16(o->l4 + 2), 40001);

	/* the UDP length rules, not the IP one: trailing bytes ignored */
	len = mk_udp(f, 40002, 7, "abcdef", 6, 0);
	put16(L4(f) + 4, 8 + 3);
	feed(&p, f, len);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(get16(o->l4 + 4), 11);
	CHECK(memcmp(o->l4 + 8, "abc", 3) == 0);

	/* an empty datagram is echoed empty */
	feed(&p, f, mk_udp(f, 40003, 7, "", 0, 1));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->l4len, UDP_HLEN);
	CHECK_EQ(p.net.stats.udp_echo, 4);
}

static void
test_udp_refused(void)
{
	struct peer p;
	uint8_t f[256];
	size_t len;

	peer_init(&p);
	len = mk_udp(f, 40000, 7, "abcd", 4, 1);
	L4(f)[8] ^= 1;
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_UDP_CKSUM), 1);
	len = mk_udp(f, 40000, 7, "abcd", 4, 0);
	put16(L4(f) + 4, 7);			/* shorter than its header */
	feed(&p, f, len);
	put16(L4(f) + 4, 8 + 5);		/* longer than the packet */
	feed(&p, f, len);
	feed(&p, f, mk_ip(f, PEER_IP, IP_PROTO_UDP, 4));	/* truncated */
	feed(&p, f, mk_udp(f, 0, 7, "a", 1, 1));	/* source port 0 */
	/* an echo or chargen service would bounce with us for ever */
	feed(&p, f, mk_udp(f, 7, 7, "a", 1, 1));
	feed(&p, f, mk_udp(f, 19, 7, "a", 1, 1));
	CHECK_EQ(drops(&p, NET_DROP_UDP), 6);
	CHECK_EQ(p.net.stats.udp_echo, 0);
	CHECK_EQ(p.net.stats.tx, 1);		/* peer_init's ARP reply */
}

/* A closed UDP port: ICMP port unreachable quoting the datagram. */
static void
test_udp_unreach(void)
{
	struct peer p;
	uint8_t f[256];
	const struct out *o = &p.out[0];
	size_t len;

	peer_init(&p);
	len = mk_udp(f, 40000, 9, "discard me", 10, 1);
	feed(&p, f, len);
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->proto, IP_PROTO_ICMP);
	CHECK_EQ(o->l4[0], ICMP_UNREACH);
	CHECK_EQ(o->l4[1], ICMP_UNREACH_PORT);
	CHECK_EQ(o->l4len, ICMP_HLEN + IP_HLEN + 8);
	CHECK(memcmp(o->l4 + ICMP_HLEN, IPH(f), IP_HLEN + 8) == 0);
}

static void
test_parse_ip4(void)
{
	uint32_t ip = 7;
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.", "1.2.3.256", "1..2.3", "01.2.3.4",
		"1.2.3.4x", " 1.2.3.4", "1.2.3.1000", "a.b.c.d",
	};

	CHECK_EQ(net_parse_ip4("10.0.0.2", 8, &ip), 0);
	CHECK_EQ(ip, 0x0a000002u);
	CHECK_EQ(net_parse_ip4("255.255.255.255", 15, &ip), 0);
	CHECK_EQ(ip, 0xffffffffu);
	CHECK_EQ(net_parse_ip4("0.0.0.0", 7, &ip), 0);
	CHECK_EQ(ip, 0);
	/* only len bytes count: the rest of a command line is not read */
	CHECK_EQ(net_parse_ip4("192.168.1.1 gw=1", 11, &ip), 0);
	CHECK_EQ(ip, 0xc0a80101u);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ip = 7;
		CHECK_EQ(net_parse_ip4(bad[i], strlen(bad[i]), &ip), -22);
		CHECK_EQ(ip, 7);
	}
}

int
main(void)
{
	test_ping();
	test_icmp_refused();
	test_ip_refused();
	test_udp_echo();
	test_udp_refused();
	test_udp_unreach();
	test_parse_ip4();
	return CHECK_DONE();
}
