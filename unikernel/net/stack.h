/*
 * What each file of the stack offers the others. Frames go up from net.c
 * (net -> arp or ipv4 -> icmp, udp or tcp_in) and answers go down
 * (tcp_out, udp, icmp -> ip_out -> arp -> eth -> the caller's tx). A
 * handler calls only the layers below it and the pure http.c; nothing
 * calls back up, so there is no cycle between files.
 */
#ifndef XUD_NET_STACK_H
#define XUD_NET_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"
#include "wire.h"

/*
 * Whether a peer may have this address: not ours, not 0.0.0.0/8,
 * loopback, multicast, reserved or a broadcast. We answer no other.
 */
static inline int
net_peer_ip_ok(const struct net *n, uint32_t ip)
{
	uint32_t m = n->cfg.netmask;

	if (ip == n->cfg.ip || ip >> 24 == 0 || ip >> 24 == 127 ||
	    ip >= 0xe0000000u)
		return 0;
	if (m && m != 0xffffffffu && (ip & ~m) == ~m)
		return 0;
	return 1;
}

/* A MAC a single host may have: not multicast/broadcast, not zero. */
static inline int
net_peer_mac_ok(const uint8_t *mac)
{
	return !(mac[0] & 1) &&
	    (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) != 0;
}

/* eth.c: sends n->out, whose payload (len bytes) follows the header. */
int eth_send(struct net *n, const uint8_t dst[6], uint16_t type, size_t len);

/* arp.c */
void arp_input(struct net *n, const uint8_t *p, size_t len, uint64_t now);
/*
 * Sends the IPv4 packet of len bytes at n->out + ETH_HLEN to the next hop
 * nh. Without nh's MAC it asks for it, holds the packet (one, the latest)
 * and sends it when the answer comes.
 */
int arp_send_ip(struct net *n, uint32_t nh, size_t len, uint64_t now);

/* ip_out.c: the transport writes its header and data here, then sends. */
uint8_t *ip_payload(struct net *n);
int ip_send(struct net *n, uint32_t dst, uint8_t proto, size_t len,
	    uint64_t now);

/* A received IPv4 packet, validated by ipv4.c. */
struct ip_rx {
	uint32_t src, dst;
	const uint8_t *hdr;	/* the IP header, hlen bytes */
	size_t hlen;
	const uint8_t *data;	/* the payload, len bytes */
	size_t len;
};

/* ipv4.c: a packet received in an Ethernet frame for us. */
void ipv4_input(struct net *n, const uint8_t *p, size_t len, uint64_t now);

/* icmp.c */
void icmp_input(struct net *n, const struct ip_rx *ip, uint64_t now);
/* Port unreachable for a datagram we received (RFC 1122 4.1.3.1). */
void icmp_port_unreach(struct net *n, const struct ip_rx *ip, uint64_t now);

/* udp.c */
void udp_input(struct net *n, const struct ip_rx *ip, uint64_t now);

/* http.c: pure, see http.h. */

/* Our port, the MSS we announce and accept at most, limits. */
#define TCP_PORT 80
#define TCP_MSS_MAX (NET_IP_MAX - IP_HLEN - TCP_HLEN)
#define TCP_MSS_MIN 64		/* a peer's smaller MSS is raised to this */
#define TCP_RTO_INIT_NS 1000000000ull	/* RFC 6298 2.1 */

/* Our receive window: the room in rx, all of it once we stop reading. */
static inline uint32_t
tcp_rcv_wnd(const struct net_tcp_conn *c)
{
	return c->responded ? NET_TCP_RXBUF : NET_TCP_RXBUF - c->rx_len;
}

/* tcp_table.c */
struct net_tcp_conn *tcp_find(struct net *n, uint32_t rip, uint16_t rport);
struct net_tcp_conn *tcp_alloc(struct net *n);
void tcp_free(struct net *n, struct net_tcp_conn *c);
uint32_t tcp_isn(const struct net *n, uint32_t rip, uint16_t rport,
		 uint64_t now);

/* tcp_out.c */
/* A segment from us; data is len bytes (may be NULL when len is 0). */
int tcp_send(struct net *n, const struct net_tcp_conn *c, uint32_t seq,
	     uint8_t flags, const uint8_t *data, size_t len, uint64_t now);
/* RST answering a segment that has no connection (RFC 9293 3.10.7.1). */
void tcp_send_rst(struct net *n, const struct ip_rx *ip, uint16_t sport,
		  uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
		  size_t seglen, uint64_t now);
/* Sends what tx and the peer's window allow, then FIN if queued. */
void tcp_output(struct net *n, struct net_tcp_conn *c, uint64_t now);
/* Sends the oldest unacknowledged segment again (or SYN-ACK). */
void tcp_retransmit(struct net *n, struct net_tcp_conn *c, uint64_t now);
void tcp_arm(struct net_tcp_conn *c, uint64_t now);

/* tcp_in.c */
void tcp_input(struct net *n, const struct ip_rx *ip, uint64_t now);

/* tcp_timer.c */
uint64_t tcp_poll(struct net *n, uint64_t now);

#endif
