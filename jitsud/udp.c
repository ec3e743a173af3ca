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

/*
 * Datagrams are taken SLOTS at a time (recvmmsg), and the answers given
 * while they are handled go out together (sendmmsg): two system calls
 * for a batch rather than two for each query. At most UDP_BATCH per
 * wakeup: others wait for the next turn of the loop, so that one busy
 * socket does not starve the rest.
 */
#define UDP_BATCH 64
#define SLOTS 32
/* A larger answer goes at once (only a forwarded one can be larger: ours
 * are at most JD_EDNS_UDP bytes over UDP). */
#define SEND_MAX 4096

union pktinfo_ctl {
	struct cmsghdr align;
	uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
};

struct udp {
	int fd, family;
	/* Bound to a wildcard address: each answer goes from the address
	 * its query was sent to (IP_PKTINFO). Bound to one address, the
	 * answers go from it anyway. */
	bool pktinfo;
	struct event *ev;
	jd_query_fn *fn;
	void *arg;
	uint64_t unsent;
	/* the batch received */
	struct mmsghdr rmsg[SLOTS];
	struct iovec riov[SLOTS];
	struct sockaddr_storage rpeer[SLOTS];
	union pktinfo_ctl rctl[SLOTS];
	/* SLOTS queries of up to JD_MSG_MAX bytes: a query larger than our
	 * EDNS size is not one we answer, but it is read whole */
	uint8_t *rbuf;
	/* the answers waiting to go */
	unsigned int nsend;
	struct mmsghdr smsg[SLOTS];
	struct iovec siov[SLOTS];
	struct sockaddr_storage speer[SLOTS];
	union pktinfo_ctl sctl[SLOTS];
	uint8_t sbuf[SLOTS][SEND_MAX];
};

/* The listener whose batch is being handled: udp_reply() queues answers
 * to its queries rather than sending each at once. */
static struct udp *batching;

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

/* m's destination and source for an answer to c (m's buffers set). */
static void
address(struct msghdr *m, struct sockaddr_storage *peer,
    union pktinfo_ctl *ctl, const struct jd_client *c)
{
	memcpy(peer, &c->peer, c->peerlen);
	m->msg_name = peer;
	m->msg_namelen = c->peerlen;
	m->msg_control = NULL;
	m->msg_controllen = 0;
	if (c->has_dst) {
		struct cmsghdr *cm;

		memset(ctl, 0, sizeof(*ctl));
		m->msg_control = ctl->b;
		if (c->peer.ss_family == AF_INET) {
			struct in_pktinfo pi = { .ipi_spec_dst = c->dst.v4 };

			m->msg_controllen = CMSG_SPACE(sizeof(pi));
			cm = CMSG_FIRSTHDR(m);
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		} else {
			struct in6_pktinfo pi = { .ipi6_addr = c->dst.v6,
				.ipi6_ifindex = (unsigned int)c->ifindex };

			m->msg_controllen = CMSG_SPACE(sizeof(pi));
			cm = CMSG_FIRSTHDR(m);
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		}
	}
}

/* Sends the queued answers; one that fails is counted and skipped. */
static void
flush(struct udp *u)
{
	unsigned int done = 0;

	while (done < u->nsend) {
		int n = sendmmsg(u->fd, u->smsg + done, u->nsend - done,
		    MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			u->unsent++;	/* the first of them failed */
			n = 1;
		}
		done += (unsigned int)n;
	}
	u->nsend = 0;
}

static void
on_read(evutil_socket_t fd, short what, void *arg)
{
	struct udp *u = arg;

	(void)what;
	for (int round = 0; round < UDP_BATCH / SLOTS; round++) {
		int n;

		for (int i = 0; i < SLOTS; i++) {
			struct msghdr *m = &u->rmsg[i].msg_hdr;

			m->msg_name = &u->rpeer[i];
			m->msg_namelen = sizeof(u->rpeer[i]);
			m->msg_iov = &u->riov[i];
			m->msg_iovlen = 1;
			m->msg_control = u->pktinfo ? u->rctl[i].b : NULL;
			m->msg_controllen = u->pktinfo ? sizeof(u->rctl[i].b) :
			    0;
			m->msg_flags = 0;
		}
		n = recvmmsg(fd, u->rmsg, SLOTS, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;	/* EAGAIN; others are the peer's (ICMP) */
		batching = u;
		for (int i = 0; i < n; i++) {
			struct msghdr *m = &u->rmsg[i].msg_hdr;
			struct jd_client c;

			memset(&c, 0, sizeof(c));
			c.fd = fd;
			memcpy(&c.peer, &u->rpeer[i], sizeof(c.peer));
			c.peerlen = m->msg_namelen;
			if (u->pktinfo)
				dst_of(m, &c);
			u->fn(u->arg, u->riov[i].iov_base,
			    u->rmsg[i].msg_len, &c);
		}
		batching = NULL;
		flush(u);
		if (n < SLOTS)
			return;	/* none left, most likely */
	}
}

/* Is the socket's address a wildcard (0.0.0.0 or ::)? */
static bool
wildcard(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
		    htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(
	    &((const struct sockaddr_in6 *)ss)->sin6_addr);
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
	u->pktinfo = wildcard(&ss);
	if (u->pktinfo && (u->family == AF_INET ? setsockopt(fd, IPPROTO_IP,
	    IP_PKTINFO, &one, sizeof(one)) : setsockopt(fd, IPPROTO_IPV6,
	    IPV6_RECVPKTINFO, &one, sizeof(one))) < 0) {
		r = -errno;
		goto fail;
	}
	/* Not touched beyond what the queries fill. */
	if (!(u->rbuf = malloc((size_t)SLOTS * JD_MSG_MAX))) {
		r = -ENOMEM;
		goto fail;
	}
	for (int i = 0; i < SLOTS; i++) {
		u->riov[i].iov_base = u->rbuf + (size_t)i * JD_MSG_MAX;
		u->riov[i].iov_len = JD_MSG_MAX;
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
	free(u->rbuf);
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
	free(u->rbuf);
	free(u);
}

uint64_t
udp_unsent(const struct udp *u)
{
	return u->unsent;
}

int
udp_reply(const struct jd_client *c, const uint8_t *msg, size_t len)
{
	struct udp *u = batching;
	struct msghdr m = { 0 };
	struct sockaddr_storage peer;
	union pktinfo_ctl ctl;
	struct iovec iov = { (void *)msg, len };

	if (u && u->fd == c->fd && len <= SEND_MAX) {
		unsigned int i = u->nsend++;

		memcpy(u->sbuf[i], msg, len);
		u->siov[i].iov_base = u->sbuf[i];
		u->siov[i].iov_len = len;
		memset(&u->smsg[i], 0, sizeof(u->smsg[i]));
		u->smsg[i].msg_hdr.msg_iov = &u->siov[i];
		u->smsg[i].msg_hdr.msg_iovlen = 1;
		address(&u->smsg[i].msg_hdr, &u->speer[i], &u->sctl[i], c);
		if (u->nsend == SLOTS)
			flush(u);
		return 0;
	}
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	address(&m, &peer, &ctl, c);
	return sendmsg(c->fd, &m, MSG_DONTWAIT) < 0 ? -errno : 0;
}
