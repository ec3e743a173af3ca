/*
 * Between a netif packet's flags and the virtio_net_hdr that a TAP
 * device with IFF_VNET_HDR takes and gives, free of I/O. A guest's
 * NETTXF_csum_blank packet carries a partial checksum: the kernel
 * finishes it once it knows where the L4 header starts, which means
 * parsing the frame the guest wrote (Ethernet, an optional VLAN tag,
 * IPv4 or IPv6, TCP or UDP). The frame is already in our memory.
 */
#ifndef NETBACKD_VNETHDR_H
#define NETBACKD_VNETHDR_H

#include <stddef.h>
#include <stdint.h>
#include <linux/virtio_net.h>

/*
 * Fills h for a frame from the guest with netif tx flags (NETTXF_*).
 * Returns 0, or -EINVAL when a csum_blank frame is not one whose
 * checksum we can place (truncated, not TCP or UDP over IPv4/IPv6,
 * or an IPv4 fragment): the caller drops it.
 */
int vnethdr_from_tx(const uint8_t *frame, size_t len, uint16_t netif_flags,
		    struct virtio_net_hdr *h);

/* The netif rx flags (NETRXF_*) for a frame read from the TAP with h. */
uint16_t vnethdr_rx_flags(const struct virtio_net_hdr *h);

#endif
