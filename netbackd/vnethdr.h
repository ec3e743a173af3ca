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
 * Fills h for a frame from the guest with netif tx flags (NETTXF_*) and
 * GSO (XEN_NETIF_GSO_TYPE_*, NONE without). Returns 0, or -EINVAL when
 * a csum_blank frame is not one whose checksum we can place (truncated,
 * not TCP or UDP over IPv4/IPv6, or an IPv4 fragment), or a GSO frame
 * is not TCP over the IP version its type says, with its whole TCP
 * header, and csum_blank: the caller drops it.
 */
int vnethdr_from_tx(const uint8_t *frame, size_t len, uint16_t netif_flags,
		    uint8_t gso_type, uint16_t gso_size,
		    struct virtio_net_hdr *h);

/* The netif rx flags (NETRXF_*) for a frame read from the TAP with h. */
uint16_t vnethdr_rx_flags(const struct virtio_net_hdr *h);
/*
 * The netif GSO type and size for it: 0, or -EINVAL for a GSO the
 * netif protocol has no type for (UDP, ECN).
 */
int vnethdr_rx_gso(const struct virtio_net_hdr *h, uint8_t *gso_type,
		   uint16_t *gso_size);

#endif
