/*
 * The stack's entry points: setup, received frames (Ethernet checks, then
 * ARP or IPv4), timers, and the parser for the address the caller reads
 * from its command line or xenstore.
 */
#include <errno.h>
#include <string.h>

#include "stack.h"
#include "wire.h"

int
net_init(struct net *n, const struct net_config *cfg)
{
	size_t nlen;

	memset(n, 0, sizeof(*n));
	if (!cfg->tx || !net_peer_mac_ok(cfg->mac))
		return -EINVAL;
	n->cfg = *cfg;
	/* our own address must pass what we ask of a peer's */
	n->cfg.ip = ~cfg->ip;
	if (!net_peer_ip_ok(n, cfg->ip))
		return -EINVAL;
	n->cfg.ip = cfg->ip;
	nlen = cfg->name ? strnlen(cfg->name, NET_NAME_MAX - 1) : 0;
	memcpy(n->name, cfg->name ? cfg->name : "", nlen);
	n->name[nlen] = '\0';
	n->cfg.name = n->name;
	return 0;
}

void
net_input(struct net *n, const void *frame, size_t len, uint64_t now)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const uint8_t *f = frame;
	int to_us, to_all;

	n->stats.rx++;
	if (len < ETH_HLEN || len > NET_FRAME_MAX || !net_peer_mac_ok(f + 6)) {
		n->stats.drop[NET_DROP_ETH]++;
		return;
	}
	to_us = memcmp(f, n->cfg.mac, 6) == 0;
	to_all = memcmp(f, bcast, 6) == 0;
	switch (get16(f + 12)) {
	case ETH_TYPE_ARP:
		if (to_us || to_all)
			arp_input(n, f + ETH_HLEN, len - ETH_HLEN, now);
		else
			n->stats.drop[NET_DROP_ETH_DST]++;
		break;
	case ETH_TYPE_IPV4:
		if (to_us)
			ipv4_input(n, f + ETH_HLEN, len - ETH_HLEN, now);
		else
			n->stats.drop[NET_DROP_ETH_DST]++;
		break;
	default:
		n->stats.drop[NET_DROP_ETH_TYPE]++;
		break;
	}
}

uint64_t
net_poll(struct net *n, uint64_t now)
{
	return tcp_poll(n, now);
}

int
net_parse_ip4(const char *s, size_t len, uint32_t *ip)
{
	uint32_t v = 0;
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		uint32_t b = 0;
		size_t start = i;

		if (part > 0) {
			if (i >= len || s[i] != '.')
				return -EINVAL;
			start = ++i;
		}
		while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 3)
			b = b * 10 + (uint32_t)(s[i++] - '0');
		/* no empty part, no leading zero (it reads as octal elsewhere) */
		if (i == start || b > 255 || (s[start] == '0' && i - start > 1))
			return -EINVAL;
		v = v << 8 | b;
	}
	if (i != len)
		return -EINVAL;
	*ip = v;
	return 0;
}
