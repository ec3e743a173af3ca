/*
 * Wire formats the stack reads and writes: big-endian loads and stores
 * byte by byte (frames sit at any alignment, and no struct overlays a
 * buffer a peer filled), and the offsets and constants of Ethernet, ARP,
 * IPv4, ICMP, UDP and TCP headers.
 */
#ifndef XUD_NET_WIRE_H
#define XUD_NET_WIRE_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Ethernet II, no 802.1Q tag, no FCS (netfront frames carry none). */
#define ETH_HLEN 14
#define ETH_MIN_FRAME 60	/* shorter frames are padded on output */
#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_ARP 0x0806

/* ARP for IPv4 over Ethernet (RFC 826). */
#define ARP_LEN 28
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

/* IPv4 (RFC 791). */
#define IP_HLEN 20		/* we send no options */
#define IP_MTU 1500
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17
#define IP_FLAG_MF 0x2000
#define IP_FRAG_OFF 0x1fff
#define IP_TTL_OUT 64

/* ICMP (RFC 792). */
#define ICMP_HLEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_UNREACH_PORT 3
#define ICMP_ECHO 8

/* UDP (RFC 768). */
#define UDP_HLEN 8

/* TCP (RFC 9293). */
#define TCP_HLEN 20
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_OPT_END 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2
#define TCP_DEFAULT_MSS 536	/* RFC 9293 3.7.1, when the SYN has none */

/* Sequence-space comparisons, modulo 2^32. */
static inline int
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline int
seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

#endif
