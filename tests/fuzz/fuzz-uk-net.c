/*
 * libFuzzer target: the unikernel's network stack, fed any frames a
 * peer on the link could send, with the clock moved between them. The
 * input is a program: each step either moves the clock and runs the
 * timers, or delivers a frame, optionally with its checksums made right
 * and its TCP acknowledgment set to what the stack last sent on that
 * port, so the fuzzer gets past the checks into the TCP states. Every
 * frame the stack sends must be well formed, and every connection's
 * counters must stay within its buffers.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "unikernel/net/cksum.h"
#include "unikernel/net/net.h"
#include "unikernel/net/wire.h"

#define US_IP 0x0a000002u
static const uint8_t us_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x02 };

static struct net net;
static unsigned sent;		/* frames out in this step */
/* what the stack last sent on each of a few peer ports */
static struct {
	uint16_t port;
	uint32_t next;
} last[16];
static unsigned nlast;

static void
remember(uint16_t port, uint32_t next)
{
	for (unsigned i = 0; i < nlast; i++)
		if (last[i].port == port) {
			last[i].next = next;
			return;
		}
	last[nlast % 16].port = port;
	last[nlast % 16].next = next;
	if (nlast < 16)
		nlast++;
}

static int
tx(void *arg, const void *frame, size_t len)
{
	const uint8_t *f = frame, *ip = f + ETH_HLEN, *l4;
	size_t tot;

	(void)arg;
	sent++;
	FUZZ_CHECK(sent <= 64);
	FUZZ_CHECK(len >= ETH_MIN_FRAME && len <= NET_FRAME_MAX);
	FUZZ_CHECK(memcmp(f + 6, us_mac, 6) == 0);
	FUZZ_CHECK(!(f[0] & 1) || memcmp(f, "\xff\xff\xff\xff\xff\xff", 6)
		   == 0);
	if (get16(f + 12) == ETH_TYPE_ARP) {
		FUZZ_CHECK(get32(f + ETH_HLEN + 14) == US_IP);
		return 0;
	}
	FUZZ_CHECK(get16(f + 12) == ETH_TYPE_IPV4);
	FUZZ_CHECK(ip[0] == 0x45);
	tot = get16(ip + 2);
	FUZZ_CHECK(tot >= IP_HLEN && tot <= len - ETH_HLEN);
	FUZZ_CHECK(cksum_fold(cksum_add(0, ip, IP_HLEN)) == 0);
	FUZZ_CHECK(get32(ip + 12) == US_IP);
	l4 = ip + IP_HLEN;
	tot -= IP_HLEN;
	if (ip[9] == IP_PROTO_ICMP) {
		FUZZ_CHECK(cksum_fold(cksum_add(0, l4, tot)) == 0);
		return 0;
	}
	FUZZ_CHECK(ip[9] == IP_PROTO_UDP || ip[9] == IP_PROTO_TCP);
	FUZZ_CHECK(cksum_fold(cksum_add(cksum_pseudo(US_IP, get32(ip + 16),
		   ip[9], tot), l4, tot)) == 0);
	if (ip[9] == IP_PROTO_TCP) {
		size_t hl = (size_t)(l4[12] >> 4) * 4;

		FUZZ_CHECK(hl >= TCP_HLEN && hl <= tot);
		remember(get16(l4 + 2), get32(l4 + 4) + (uint32_t)(tot - hl) +
			 !!(l4[13] & TCP_SYN) + !!(l4[13] & TCP_FIN));
	}
	return 0;
}

/* Makes the frame's IPv4, ICMP, UDP and TCP checksums right. */
static void
fix(uint8_t *f, size_t len, int ack)
{
	uint8_t *ip = f + ETH_HLEN, *l4;
	size_t hl, tot;

	if (len < ETH_HLEN + IP_HLEN || get16(f + 12) != ETH_TYPE_IPV4)
		return;
	hl = (size_t)(ip[0] & 0xf) * 4;
	tot = get16(ip + 2);
	if (hl < IP_HLEN || tot < hl || tot > len - ETH_HLEN)
		return;
	put16(ip + 10, 0);
	put16(ip + 10, cksum_fold(cksum_add(0, ip, hl)));
	l4 = ip + hl;
	tot -= hl;
	if (ip[9] == IP_PROTO_ICMP && tot >= ICMP_HLEN) {
		put16(l4 + 2, 0);
		put16(l4 + 2, cksum_fold(cksum_add(0, l4, tot)));
	} else if (ip[9] == IP_PROTO_UDP && tot >= UDP_HLEN &&
		   get16(l4 + 4) >= UDP_HLEN && get16(l4 + 4) <= tot) {
		tot = get16(l4 + 4);
		put16(l4 + 6, 0);
		put16(l4 + 6, cksum_fold(cksum_add(cksum_pseudo(get32(ip + 12),
		      get32(ip + 16), IP_PROTO_UDP, tot), l4, tot)));
	} else if (ip[9] == IP_PROTO_TCP && tot >= TCP_HLEN) {
		for (unsigned i = 0; ack && i < nlast; i++)
			if (last[i].port == get16(l4))
				put32(l4 + 8, last[i].next);
		put16(l4 + 16, 0);
		put16(l4 + 16, cksum_fold(cksum_add(cksum_pseudo(get32(ip + 12),
		      get32(ip + 16), IP_PROTO_TCP, tot), l4, tot)));
	}
}

/* What must hold of every connection between calls. */
static void
check_conns(void)
{
	for (unsigned i = 0; i < NET_TCP_CONNS; i++) {
		const struct net_tcp_conn *c = &net.tcp[i];
		uint32_t flight = c->snd_nxt - c->snd_una;

		if (c->state == TCP_FREE)
			continue;
		FUZZ_CHECK(c->state <= TCP_TIME_WAIT);
		FUZZ_CHECK(c->rx_len <= NET_TCP_RXBUF);
		FUZZ_CHECK(c->tx_len <= NET_TCP_TXBUF);
		FUZZ_CHECK(flight <= (uint32_t)c->tx_len + 1);
		FUZZ_CHECK(c->mss >= 64 && c->mss <= 1460);
		FUZZ_CHECK(c->state != TCP_SYN_RCVD || flight == 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t frame[NET_FRAME_MAX + 16];
	struct fuzz_in in = { data, size };
	struct net_config cfg = {
		.ip = US_IP, .netmask = 0xffffff00u, .gateway = 0x0a0000feu,
		.name = "uk-fuzz", .boot_ns = 0, .secret = { 3, 4 },
		.tx = tx, .tx_arg = NULL,
	};
	uint64_t now = 1000000000ull;

	memcpy(cfg.mac, us_mac, 6);
	FUZZ_CHECK(net_init(&net, &cfg) == 0);
	nlast = 0;
	while (in.left > 0) {
		uint8_t op = fuzz_u8(&in);

		sent = 0;
		if ((op & 3) == 0) {
			/* up to ~16 s at a time */
			now += (uint64_t)(fuzz_u32(&in) & 0xffffff) * 1000;
			FUZZ_CHECK(net_poll(&net, now) > now);
		} else {
			size_t want = (size_t)fuzz_u8(&in) << 8 | fuzz_u8(&in);
			size_t len;
			const uint8_t *p = fuzz_bytes(&in, want % sizeof(frame),
						      &len);

			memcpy(frame, p, len);
			if (op & 4)
				fix(frame, len, op & 8);
			net_input(&net, frame, len, now);
		}
		check_conns();
		FUZZ_CHECK(net_tcp_count(&net) <= NET_TCP_CONNS);
	}
	return 0;
}
