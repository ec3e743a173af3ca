/* ICMP (RFC 792): echo replies, and port unreachable for udp.c. */
#include <string.h>

#include "cksum.h"
#include "stack.h"
#include "wire.h"

void
icmp_input(struct net *n, const struct ip_rx *ip, uint64_t now)
{
	uint8_t *out = ip_payload(n);

	if (ip->len < ICMP_HLEN) {
		n->stats.drop[NET_DROP_ICMP]++;
		return;
	}
	if (cksum_fold(cksum_add(0, ip->data, ip->len)) != 0) {
		n->stats.drop[NET_DROP_ICMP_CKSUM]++;
		return;
	}
	if (ip->data[0] != ICMP_ECHO || ip->data[1] != 0) {
		n->stats.drop[NET_DROP_ICMP]++;
		return;
	}
	/* the same identifier, sequence number and data (RFC 792) */
	memcpy(out, ip->data, ip->len);
	out[0] = ICMP_ECHO_REPLY;
	put16(out + 2, 0);
	put16(out + 2, cksum_fold(cksum_add(0, out, ip->len)));
	n->stats.icmp_echo++;
	(void)ip_send(n, ip->src, IP_PROTO_ICMP, ip->len, now);
}

void
icmp_port_unreach(struct net *n, const struct ip_rx *ip, uint64_t now)
{
	uint8_t *out = ip_payload(n);
	/* the header and the first 8 bytes: enough to name the datagram */
	size_t dlen = ip->len < 8 ? ip->len : 8;
	size_t len = ICMP_HLEN + ip->hlen + dlen;

	out[0] = ICMP_UNREACH;
	out[1] = ICMP_UNREACH_PORT;
	memset(out + 2, 0, 6);
	memcpy(out + ICMP_HLEN, ip->hdr, ip->hlen);
	memcpy(out + ICMP_HLEN + ip->hlen, ip->data, dlen);
	put16(out + 2, cksum_fold(cksum_add(0, out, len)));
	(void)ip_send(n, ip->src, IP_PROTO_ICMP, len, now);
}
