/*
 * IPv4 input (RFC 791, RFC 1122 3.2.1): version, header length, total
 * length against the frame, header checksum, TTL, addresses; fragments
 * are dropped (nothing we serve needs them, and reassembly is memory a
 * peer could hold). Options are skipped: we route nothing.
 */
#include "cksum.h"
#include "stack.h"
#include "wire.h"

void
ipv4_input(struct net *n, const uint8_t *p, size_t len, uint64_t now)
{
	struct ip_rx ip;
	size_t tot;

	if (len < IP_HLEN || p[0] >> 4 != 4 || (p[0] & 0xf) < 5) {
		n->stats.drop[NET_DROP_IP_HDR]++;
		return;
	}
	ip.hlen = (size_t)(p[0] & 0xf) * 4;
	tot = get16(p + 2);
	/* the frame may carry Ethernet padding after the packet */
	if (tot < ip.hlen || tot > len) {
		n->stats.drop[NET_DROP_IP_HDR]++;
		return;
	}
	if (cksum_fold(cksum_add(0, p, ip.hlen)) != 0) {
		n->stats.drop[NET_DROP_IP_CKSUM]++;
		return;
	}
	if (get16(p + 6) & (IP_FLAG_MF | IP_FRAG_OFF)) {
		n->stats.drop[NET_DROP_IP_FRAG]++;
		return;
	}
	if (p[8] == 0) {
		n->stats.drop[NET_DROP_IP_TTL]++;
		return;
	}
	ip.src = get32(p + 12);
	ip.dst = get32(p + 16);
	if (ip.dst != n->cfg.ip || !net_peer_ip_ok(n, ip.src)) {
		n->stats.drop[NET_DROP_IP_ADDR]++;
		return;
	}
	ip.hdr = p;
	ip.data = p + ip.hlen;
	ip.len = tot - ip.hlen;
	switch (p[9]) {
	case IP_PROTO_ICMP:
		icmp_input(n, &ip, now);
		break;
	case IP_PROTO_UDP:
		udp_input(n, &ip, now);
		break;
	case IP_PROTO_TCP:
		tcp_input(n, &ip, now);
		break;
	default:
		n->stats.drop[NET_DROP_IP_PROTO]++;
		break;
	}
}
