/* netif checksum flags <-> virtio_net_hdr, by parsing the frame once. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/io/netif.h>

#include "vnethdr.h"

#define ETH_HLEN_ 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define PROTO_TCP 6
#define PROTO_UDP 17

static unsigned
be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/*
 * The L4 header's offset and protocol, or -EINVAL. IPv6 extension
 * headers are not walked: Linux's netfront only marks TCP and UDP
 * packets whose transport header follows the fixed header.
 */
static int
l4_of(const uint8_t *f, size_t len, size_t *off, unsigned *proto, int *v6)
{
	size_t l3 = ETH_HLEN_;
	unsigned type;

	if (len < ETH_HLEN_)
		return -EINVAL;
	type = be16(f + 12);
	if (type == ETHERTYPE_VLAN) {
		if (len < ETH_HLEN_ + 4)
			return -EINVAL;
		type = be16(f + 16);
		l3 += 4;
	}
	if (type == ETHERTYPE_IPV4) {
		size_t ihl;

		if (len < l3 + 20 || f[l3] >> 4 != 4)
			return -EINVAL;
		ihl = (size_t)(f[l3] & 0xf) * 4;
		/* a fragment after the first has no L4 header */
		if (ihl < 20 || len < l3 + ihl || (be16(f + l3 + 6) & 0x1fff))
			return -EINVAL;
		*proto = f[l3 + 9];
		*off = l3 + ihl;
		*v6 = 0;
		return 0;
	}
	if (type == ETHERTYPE_IPV6) {
		if (len < l3 + 40 || f[l3] >> 4 != 6)
			return -EINVAL;
		*proto = f[l3 + 6];
		*off = l3 + 40;
		*v6 = 1;
		return 0;
	}
	return -EINVAL;
}

int
vnethdr_from_tx(const uint8_t *frame, size_t len, uint16_t netif_flags,
		uint8_t gso_type, uint16_t gso_size, struct virtio_net_hdr *h)
{
	size_t off, thl;
	unsigned proto, csum_at;
	int v6;

	memset(h, 0, sizeof(*h));
	h->gso_type = VIRTIO_NET_HDR_GSO_NONE;
	if (gso_type != XEN_NETIF_GSO_TYPE_NONE &&
	    !(netif_flags & NETTXF_csum_blank))
		return -EINVAL;	/* a segmented frame's sums are ours */
	if (!(netif_flags & NETTXF_csum_blank)) {
		if (netif_flags & NETTXF_data_validated)
			h->flags = VIRTIO_NET_HDR_F_DATA_VALID;
		return 0;
	}
	if (l4_of(frame, len, &off, &proto, &v6) < 0)
		return -EINVAL;
	if (proto == PROTO_TCP)
		csum_at = 16;
	else if (proto == PROTO_UDP)
		csum_at = 6;
	else
		return -EINVAL;
	if (off + csum_at + 2 > len)
		return -EINVAL;
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->csum_start = (uint16_t)off;
	h->csum_offset = (uint16_t)csum_at;
	if (gso_type == XEN_NETIF_GSO_TYPE_NONE)
		return 0;
	if (proto != PROTO_TCP || !gso_size ||
	    gso_type != (v6 ? XEN_NETIF_GSO_TYPE_TCPV6 :
	    XEN_NETIF_GSO_TYPE_TCPV4))
		return -EINVAL;
	thl = (size_t)(frame[off + 12] >> 4) * 4;
	if (thl < 20 || off + thl > len)
		return -EINVAL;
	h->gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
	h->gso_size = gso_size;
	h->hdr_len = (uint16_t)(off + thl);
	return 0;
}

uint16_t
vnethdr_rx_flags(const struct virtio_net_hdr *h)
{
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		return NETRXF_csum_blank | NETRXF_data_validated;
	if (h->flags & VIRTIO_NET_HDR_F_DATA_VALID)
		return NETRXF_data_validated;
	return 0;
}

int
vnethdr_rx_gso(const struct virtio_net_hdr *h, uint8_t *gso_type,
	       uint16_t *gso_size)
{
	*gso_size = 0;
	switch (h->gso_type) {
	case VIRTIO_NET_HDR_GSO_NONE:
		*gso_type = XEN_NETIF_GSO_TYPE_NONE;
		return 0;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		*gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		*gso_type = XEN_NETIF_GSO_TYPE_TCPV6;
		break;
	default:
		return -EINVAL;
	}
	if (h->gso_size == 0)
		return -EINVAL;
	*gso_size = h->gso_size;
	return 0;
}
