/* A started service's readiness (see ready.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <event2/event.h>

#include "xstore.h"
#include "ready.h"

#define TCP_ATTEMPT_MS 250
#define TCP_RETRY_MS 100

struct ready {
	struct event_base *base;
	struct xstore *xs;
	const struct jc_service *c;
	unsigned int passed;		/* JC_READY_* */
	ready_fn *done;
	void *arg;
	struct xstore_watch *key_watch, *hp_watch;
	char key_path[256], hp_path[320];
	int fd;				/* the TCP attempt */
	struct event *tcp_ev;		/* its connect, or the retry timer */
	struct event *done_ev;
};

static void
pass(struct ready *r, unsigned int check)
{
	struct timeval now = { 0, 0 };

	if (r->passed & check)
		return;
	r->passed |= check;
	/* From the loop, never from inside ready_start(). */
	if ((r->passed & r->c->ready) == r->c->ready)
		event_add(r->done_ev, &now);
}

static void
on_done(evutil_socket_t fd, short what, void *arg)
{
	struct ready *r = arg;

	(void)fd; (void)what;
	r->done(r->arg);
}

/* A key that counts when its value is want, or anything but "" and "0". */
static bool
key_is(struct ready *r, const char *path, const char *want)
{
	char *v = NULL;
	size_t len;
	bool ok;

	if (xstore_read(r->xs, XBT_NULL, path, &v, &len) < 0)
		return false;
	ok = want ? strcmp(v, want) == 0 : len > 0 && strcmp(v, "0") != 0;
	free(v);
	return ok;
}

static void
on_key(struct xstore *xs, const char *path, void *arg)
{
	struct ready *r = arg;

	(void)xs; (void)path;
	if (key_is(r, r->key_path, NULL))
		pass(r, JC_READY_KEY);
}

static void
on_hotplug(struct xstore *xs, const char *path, void *arg)
{
	struct ready *r = arg;

	(void)xs; (void)path;
	if (key_is(r, r->hp_path, "connected"))
		pass(r, JC_READY_HOTPLUG);
}

static void tcp_attempt(struct ready *r);

static void
tcp_close(struct ready *r)
{
	if (r->tcp_ev)
		event_free(r->tcp_ev);
	r->tcp_ev = NULL;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

static void
on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	tcp_attempt(arg);
}

static void
tcp_retry(struct ready *r)
{
	struct timeval tv = { 0, TCP_RETRY_MS * 1000 };

	tcp_close(r);
	if ((r->tcp_ev = evtimer_new(r->base, on_retry, r)))
		evtimer_add(r->tcp_ev, &tv);
}

static void
on_connect(evutil_socket_t fd, short what, void *arg)
{
	struct ready *r = arg;
	int err = ETIMEDOUT;
	socklen_t len = sizeof(err);

	if (what & EV_WRITE)
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err) {
		tcp_retry(r);
		return;
	}
	tcp_close(r);
	pass(r, JC_READY_TCP);
}

static void
tcp_attempt(struct ready *r)
{
	const struct jc_service *c = r->c;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct timeval tv = { 0, TCP_ATTEMPT_MS * 1000 };

	tcp_close(r);
	memset(&ss, 0, sizeof(ss));
	if (c->has_a) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = c->a;
		s4->sin_port = htons((uint16_t)c->ready_port);
		sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = c->aaaa;
		s6->sin6_port = htons((uint16_t)c->ready_port);
		sl = sizeof(*s6);
	}
	r->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (r->fd < 0) {
		tcp_retry(r);
		return;
	}
	if (connect(r->fd, (struct sockaddr *)&ss, sl) == 0) {
		tcp_close(r);
		pass(r, JC_READY_TCP);
		return;
	}
	if (errno != EINPROGRESS ||
	    !(r->tcp_ev = event_new(r->base, r->fd, EV_WRITE, on_connect, r)) ||
	    event_add(r->tcp_ev, &tv) < 0) {
		tcp_retry(r);
		return;
	}
}

/* The backend of the guest's first vif, as its frontend names it. */
static int
hotplug_path(struct ready *r, uint32_t domid)
{
	char p[128], *be = NULL;
	size_t len;
	int e;

	snprintf(p, sizeof(p), "/local/domain/%u/device/vif/0/backend",
	    (unsigned int)domid);
	if ((e = xstore_read(r->xs, XBT_NULL, p, &be, &len)) < 0)
		return e;
	/* The toolstack wrote it, but bound it all the same. */
	if (len == 0 || len > 256) {
		free(be);
		return -EINVAL;
	}
	snprintf(r->hp_path, sizeof(r->hp_path), "%s/hotplug-status", be);
	free(be);
	return 0;
}

int
ready_start(struct event_base *base, struct xstore *xs,
    const struct jc_service *c, uint32_t domid, ready_fn *done, void *arg,
    struct ready **out)
{
	struct ready *r = calloc(1, sizeof(*r));
	int e = 0;

	if (!r)
		return -ENOMEM;
	*r = (struct ready){ .base = base, .xs = xs, .c = c, .done = done,
		.arg = arg, .fd = -1 };
	if (!(r->done_ev = evtimer_new(base, on_done, r))) {
		ready_stop(r);
		return -ENOMEM;
	}
	if ((c->ready & (JC_READY_KEY | JC_READY_HOTPLUG)) && !xs)
		e = -ENOTCONN;
	if (!e && (c->ready & JC_READY_KEY)) {
		snprintf(r->key_path, sizeof(r->key_path),
		    "/local/domain/%u/%s", (unsigned int)domid, c->ready_key);
		/* The watch fires once at once: a key already there counts. */
		e = xstore_watch(xs, r->key_path, on_key, r, &r->key_watch);
	}
	if (!e && (c->ready & JC_READY_HOTPLUG) &&
	    !(e = hotplug_path(r, domid)))
		e = xstore_watch(xs, r->hp_path, on_hotplug, r, &r->hp_watch);
	if (e) {
		ready_stop(r);
		return e;
	}
	if (c->ready & JC_READY_TCP)
		tcp_attempt(r);
	*out = r;
	return 0;
}

void
ready_stop(struct ready *r)
{
	if (!r)
		return;
	if (r->key_watch)
		xstore_unwatch(r->key_watch);
	if (r->hp_watch)
		xstore_unwatch(r->hp_watch);
	tcp_close(r);
	if (r->done_ev)
		event_free(r->done_ev);
	free(r);
}
