/*
 * The stack's Ethernet input and ARP: answers for our address, the
 * bounded cache and what it learns, resolving a next hop (the packet held
 * meanwhile, the request rate), and the frames refused.
 */
#include "config.h"

#include <stdio.h>

#include "uk-net-peer.h"

static const uint8_t zero_mac[6];

static uint32_t
arp_spa(const struct out *o)
{
	return get32(o->f + ETH_HLEN + 14);
}

static uint32_t
arp_tpa(const struct out *o)
{
	return get32(o->f + ETH_HLEN + 24);
}

static int
cached(const struct peer *p, uint32_t ip, const uint8_t *mac)
{
	for (unsigned i = 0; i < NET_ARP_ENTRIES; i++)
		if (p->net.arp[i].state == NET_ARP_DONE &&
		    p->net.arp[i].ip == ip &&
		    (!mac || memcmp(p->net.arp[i].mac, mac, 6) == 0))
			return 1;
	return 0;
}

static void
test_reply(void)
{
	struct peer p;
	uint8_t f[128];
	const struct out *o = &p.out[0];

	peer_init_bare(&p);
	feed(&p, f, mk_arp(f, bcast_mac, ARP_OP_REQUEST, peer_mac, PEER_IP,
			   zero_mac, US_IP));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(o->type, ETH_TYPE_ARP);
	CHECK(memcmp(o->f, peer_mac, 6) == 0);
	CHECK_EQ(o->len, ETH_MIN_FRAME);	/* padded, with zeros */
	for (size_t i = ETH_HLEN + ARP_LEN; i < ETH_MIN_FRAME; i++)
		CHECK_EQ(o->f[i], 0);
	CHECK_EQ(get16(o->f + ETH_HLEN + 6), ARP_OP_REPLY);
	CHECK(memcmp(o->f + ETH_HLEN + 8, us_mac, 6) == 0);
	CHECK_EQ(arp_spa(o), US_IP);
	CHECK(memcmp(o->f + ETH_HLEN + 18, peer_mac, 6) == 0);
	CHECK_EQ(arp_tpa(o), PEER_IP);
	CHECK(cached(&p, PEER_IP, peer_mac));
	CHECK_EQ(p.net.stats.arp_replies, 1);

	/* a request sent to our MAC (a unicast refresh) is answered too */
	feed(&p, f, mk_arp(f, us_mac, ARP_OP_REQUEST, peer_mac, PEER_IP,
			   us_mac, US_IP));
	CHECK_EQ(p.nout, 1);

	/* for someone else: no answer, nothing learned */
	feed(&p, f, mk_arp(f, bcast_mac, ARP_OP_REQUEST, peer_mac, 0x0a000009u,
			   zero_mac, 0x0a000003u));
	CHECK_EQ(p.nout, 0);
	CHECK(!cached(&p, 0x0a000009u, NULL));

	/* a probe (RFC 5227, sender 0.0.0.0): answered, nothing learned */
	feed(&p, f, mk_arp(f, bcast_mac, ARP_OP_REQUEST,
			   (const uint8_t[6]){ 2, 0, 0, 0, 0, 7 }, 0, zero_mac,
			   US_IP));
	CHECK_EQ(p.nout, 1);
	CHECK(memcmp(p.out[0].f, (const uint8_t[6]){ 2, 0, 0, 0, 0, 7 }, 6) ==
	      0);
	for (unsigned i = 0; i < NET_ARP_ENTRIES; i++)
		CHECK(p.net.arp[i].state == NET_ARP_FREE ||
		      p.net.arp[i].ip != 0);

	/* a known host's new MAC replaces its old one (gratuitous ARP) */
	feed(&p, f, mk_arp(f, bcast_mac, ARP_OP_REQUEST,
			   (const uint8_t[6]){ 2, 0, 0, 0, 0, 9 }, PEER_IP,
			   zero_mac, PEER_IP));
	CHECK_EQ(p.nout, 0);
	CHECK(cached(&p, PEER_IP, (const uint8_t[6]){ 2, 0, 0, 0, 0, 9 }));
}

