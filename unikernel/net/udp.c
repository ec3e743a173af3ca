/*
 * UDP (RFC 768) and the echo service on port 7 (RFC 862). Datagrams from
 * ports below 1024 get no echo: an echo or chargen service there would
 * bounce datagrams with us for ever. Other ports answer port unreachable.
 */
#include <string.h>

#include "cksum.h"
#include "stack.h"
#include "wire.h"

#define UDP_ECHO_PORT 7

void
udp_input(struct net *n, const struct ip_rx *ip, uint64_t now)
{
	uint8_t *out = ip_payload(n);
	uint16_t sport, dport, ulen, sum;

	if (ip->len < UDP_HLEN) {
		n->stats.drop[NET_DROP_UDP]++;
		return;
	}
	sport = get16(ip->data);
	dport = get16(ip->data + 2);
	ulen = get16(ip->data + 4);
	if (ulen < UDP_HLEN || ulen > ip->len || sport == 0) {
		n->stats.drop[NET_DROP_UDP]++;
		return;
	}
	/* a zero checksum means the sender computed none (RFC 768) */
	if (get16(ip->data + 6) != 0 &&
	    cksum_fold(cksum_add(cksum_pseudo(ip->src, ip->dst, IP_PROTO_UDP,
					      ulen), ip->data, ulen)) != 0) {
		n->stats.drop[NET_DROP_UDP_CKSUM]++;
		return;
	}
	if (dport != UDP_ECHO_PORT) {
		icmp_port_unreach(n, ip, now);
		return;
	}
	if (sport < 1024) {
		n->stats.drop[NET_DROP_UDP]++;
		return;
	}
	put16(out, dport);
	put16(out + 2, sport);
	put16(out + 4, ulen);
	put16(out + 6, 0);
	memcpy(out + UDP_HLEN, ip->data + UDP_HLEN, ulen - UDP_HLEN);
	sum = cksum_fold(cksum_add(cksum_pseudo(n->cfg.ip, ip->src,
						IP_PROTO_UDP, ulen), out, ulen));
	/* 0 would mean "no checksum": send its other form (RFC 768) */
	put16(out + 6, sum ? sum : 0xffff);
	n->stats.udp_echo++;
	(void)ip_send(n, ip->src, IP_PROTO_UDP, ulen, now);
}
