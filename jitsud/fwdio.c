/* Forwarding's I/O (see fwdio.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "answer.h"
#include "deadline.h"
#include "forward.h"
#include "fwdio.h"

/* One attempt's socket. */
struct att {
	struct fwdio *w;
	int slot;
	int fd;
	struct event *ev;
	bool tcp;
	uint8_t *buf;		/* TCP: the query out, then the answer in */
	size_t off, len;
};

struct fwdio {
	struct event_base *base;
	struct fwd *f;
	struct sockaddr_storage *res;
	socklen_t *reslen;
	unsigned int max;
	struct att *att;
	struct jd_client *clients;
	struct event *timer;
	fwdio_reply_fn *fn;
	void *arg;
	struct fwdio_counts counts;
	uint8_t rnd[256];
	size_t rnd_used;
	uint8_t rbuf[JD_MSG_MAX];
};

/* Query IDs from the kernel's CSPRNG, fetched a block at a time. */
static uint16_t
rand16(void *arg)
{
	struct fwdio *w = arg;
	uint16_t v;

	if (w->rnd_used + 2 > sizeof(w->rnd)) {
		size_t got = 0;

		while (got < sizeof(w->rnd)) {
			ssize_t n = getrandom(w->rnd + got,
			    sizeof(w->rnd) - got, 0);

			if (n > 0)
				got += (size_t)n;
		}
		w->rnd_used = 0;
	}
	memcpy(&v, w->rnd + w->rnd_used, 2);
	w->rnd_used += 2;
	return v;
}

static void
att_close(struct att *a)
{
	if (a->ev)
		event_free(a->ev);
	if (a->fd >= 0)
		close(a->fd);
	free(a->buf);
	a->ev = NULL;
	a->fd = -1;
	a->buf = NULL;
	a->off = a->len = 0;
}

static void on_sock(evutil_socket_t fd, short what, void *arg);

static int
att_open(struct fwdio *w, struct att *a, const struct fwd_event *ev)
{
	const struct sockaddr *sa = (const void *)&w->res[ev->resolver];
	int fd, r;

	a->tcp = ev->tcp;
	fd = socket(sa->sa_family, (ev->tcp ? SOCK_STREAM : SOCK_DGRAM) |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	a->fd = fd;
	/* Unbound: the kernel picks a random ephemeral source port. */
	if (connect(fd, sa, w->reslen[ev->resolver]) < 0 &&
	    errno != EINPROGRESS)
		return -errno;
	if (!ev->tcp) {
		if (send(fd, ev->msg, ev->len, 0) < 0)
			return -errno;
		a->ev = event_new(w->base, fd, EV_READ | EV_PERSIST, on_sock,
		    a);
	} else {
		if (!(a->buf = malloc(2 + JD_MSG_MAX)))
			return -ENOMEM;
		a->buf[0] = (uint8_t)(ev->len >> 8);
		a->buf[1] = (uint8_t)ev->len;
		memcpy(a->buf + 2, ev->msg, ev->len);
		a->len = 2 + ev->len;
		a->off = 0;
		a->ev = event_new(w->base, fd, EV_WRITE | EV_PERSIST, on_sock,
		    a);
	}
	r = a->ev && event_add(a->ev, NULL) == 0 ? 0 : -ENOMEM;
	return r;
}

static void
rearm(struct fwdio *w)
{
	jd_timer_at(w->timer, fwd_next_deadline(w->f));
}

/* Carries out what forward.c decided, and what follows from it. */
static void
act(struct fwdio *w, struct fwd_event *ev)
{
	while (ev->action != FWD_NONE) {
		struct att *a = &w->att[ev->slot];
		int r;

		att_close(a);
		if (ev->action == FWD_REPLY) {
			if ((ev->msg[3] & 0xf) == 2)
				w->counts.servfail++;
			else
				w->counts.answered++;
			w->fn(w->arg, &w->clients[ev->slot], ev->msg, ev->len);
			break;
		}
		if ((r = att_open(w, a, ev)) == 0)
			break;
		att_close(a);
		fwd_failed(w->f, ev->slot, jd_now_ms(), ev);
	}
	rearm(w);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct fwdio *w = arg;
	struct fwd_event ev;
	uint64_t now = jd_now_ms();

	(void)fd; (void)what;
	for (;;) {
		fwd_expire(w->f, now, &ev);
		if (ev.action == FWD_NONE)
			break;
		w->counts.retries++;
		act(w, &ev);
	}
	rearm(w);
}

static void
udp_in(struct fwdio *w, struct att *a, struct fwd_event *ev)
{
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	ssize_t n = recvfrom(a->fd, w->rbuf, sizeof(w->rbuf), 0,
	    (struct sockaddr *)&from, &fromlen);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			fwd_failed(w->f, a->slot, jd_now_ms(), ev);
		return;
	}
	fwd_response(w->f, a->slot, (struct sockaddr *)&from, fromlen,
	    w->rbuf, (size_t)n, jd_now_ms(), ev);
}

