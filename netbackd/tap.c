/* TAP devices for vifs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <linux/if_tun.h>

#include "tap.h"

static int
tap_attach(const char *name, short flags)
{
	/* The kernel netback's MAC: a bridge never takes it for its own. */
	static const unsigned char mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff,
	    0xff };
	struct ifreq ifr;
	int fd, err;

	if (strlen(name) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | flags;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 ||
	    ioctl(fd, TUNSETOFFLOAD, 0UL) < 0 ||
	    ioctl(fd, TUNSETPERSIST, 1UL) < 0)
		goto fail;
	/* A device we left behind has it already, and may be up. */
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		goto fail;
	if (memcmp(ifr.ifr_hwaddr.sa_data, mac, sizeof(mac)) != 0) {
		memset(&ifr.ifr_hwaddr, 0, sizeof(ifr.ifr_hwaddr));
		ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
		memcpy(ifr.ifr_hwaddr.sa_data, mac, sizeof(mac));
		if (ioctl(fd, SIOCSIFHWADDR, &ifr) < 0)
			goto fail;
	}
	return fd;
fail:
	err = -errno;
	close(fd);
	return err;
}

int
tap_open(const char *name)
{
	/* Multi-queue: each of a vif's queues opens its own fd on it. */
	return tap_attach(name, IFF_MULTI_QUEUE);
}

void
tap_close(int fd, int drop)
{
	if (fd < 0)
		return;
	if (drop)
		ioctl(fd, TUNSETPERSIST, 0UL);
	close(fd);
}

int
tap_drop(const char *name)
{
	int fd = tap_open(name);

	/* one from an older netbackd, not multi-queue: TUNSETIFF refuses
	   the flag it was not created with */
	if (fd == -EINVAL)
		fd = tap_attach(name, 0);

	if (fd < 0)
		return fd;
	tap_close(fd, 1);
	return 0;
}

int
tap_offload(int fd, unsigned tun_flags)
{
	return ioctl(fd, TUNSETOFFLOAD, (unsigned long)tun_flags) < 0 ?
	    -errno : 0;
}

int
tap_write(int fd, const struct virtio_net_hdr *h, const void *frame,
	  size_t len)
{
	struct iovec iov[2] = {
		{ (void *)(uintptr_t)h, sizeof(*h) },
		{ (void *)(uintptr_t)frame, len },
	};
	ssize_t n = writev(fd, iov, 2);

	if (n < 0)
		return -errno;
	return (size_t)n == sizeof(*h) + len ? 0 : -EIO;
}