static void
test_malformed(void)
{
	struct peer p;
	uint8_t f[128];
	size_t len;

	peer_init_bare(&p);
	len = mk_arp(f, bcast_mac, ARP_OP_REQUEST, peer_mac, PEER_IP, zero_mac,
		     US_IP);
	feed(&p, f, len - 1);			/* truncated */
	CHECK_EQ(drops(&p, NET_DROP_ARP), 1);
	f[ETH_HLEN + 1] = 6;			/* hardware type 6 */
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_ARP), 2);
	len = mk_arp(f, bcast_mac, ARP_OP_REQUEST, peer_mac, PEER_IP, zero_mac,
		     US_IP);
	f[ETH_HLEN + 5] = 16;			/* IPv6-sized addresses */
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_ARP), 3);
	feed(&p, f, mk_arp(f, bcast_mac, 3, peer_mac, PEER_IP, zero_mac,
			   US_IP));		/* op 3 */
	CHECK_EQ(drops(&p, NET_DROP_ARP), 4);
	/* a sender with our address, a multicast one, a multicast MAC */
	feed(&p, f, mk_arp(f, bcast_mac, ARP_OP_REQUEST,
			   (const uint8_t[6]){ 2, 0, 0, 0, 0, 5 }, US_IP,
			   zero_mac, US_IP));
	feed(&p, f, mk_arp(f, bcast_mac, ARP_OP_REQUEST, peer_mac, 0xe0000001u,
			   zero_mac, US_IP));
	len = mk_arp(f, bcast_mac, ARP_OP_REQUEST, peer_mac, PEER_IP, zero_mac,
		     US_IP);
	f[ETH_HLEN + 8] = 0x01;			/* sha multicast */
	feed(&p, f, len);
	/* a reply not for us */
	feed(&p, f, mk_arp(f, bcast_mac, ARP_OP_REPLY, peer_mac, PEER_IP,
			   zero_mac, 0x0a000003u));
	CHECK_EQ(drops(&p, NET_DROP_ARP), 8);
	CHECK_EQ(p.net.stats.tx, 0);
	CHECK(!cached(&p, PEER_IP, NULL));
	CHECK(!cached(&p, 0xe0000001u, NULL));
}

static void
test_ethernet(void)
{
	struct peer p;
	uint8_t f[NET_FRAME_MAX + 2];
	size_t len;

	peer_init(&p);
	len = mk_icmp_echo(f, 1, 1, "x", 1);
	feed(&p, f, ETH_HLEN - 1);
	CHECK_EQ(drops(&p, NET_DROP_ETH), 1);
	memset(f, 0, sizeof(f));
	len = mk_icmp_echo(f, 1, 1, "x", 1);
	feed(&p, f, NET_FRAME_MAX + 1);		/* longer than any frame */
	CHECK_EQ(drops(&p, NET_DROP_ETH), 2);
	f[6] = 0x01;				/* multicast source */
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_ETH), 3);
	len = mk_icmp_echo(f, 1, 1, "x", 1);
	memcpy(f, bcast_mac, 6);		/* IPv4 to broadcast */
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_ETH_DST), 1);
	f[5] = 0x03;				/* another host's MAC */
	f[0] = 0x00;
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_ETH_DST), 2);
	len = mk_arp(f, peer_mac, ARP_OP_REQUEST, peer_mac, PEER_IP, zero_mac,
		     US_IP);			/* ARP to another MAC */
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_ETH_DST), 3);
	len = mk_icmp_echo(f, 1, 1, "x", 1);
	put16(f + 12, 0x86dd);			/* IPv6 */
	feed(&p, f, len);
	put16(f + 12, 0x8100);			/* an 802.1Q tag */
	feed(&p, f, len);
	CHECK_EQ(drops(&p, NET_DROP_ETH_TYPE), 2);
	/* only peer_init's ARP exchange went through */
	CHECK_EQ(p.net.stats.tx, 1);
	CHECK_EQ(p.net.stats.rx, 9);
}

/* Our reply to an unknown host waits for its MAC, then goes. */
static void
test_resolve(void)
{
	struct peer p;
	uint8_t f[128];

	peer_init_bare(&p);
	feed(&p, f, mk_icmp_echo(f, 7, 1, "abc", 3));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].type, ETH_TYPE_ARP);
	CHECK(memcmp(p.out[0].f, bcast_mac, 6) == 0);
	CHECK_EQ(get16(p.out[0].f + ETH_HLEN + 6), ARP_OP_REQUEST);
	CHECK_EQ(arp_spa(&p.out[0]), US_IP);
	CHECK_EQ(arp_tpa(&p.out[0]), PEER_IP);
	CHECK_EQ(p.net.stats.arp_requests, 1);

	/* within a second: no second request; the newer reply is held */
	p.now += SEC / 2;
	feed(&p, f, mk_icmp_echo(f, 7, 2, "abc", 3));
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(p.net.stats.arp_requests, 1);

	/* the answer releases the held reply, to the MAC it names */
	feed(&p, f, mk_arp(f, us_mac, ARP_OP_REPLY, peer_mac, PEER_IP, us_mac,
			   US_IP));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].proto, IP_PROTO_ICMP);
	CHECK(memcmp(p.out[0].f, peer_mac, 6) == 0);
	CHECK_EQ(get16(p.out[0].l4 + 6), 2);
	CHECK(cached(&p, PEER_IP, peer_mac));

	/* now known: answered at once */
	feed(&p, f, mk_icmp_echo(f, 7, 3, "abc", 3));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].proto, IP_PROTO_ICMP);

	/* unanswered, a second request after a second; none after expiry */
	p.now += 301 * SEC;
	feed(&p, f, mk_icmp_echo(f, 7, 4, "abc", 3));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].type, ETH_TYPE_ARP);
	p.now += SEC;
	feed(&p, f, mk_icmp_echo(f, 7, 5, "abc", 3));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].type, ETH_TYPE_ARP);
	CHECK_EQ(p.net.stats.arp_requests, 3);
}

