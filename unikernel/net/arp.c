/*
 * ARP (RFC 826) and the neighbour cache. We answer requests for our
 * address and learn only what concerns us: the sender of a request for
 * us, the answer to a request we sent, or an update of an entry we
 * already have (RFC 826's merge rule), so third parties' chatter cannot
 * fill the table. The table is NET_ARP_ENTRIES long; a new entry replaces
 * the oldest. One IP packet may wait for an answer.
 */
#include <string.h>

#include "stack.h"
#include "wire.h"

#define ARP_TTL_NS (300ull * 1000000000ull)	/* ask again after */
#define ARP_RETRY_NS (1000000000ull)		/* one request per second */

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct net_arp_entry *
arp_find(struct net *n, uint32_t ip)
{
	for (unsigned i = 0; i < NET_ARP_ENTRIES; i++)
		if (n->arp[i].state != NET_ARP_FREE && n->arp[i].ip == ip)
			return &n->arp[i];
	return NULL;
}

/* A free entry, or the one changed longest ago. */
static struct net_arp_entry *
arp_victim(struct net *n)
{
	struct net_arp_entry *v = &n->arp[0];

	for (unsigned i = 0; i < NET_ARP_ENTRIES; i++) {
		if (n->arp[i].state == NET_ARP_FREE)
			return &n->arp[i];
		if (n->arp[i].when < v->when)
			v = &n->arp[i];
	}
	return v;
}

/* Builds an ARP packet in n->out and sends it. */
static void
arp_send(struct net *n, uint16_t op, const uint8_t *eth_dst,
	 const uint8_t *tha, uint32_t tpa)
{
	uint8_t *p = n->out + ETH_HLEN;

	put16(p, 1);			/* Ethernet */
	put16(p + 2, ETH_TYPE_IPV4);
	p[4] = 6;
	p[5] = 4;
	put16(p + 6, op);
	memcpy(p + 8, n->cfg.mac, 6);
	put32(p + 14, n->cfg.ip);
	memcpy(p + 18, tha, 6);
	put32(p + 24, tpa);
	(void)eth_send(n, eth_dst, ETH_TYPE_ARP, ARP_LEN);
}

/* The held packet goes out once its next hop answers. */
static void
arp_release(struct net *n, const struct net_arp_entry *e)
{
	if (n->hold_len == 0 || n->hold_ip != e->ip)
		return;
	memcpy(n->out + ETH_HLEN, n->hold, n->hold_len);
	(void)eth_send(n, e->mac, ETH_TYPE_IPV4, n->hold_len);
	n->hold_len = 0;
}

void
arp_input(struct net *n, const uint8_t *p, size_t len, uint64_t now)
{
	struct net_arp_entry *e;
	uint16_t op;
	uint32_t spa, tpa;
	const uint8_t *sha;
	int for_us;

	if (len < ARP_LEN || get16(p) != 1 || get16(p + 2) != ETH_TYPE_IPV4 ||
	    p[4] != 6 || p[5] != 4) {
		n->stats.drop[NET_DROP_ARP]++;
		return;
	}
	op = get16(p + 6);
	sha = p + 8;
	spa = get32(p + 14);
	tpa = get32(p + 24);
	for_us = tpa == n->cfg.ip;
	if ((op != ARP_OP_REQUEST && op != ARP_OP_REPLY) ||
	    !net_peer_mac_ok(sha) || (op == ARP_OP_REPLY && !for_us) ||
	    (spa != 0 && !net_peer_ip_ok(n, spa))) {
		n->stats.drop[NET_DROP_ARP]++;
		return;
	}
	/* spa 0 is a probe (RFC 5227): answer it, learn nothing */
	if (spa != 0) {
		e = arp_find(n, spa);
		if (!e && for_us) {
			e = arp_victim(n);
			e->ip = spa;
		}
		if (e) {
			memcpy(e->mac, sha, 6);
			e->state = NET_ARP_DONE;
			e->when = now;
			arp_release(n, e);
		}
	}
	if (op == ARP_OP_REQUEST && for_us) {
		arp_send(n, ARP_OP_REPLY, sha, sha, spa);
		n->stats.arp_replies++;
	}
}

int
arp_send_ip(struct net *n, uint32_t nh, size_t len, uint64_t now)
{
	struct net_arp_entry *e = arp_find(n, nh);

	if (e && e->state == NET_ARP_DONE && now - e->when < ARP_TTL_NS)
		return eth_send(n, e->mac, ETH_TYPE_IPV4, len);
	memcpy(n->hold, n->out + ETH_HLEN, len);
	n->hold_len = (uint16_t)len;
	n->hold_ip = nh;
	if (e && e->state == NET_ARP_PENDING && now - e->when < ARP_RETRY_NS)
		return 0;
	if (!e) {
		e = arp_victim(n);
		e->ip = nh;
	}
	/* an expired entry is not used again until it is answered */
	e->state = NET_ARP_PENDING;
	e->when = now;
	arp_send(n, ARP_OP_REQUEST, bcast, (const uint8_t[6]){ 0 }, nh);
	n->stats.arp_requests++;
	return 0;
}
