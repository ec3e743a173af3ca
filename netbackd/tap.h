/*
 * The host side of a vif: a TAP device named as the kernel's netback
 * names its interface (vif<domid>.<devid>), so that vif-bridge,
 * vif-route, bridges and nftables rules find it. Frames carry a
 * virtio_net_hdr (IFF_VNET_HDR) for checksum offload; the device is
 * asked for no offloads, so what we read is complete and checksummed.
 */
#ifndef NETBACKD_TAP_H
#define NETBACKD_TAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/virtio_net.h>

/* Frames read from the TAP: header, then at most 64 KiB. */
#define TAP_HDR sizeof(struct virtio_net_hdr)

/* Creates the device with the backend MAC fe:ff:ff:ff:ff:ff; the fd is
 * non-blocking and close-on-exec. Returns the fd or -errno. */
int tap_open(const char *name);
/* One frame; 0 or -errno. */
int tap_write(int fd, const struct virtio_net_hdr *h, const void *frame,
	      size_t len);

#endif