static void
tcp_io(struct fwdio *w, struct att *a, short what, struct fwd_event *ev)
{
	ssize_t n;

	if (what & EV_WRITE) {
		n = send(a->fd, a->buf + a->off, a->len - a->off,
		    MSG_NOSIGNAL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				fwd_failed(w->f, a->slot, jd_now_ms(), ev);
			return;
		}
		a->off += (size_t)n;
		if (a->off < a->len)
			return;
		/* Sent: now the answer, into the same buffer. */
		event_free(a->ev);
		a->ev = event_new(w->base, a->fd, EV_READ | EV_PERSIST,
		    on_sock, a);
		a->off = 0;
		a->len = 2;
		if (!a->ev || event_add(a->ev, NULL) < 0)
			fwd_failed(w->f, a->slot, jd_now_ms(), ev);
		return;
	}
	n = recv(a->fd, a->buf + a->off, a->len - a->off, 0);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			fwd_failed(w->f, a->slot, jd_now_ms(), ev);
		return;
	}
	a->off += (size_t)n;
	if (a->off == 2 && a->len == 2)
		a->len = 2 + ((size_t)a->buf[0] << 8 | a->buf[1]);
	if (a->off == a->len && a->len > 2)
		fwd_response(w->f, a->slot, NULL, 0, a->buf + 2, a->len - 2,
		    jd_now_ms(), ev);
	else if (a->len == 2 && a->off == 2)	/* an empty message */
		fwd_failed(w->f, a->slot, jd_now_ms(), ev);
}

static void
on_sock(evutil_socket_t fd, short what, void *arg)
{
	struct att *a = arg;
	struct fwdio *w = a->w;
	struct fwd_event ev = { .action = FWD_NONE };

	(void)fd;
	if (a->tcp)
		tcp_io(w, a, what, &ev);
	else
		udp_in(w, a, &ev);
	if (ev.action != FWD_NONE)
		act(w, &ev);
}

int
fwdio_new(struct event_base *base, const struct jc_addr *resolvers,
    unsigned int n, unsigned int max, uint64_t timeout_ms,
    fwdio_reply_fn *fn, void *arg, struct fwdio **out)
{
	struct fwdio *w = calloc(1, sizeof(*w));
	/* Each resolver once, and at least twice for a single one. */
	struct fwd_limits l = { max, timeout_ms, n > 1 ? n : 2 };

	if (!w)
		return -ENOMEM;
	w->base = base;
	w->fn = fn;
	w->arg = arg;
	w->max = max;
	w->rnd_used = sizeof(w->rnd);
	w->res = calloc(n ? n : 1, sizeof(*w->res));
	w->reslen = calloc(n ? n : 1, sizeof(*w->reslen));
	w->att = calloc(max, sizeof(*w->att));
	w->clients = calloc(max, sizeof(*w->clients));
	w->timer = evtimer_new(base, on_timer, w);
	if (!w->res || !w->reslen || !w->att || !w->clients || !w->timer)
		goto fail;
	for (unsigned int i = 0; i < n; i++) {
		struct sockaddr_in *v4 = (void *)&w->res[i];
		struct sockaddr_in6 *v6 = (void *)&w->res[i];

		w->res[i] = resolvers[i].ss;
		w->reslen[i] = resolvers[i].len;
		if (v4->sin_family == AF_INET && !v4->sin_port)
			v4->sin_port = htons(53);
		if (v6->sin6_family == AF_INET6 && !v6->sin6_port)
			v6->sin6_port = htons(53);
	}
	for (unsigned int i = 0; i < max; i++) {
		w->att[i].w = w;
		w->att[i].slot = (int)i;
		w->att[i].fd = -1;
	}
	if (!(w->f = fwd_new(&l, w->res, n, rand16, w)))
		goto fail;
	*out = w;
	return 0;
fail:
	fwdio_free(w);
	return -ENOMEM;
}

void
fwdio_free(struct fwdio *w)
{
	if (!w)
		return;
	for (unsigned int i = 0; w->att && i < w->max; i++)
		att_close(&w->att[i]);
	if (w->timer)
		event_free(w->timer);
	fwd_free(w->f);
	free(w->att);
	free(w->clients);
	free(w->res);
	free(w->reslen);
	free(w);
}

int
fwdio_forward(struct fwdio *w, const uint8_t *q, size_t len,
    const struct jd_client *c, size_t limit)
{
	struct fwd_event ev;
	int r = fwd_start(w->f, q, len, c->tcp, limit, jd_now_ms(), &ev);

	if (r < 0) {
		if (r == -ENOSPC)
			w->counts.full++;
		return r;
	}
	w->counts.forwarded++;
	w->clients[ev.slot] = *c;
	act(w, &ev);
	return 0;
}

const struct fwdio_counts *
fwdio_counts(const struct fwdio *w)
{
	return &w->counts;
}
