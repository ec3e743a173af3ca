/* IPv4 output: our header (no options, DF, no fragments), the next hop. */
#include "cksum.h"
#include "stack.h"
#include "wire.h"

uint8_t *
ip_payload(struct net *n)
{
	return n->out + ETH_HLEN + IP_HLEN;
}

int
ip_send(struct net *n, uint32_t dst, uint8_t proto, size_t len, uint64_t now)
{
	uint8_t *h = n->out + ETH_HLEN;
	uint32_t m = n->cfg.netmask, nh = dst;

	if (len > NET_IP_MAX - IP_HLEN)
		return -1;
	h[0] = 0x45;
	h[1] = 0;
	put16(h + 2, (uint16_t)(IP_HLEN + len));
	put16(h + 4, 0);		/* ID: unused with DF (RFC 6864) */
	put16(h + 6, 0x4000);		/* DF */
	h[8] = IP_TTL_OUT;
	h[9] = proto;
	put16(h + 10, 0);
	put32(h + 12, n->cfg.ip);
	put32(h + 16, dst);
	put16(h + 10, cksum_fold(cksum_add(0, h, IP_HLEN)));
	if (m && n->cfg.gateway && (dst & m) != (n->cfg.ip & m))
		nh = n->cfg.gateway;
	return arp_send_ip(n, nh, IP_HLEN + len, now);
}