/* Off our link the next hop is the gateway. */
static void
test_gateway(void)
{
	struct peer p;
	uint8_t f[128];
	struct net_config cfg = {
		.ip = US_IP, .netmask = 0xffffff00u, .gateway = 0x0a0000feu,
		.name = "gw", .tx = peer_tx, .tx_arg = &p,
	};

	memset(&p, 0, sizeof(p));
	memcpy(cfg.mac, us_mac, 6);
	CHECK_EQ(net_init(&p.net, &cfg), 0);
	mk_icmp_echo(f, 1, 1, "", 0);
	feed(&p, f, mk_ip(f, 0xc0a80105u, IP_PROTO_ICMP, 8));
	CHECK_EQ(p.nout, 1);
	CHECK_EQ(p.out[0].type, ETH_TYPE_ARP);
	CHECK_EQ(arp_tpa(&p.out[0]), 0x0a0000feu);
	/* the subnet's broadcast address is no peer */
	feed(&p, f, mk_ip(f, 0x0a0000ffu, IP_PROTO_ICMP, 8));
	CHECK_EQ(p.nout, 0);
	CHECK_EQ(drops(&p, NET_DROP_IP_ADDR), 1);
}

/* More hosts than entries: the oldest go, the table never overflows. */
static void
test_cache_bound(void)
{
	struct peer p;
	uint8_t f[128];
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 0 };

	peer_init_bare(&p);
	for (unsigned i = 0; i < NET_ARP_ENTRIES + 4; i++) {
		mac[5] = (uint8_t)(i + 1);
		p.now += SEC;
		feed(&p, f, mk_arp(f, bcast_mac, ARP_OP_REQUEST, mac,
				   0x0a000010u + i, zero_mac, US_IP));
		CHECK_EQ(p.nout, 1);
	}
	for (unsigned i = 0; i < NET_ARP_ENTRIES + 4; i++)
		CHECK_EQ(cached(&p, 0x0a000010u + i, NULL), i >= 4);
}

static void
test_init(void)
{
	struct peer p;
	struct net_config cfg = { .ip = US_IP, .tx = peer_tx, .tx_arg = &p };

	CHECK_EQ(net_init(&p.net, &cfg), -22);		/* zero MAC */
	memcpy(cfg.mac, us_mac, 6);
	CHECK_EQ(net_init(&p.net, &cfg), 0);
	CHECK_STR(p.net.name, "");
	cfg.ip = 0;
	CHECK_EQ(net_init(&p.net, &cfg), -22);
	cfg.ip = 0xe0000001u;
	CHECK_EQ(net_init(&p.net, &cfg), -22);
	cfg.ip = 0x7f000001u;
	CHECK_EQ(net_init(&p.net, &cfg), -22);
	cfg.ip = US_IP;
	cfg.tx = NULL;
	CHECK_EQ(net_init(&p.net, &cfg), -22);
	cfg.tx = peer_tx;
	cfg.mac[0] = 0x01;
	CHECK_EQ(net_init(&p.net, &cfg), -22);
	cfg.mac[0] = 0x00;
	/* a long name is cut to fit, terminated */
	cfg.name = "a-name-that-is-much-longer-than-the-room-the-stack-has";
	CHECK_EQ(net_init(&p.net, &cfg), 0);
	CHECK_EQ(strlen(p.net.name), NET_NAME_MAX - 1);

	/* a failed tx is counted, and nothing breaks */
	peer_init_bare(&p);
	p.tx_fail = 1;
	{
		uint8_t f[64];

		feed(&p, f, mk_arp(f, bcast_mac, ARP_OP_REQUEST, peer_mac,
				   PEER_IP, zero_mac, US_IP));
	}
	CHECK_EQ(p.net.stats.tx_err, 1);
	CHECK_EQ(p.net.stats.tx, 0);
}

int
main(void)
{
	test_reply();
	test_malformed();
	test_ethernet();
	test_resolve();
	test_gateway();
	test_cache_bound();
	test_init();
	return CHECK_DONE();
}
