/*
 * netbackd/tap.c on a real TAP device, in a network namespace of its
 * own (skipped, exit 77, where that or /dev/net/tun is not available):
 * the device gets the backend MAC, outlives its fd (a restarted
 * netbackd finds it, with its state), is attached to again, and is
 * removed by tap_close(.., 1) and tap_drop (also one that is not
 * multi-queue); a second tap_open adds a queue; frames written go out
 * with their virtio_net_hdr taken off.
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <arpa/inet.h>

#include "check.h"
#include "tap.h"

#define NAME "vif7.3"

static int
exists(void)
{
	return if_nametoindex(NAME) != 0;
}

/* (sysfs shows the namespace it was mounted in: ask the kernel) */
static int
mac_is_backend(void)
{
	static const unsigned char want[6] = { 0xfe, 0xff, 0xff, 0xff,
	    0xff, 0xff };
	struct ifreq ifr;
	int s = socket(AF_UNIX, SOCK_DGRAM, 0), r;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", NAME);
	r = ioctl(s, SIOCGIFHWADDR, &ifr);
	close(s);
	return r == 0 && memcmp(ifr.ifr_hwaddr.sa_data, want, 6) == 0;
}

/* Brings the device up, as a bridge port would be. */
static int
set_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_UNIX, SOCK_DGRAM, 0), r;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", NAME);
	r = ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (r == 0)
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	close(s);
	return r;
}

int
main(void)
{
	struct virtio_net_hdr h = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };
	uint8_t frame[60], got[128];
	int fd, ps;
	ssize_t n;

	if (unshare(CLONE_NEWNET) < 0 || access("/dev/net/tun", R_OK | W_OK)) {
		fprintf(stderr, "skipped: no network namespace or tun\n");
		return 77;
	}
	fd = tap_open(NAME);
	CHECK(fd >= 0);
	if (fd < 0)
		return CHECK_DONE();
	CHECK(exists());
	CHECK(mac_is_backend());
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	/* nothing to read: non-blocking (asked while the device is down:
	   once up, the kernel's own IPv6 frames may be there to read) */
	CHECK_EQ(read(fd, got, sizeof(got)), -1);
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(set_up(), 0);

	/* a frame written goes out of the device without its header */
	ps = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	CHECK(ps >= 0);
	if (ps >= 0) {
		struct sockaddr_ll sll = { .sll_family = AF_PACKET,
		    .sll_protocol = htons(ETH_P_ALL),
		    .sll_ifindex = (int)if_nametoindex(NAME) };

		struct timeval tv = { 5, 0 };

		CHECK_EQ(bind(ps, (struct sockaddr *)&sll, sizeof(sll)), 0);
		/* a wait for the frame, bounded; not a sleep */
		setsockopt(ps, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	memset(frame, 0xee, sizeof(frame));
	frame[12] = 0x88, frame[13] = 0xb5;	/* local experimental type */
	CHECK_EQ(tap_write(fd, &h, frame, sizeof(frame)), 0);
	/* the kernel's own frames (IPv6 neighbour discovery, now that the
	   device is up) may come first: ours has its own EtherType */
	for (int k = 0; k < 100; k++) {
		n = ps >= 0 ? recv(ps, got, sizeof(got), 0) : -1;
		if (n < 14 || (got[12] == 0x88 && got[13] == 0xb5))
			break;
	}
	CHECK_EQ(n, sizeof(frame));
	CHECK(n == sizeof(frame) && memcmp(got, frame, sizeof(frame)) == 0);
	if (ps >= 0)
		close(ps);

	/* offloads: what the frontend takes; nonsense is refused */
	CHECK_EQ(tap_offload(fd, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6), 0);
	CHECK_EQ(tap_offload(fd, 0), 0);
	CHECK_EQ(tap_offload(fd, 1u << 30), -EINVAL);

	/* netbackd stops: the device stays, up, as it was */
	tap_close(fd, 0);
	CHECK(exists());
	/* a restarted netbackd attaches to it, and keeps its state */
	fd = tap_open(NAME);
	CHECK(fd >= 0);
	CHECK(mac_is_backend());
	CHECK(if_nametoindex(NAME) != 0);
	/* a vif's second queue: another fd on the same (multi-queue)
	   device, which a write goes out through too */
	{
		int fd2 = tap_open(NAME);

		CHECK(fd2 >= 0);
		CHECK(fd2 != fd);
		CHECK_EQ(tap_write(fd2, &h, frame, sizeof(frame)), 0);
		tap_close(fd2, 0);
		CHECK(exists());
	}
	/* the vif is gone: so is the device */
	tap_close(fd, 1);
	CHECK(!exists());

	/* one a netbackd before multi-queue left is removed by name */
	{
		struct ifreq ifr;

		fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", NAME);
		CHECK_EQ(ioctl(fd, TUNSETIFF, &ifr), 0);
		CHECK_EQ(ioctl(fd, TUNSETPERSIST, 1UL), 0);
		close(fd);
		CHECK(exists());
		CHECK_EQ(tap_open(NAME), -EINVAL);
		CHECK_EQ(tap_drop(NAME), 0);
		CHECK(!exists());
	}

	/* a stale one left behind is removed by name */
	fd = tap_open(NAME);
	tap_close(fd, 0);
	CHECK(exists());
	CHECK_EQ(tap_drop(NAME), 0);
	CHECK(!exists());

	CHECK_EQ(tap_open("a-name-longer-than-ifnamsiz"), -ENAMETOOLONG);
	return CHECK_DONE();
}
