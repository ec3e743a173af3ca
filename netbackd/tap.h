/*
 * The host side of a vif: a TAP device named as the kernel's netback
 * names its interface (vif<domid>.<devid>), so that vif-bridge,
 * vif-route, bridges and nftables rules find it. Frames carry a
 * virtio_net_hdr (IFF_VNET_HDR) for checksum offload and GSO; what the
 * device hands us depends on what the frontend takes (tap_offload).
 */
#ifndef NETBACKD_TAP_H
#define NETBACKD_TAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/virtio_net.h>

/* Frames read from the TAP: header, then at most 64 KiB. */
#define TAP_HDR sizeof(struct virtio_net_hdr)

/*
 * Creates the device with the backend MAC fe:ff:ff:ff:ff:ff, or attaches
 * to the one a previous netbackd left; the fd is non-blocking and
 * close-on-exec. The device is persistent: it outlives the fd, with
 * its bridge port, addresses and rules, so that a restarted netbackd
 * finds it as the hotplug script left it. The device is multi-queue:
 * opening it again adds a queue, whose frames (as the kernel steers
 * flows) come on the new fd. Returns the fd or -errno.
 */
int tap_open(const char *name);
/* Closes fd, and with it the device when drop (the vif is gone). */
void tap_close(int fd, int drop);
/* Removes a device left persistent by tap_open; 0 or -errno. */
int tap_drop(const char *name);
/*
 * What the device may hand us: TUN_F_* bits (checksums left partial,
 * TSO); 0, the default, means complete frames only. 0 or -errno.
 */
int tap_offload(int fd, unsigned tun_flags);
/* One frame; 0 or -errno. */
int tap_write(int fd, const struct virtio_net_hdr *h, const void *frame,
	      size_t len);

#endif
