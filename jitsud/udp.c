/* A UDP listener (see udp.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "answer.h"
#include "udp.h"

/* Datagrams read per wakeup: others wait for the next turn of the loop,
 * so that one busy socket does not starve the rest. */
#define UDP_BATCH 64

struct udp {
	int fd, family;
	struct event *ev;
	jd_query_fn *fn;
	void *arg;
};

/* The query's destination, for the answer's source. */
static void
dst_of(struct msghdr *m, struct jd_client *c)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(m); cm;
	    cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			c->dst.v4 = pi.ipi_addr;
			c->ifindex = pi.ipi_ifindex;
			c->has_dst = true;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			c->dst.v6 = pi.ipi6_addr;
			c->ifindex = pi.ipi6_ifindex;
			c->has_dst = true;
		}
	}
}

static void
on_read(evutil_socket_t fd, short what, void *arg)
{
	struct udp *u = arg;
	/* A query larger than our EDNS size is not one we answer. */
	static uint8_t buf[JD_MSG_MAX];
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} ctl;

	(void)what;
	for (int i = 0; i < UDP_BATCH; i++) {
		struct jd_client c;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr m = {
			.msg_name = &c.peer, .msg_namelen = sizeof(c.peer),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
		};
		ssize_t n;

		memset(&c, 0, sizeof(c));
		n = recvmsg(fd, &m, MSG_DONTWAIT);
		if (n < 0)
			return;	/* EAGAIN; others are the peer's (ICMP) */
		c.fd = fd;
		c.peerlen = m.msg_namelen;
		dst_of(&m, &c);
		u->fn(u->arg, buf, (size_t)n, &c);
	}
}

int
udp_new(struct event_base *base, int fd, jd_query_fn *fn, void *arg,
    struct udp **out)
{
	struct udp *u = calloc(1, sizeof(*u));
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int one = 1, r;

	if (!u)
		return -ENOMEM;
	u->fd = fd;
	u->fn = fn;
	u->arg = arg;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		r = -errno;
		goto fail;
	}
	u->family = ss.ss_family;
	if ((u->family == AF_INET ? setsockopt(fd, IPPROTO_IP, IP_PKTINFO,
	    &one, sizeof(one)) : setsockopt(fd, IPPROTO_IPV6,
	    IPV6_RECVPKTINFO, &one, sizeof(one))) < 0) {
		r = -errno;
		goto fail;
	}
	u->ev = event_new(base, fd, EV_READ | EV_PERSIST, on_read, u);
	if (!u->ev || event_add(u->ev, NULL) < 0) {
		r = -ENOMEM;
		goto fail;
	}
	*out = u;
	return 0;
fail:
	if (u->ev)
		event_free(u->ev);
	free(u);
	return r;
}

void
udp_free(struct udp *u)
{
	if (!u)
		return;
	event_free(u->ev);
	close(u->fd);
	free(u);
}

int
udp_reply(const struct jd_client *c, const uint8_t *msg, size_t len)
{
	struct iovec iov = { (void *)msg, len };
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} ctl;
	struct msghdr m = {
		.msg_name = (void *)&c->peer, .msg_namelen = c->peerlen,
		.msg_iov = &iov, .msg_iovlen = 1,
	};

	memset(&ctl, 0, sizeof(ctl));
	if (c->has_dst) {
		struct cmsghdr *cm;

		m.msg_control = ctl.b;
		if (c->peer.ss_family == AF_INET) {
			struct in_pktinfo pi = { .ipi_spec_dst = c->dst.v4 };

			m.msg_controllen = CMSG_SPACE(sizeof(pi));
			cm = CMSG_FIRSTHDR(&m);
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		} else {
			struct in6_pktinfo pi = { .ipi6_addr = c->dst.v6,
				.ipi6_ifindex = (unsigned int)c->ifindex };

			m.msg_controllen = CMSG_SPACE(sizeof(pi));
			cm = CMSG_FIRSTHDR(&m);
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		}
	}
	return sendmsg(c->fd, &m, MSG_DONTWAIT) < 0 ? -errno : 0;
}
