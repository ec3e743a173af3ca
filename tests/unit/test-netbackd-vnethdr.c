/*
 * netbackd/vnethdr.c: where a guest's csum_blank frame gets its checksum
 * finished (csum_start/csum_offset), and which frames are refused.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/io/netif.h>

#include "check.h"
#include "vnethdr.h"

/* no GSO */
#define G0 XEN_NETIF_GSO_TYPE_NONE, 0

static uint8_t f[256];

/* Ethernet (optionally VLAN-tagged) then an IP header; returns the
 * offset of the IP header. */
static size_t
eth(unsigned type, int vlan)
{
	size_t o = 12;

	memset(f, 0, sizeof(f));
	if (vlan) {
		f[o++] = 0x81, f[o++] = 0x00, f[o++] = 0, f[o++] = 5;
	}
	f[o++] = (uint8_t)(type >> 8);
	f[o++] = (uint8_t)type;
	return o;
}

static size_t
ipv4(int vlan, unsigned ihl_words, unsigned proto)
{
	size_t l3 = eth(0x0800, vlan);

	f[l3] = (uint8_t)(0x40 | ihl_words);
	f[l3 + 9] = (uint8_t)proto;
	return l3;
}

static void
test_plain(void)
{
	struct virtio_net_hdr h;

	memset(&h, 0xaa, sizeof(h));
	CHECK_EQ(vnethdr_from_tx(f, 60, 0, G0, &h), 0);
	CHECK_EQ(h.flags, 0);
	CHECK_EQ(h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	CHECK_EQ(h.csum_start, 0);
	CHECK_EQ(vnethdr_from_tx(f, 60, NETTXF_data_validated, G0, &h), 0);
	CHECK_EQ(h.flags, VIRTIO_NET_HDR_F_DATA_VALID);
	/* nothing is parsed without csum_blank: even garbage passes */
	CHECK_EQ(vnethdr_from_tx(f, 3, 0, G0, &h), 0);
}

static void
test_csum_places(void)
{
	struct virtio_net_hdr h;
	const uint16_t cb = NETTXF_csum_blank | NETTXF_data_validated;
	size_t l3;

	l3 = ipv4(0, 5, 6);	/* TCP */
	CHECK_EQ(vnethdr_from_tx(f, 100, cb, G0, &h), 0);
	CHECK_EQ(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CHECK_EQ(h.csum_start, l3 + 20);
	CHECK_EQ(h.csum_offset, 16);

	l3 = ipv4(0, 6, 17);	/* UDP after 4 bytes of IP options */
	CHECK_EQ(vnethdr_from_tx(f, 100, cb, G0, &h), 0);
	CHECK_EQ(h.csum_start, l3 + 24);
	CHECK_EQ(h.csum_offset, 6);

	l3 = ipv4(1, 5, 17);	/* VLAN-tagged UDP */
	CHECK_EQ(l3, 18);
	CHECK_EQ(vnethdr_from_tx(f, 100, cb, G0, &h), 0);
	CHECK_EQ(h.csum_start, 38);
	CHECK_EQ(h.csum_offset, 6);

	l3 = eth(0x86dd, 0);	/* IPv6 TCP */
	f[l3] = 0x60;
	f[l3 + 6] = 6;
	CHECK_EQ(vnethdr_from_tx(f, 100, cb, G0, &h), 0);
	CHECK_EQ(h.csum_start, 54);
	CHECK_EQ(h.csum_offset, 16);
}

static void
test_csum_refused(void)
{
	struct virtio_net_hdr h;
	const uint16_t cb = NETTXF_csum_blank;
	size_t l3;

	CHECK_EQ(vnethdr_from_tx(f, 13, cb, G0, &h), -EINVAL);
	l3 = ipv4(0, 5, 1);	/* ICMP: not ours to place */
	CHECK_EQ(vnethdr_from_tx(f, 100, cb, G0, &h), -EINVAL);
	l3 = ipv4(0, 5, 6);
	/* the TCP checksum field must be inside the frame */
	CHECK_EQ(vnethdr_from_tx(f, l3 + 20 + 17, cb, G0, &h), -EINVAL);
	CHECK_EQ(vnethdr_from_tx(f, l3 + 20 + 18, cb, G0, &h), 0);
	/* a truncated IPv4 header; an ihl below 5; a wrong version */
	CHECK_EQ(vnethdr_from_tx(f, l3 + 19, cb, G0, &h), -EINVAL);
	f[l3] = 0x44;
	CHECK_EQ(vnethdr_from_tx(f, 100, cb, G0, &h), -EINVAL);
	f[l3] = 0x65;
	CHECK_EQ(vnethdr_from_tx(f, 100, cb, G0, &h), -EINVAL);
	/* a later fragment has no TCP header */
	l3 = ipv4(0, 5, 6);
	f[l3 + 7] = 1;
	CHECK_EQ(vnethdr_from_tx(f, 100, cb, G0, &h), -EINVAL);
	/* IPv6 truncated; neither IPv4 nor IPv6 */
	l3 = eth(0x86dd, 0);
	f[l3] = 0x60;
	f[l3 + 6] = 17;
	CHECK_EQ(vnethdr_from_tx(f, l3 + 39, cb, G0, &h), -EINVAL);
	eth(0x0806, 0);
	CHECK_EQ(vnethdr_from_tx(f, 100, cb, G0, &h), -EINVAL);
	/* a VLAN tag cut short */
	eth(0x8100, 0);
	CHECK_EQ(vnethdr_from_tx(f, 16, cb, G0, &h), -EINVAL);
}

static void
test_gso(void)
{
	struct virtio_net_hdr h;
	const uint16_t cb = NETTXF_csum_blank | NETTXF_data_validated;
	size_t l3;

	l3 = ipv4(0, 5, 6);
	f[l3 + 20 + 12] = 8 << 4;	/* 32-byte TCP header */
	CHECK_EQ(vnethdr_from_tx(f, 200, cb, XEN_NETIF_GSO_TYPE_TCPV4, 1448,
	    &h), 0);
	CHECK_EQ(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	CHECK_EQ(h.gso_size, 1448);
	CHECK_EQ(h.hdr_len, l3 + 20 + 32);
	CHECK_EQ(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CHECK_EQ(h.csum_start, l3 + 20);
	/* the TCP header must be whole */
	CHECK_EQ(vnethdr_from_tx(f, l3 + 20 + 31, cb,
	    XEN_NETIF_GSO_TYPE_TCPV4, 1448, &h), -EINVAL);
	/* the type must match the IP version; TCP only; size > 0 */
	CHECK_EQ(vnethdr_from_tx(f, 200, cb, XEN_NETIF_GSO_TYPE_TCPV6, 1448,
	    &h), -EINVAL);
	CHECK_EQ(vnethdr_from_tx(f, 200, cb, XEN_NETIF_GSO_TYPE_TCPV4, 0,
	    &h), -EINVAL);
	/* a data offset below 5 words */
	f[l3 + 20 + 12] = 4 << 4;
	CHECK_EQ(vnethdr_from_tx(f, 200, cb, XEN_NETIF_GSO_TYPE_TCPV4, 1448,
	    &h), -EINVAL);
	/* GSO without csum_blank: the segments' sums cannot be made */
	f[l3 + 20 + 12] = 5 << 4;
	CHECK_EQ(vnethdr_from_tx(f, 200, NETTXF_data_validated,
	    XEN_NETIF_GSO_TYPE_TCPV4, 1448, &h), -EINVAL);
	ipv4(0, 5, 17);
	CHECK_EQ(vnethdr_from_tx(f, 200, cb, XEN_NETIF_GSO_TYPE_TCPV4, 1448,
	    &h), -EINVAL);
	l3 = eth(0x86dd, 0);
	f[l3] = 0x60;
	f[l3 + 6] = 6;
	f[l3 + 40 + 12] = 5 << 4;
	CHECK_EQ(vnethdr_from_tx(f, 200, cb, XEN_NETIF_GSO_TYPE_TCPV6, 1428,
	    &h), 0);
	CHECK_EQ(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV6);
	CHECK_EQ(h.hdr_len, 54 + 20);
}

static void
test_rx_gso(void)
{
	struct virtio_net_hdr h = { 0 };
	uint8_t t = 99;
	uint16_t sz = 99;

	h.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	CHECK_EQ(vnethdr_rx_gso(&h, &t, &sz), 0);
	CHECK_EQ(t, XEN_NETIF_GSO_TYPE_NONE);
	CHECK_EQ(sz, 0);
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	h.gso_size = 1448;
	CHECK_EQ(vnethdr_rx_gso(&h, &t, &sz), 0);
	CHECK_EQ(t, XEN_NETIF_GSO_TYPE_TCPV4);
	CHECK_EQ(sz, 1448);
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	CHECK_EQ(vnethdr_rx_gso(&h, &t, &sz), 0);
	CHECK_EQ(t, XEN_NETIF_GSO_TYPE_TCPV6);
	h.gso_size = 0;
	CHECK_EQ(vnethdr_rx_gso(&h, &t, &sz), -EINVAL);
	h.gso_size = 1448;
	h.gso_type = VIRTIO_NET_HDR_GSO_UDP;
	CHECK_EQ(vnethdr_rx_gso(&h, &t, &sz), -EINVAL);
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN;
	CHECK_EQ(vnethdr_rx_gso(&h, &t, &sz), -EINVAL);
}

static void
test_rx_flags(void)
{
	struct virtio_net_hdr h = { 0 };

	CHECK_EQ(vnethdr_rx_flags(&h), 0);
	h.flags = VIRTIO_NET_HDR_F_DATA_VALID;
	CHECK_EQ(vnethdr_rx_flags(&h), NETRXF_data_validated);
	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	CHECK_EQ(vnethdr_rx_flags(&h),
	    NETRXF_csum_blank | NETRXF_data_validated);
}

int
main(void)
{
	test_plain();
	test_csum_places();
	test_csum_refused();
	test_gso();
	test_rx_gso();
	test_rx_flags();
	return CHECK_DONE();
}
