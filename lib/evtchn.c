/* One xenevtchn handle per daemon, dispatching per port. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <event2/event.h>

#include "evtchn.h"

/* Ports are small integers; a flat table indexed by port is enough. */
#define EVTCHN_MAX_PORTS (1u << 17)

struct evtchn_slot {
	evtchn_cb *cb;
	void *arg;
	int held;		/* left masked after its callback */
};

struct evtchn {
	xenevtchn_handle *h;
	struct event *ev;
	struct evtchn_slot *slots;
	unsigned int nslots, bound;
};

/*
 * One port per wakeup: another read to learn that nothing more is pending
 * would cost a system call per event, and a busy fd is readable again at
 * once. The port is unmasked after its callback, unless the callback held
 * it: a notification that came meanwhile is pending then, and unmasking
 * delivers it again.
 */
static void
evtchn_on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct evtchn *e = arg;
	xenevtchn_port_or_error_t p = xenevtchn_pending(e->h);

	if (p < 0)
		return;
	if ((unsigned)p >= e->nslots || e->slots[p].cb == NULL) {
		xenevtchn_unmask(e->h, p);
		return;
	}
	e->slots[p].held = 0;
	e->slots[p].cb(p, e->slots[p].arg);
	/* The callback may have unbound the port, or grown the table. */
	if ((unsigned)p < e->nslots && e->slots[p].cb && !e->slots[p].held)
		xenevtchn_unmask(e->h, p);
}

int
evtchn_open(struct event_base *base, struct evtchn **out)
{
	struct evtchn *e;
	int fd;

	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	e->h = xenevtchn_open(NULL, 0);
	if (e->h == NULL) {
		int err = errno ? -errno : -ENOENT;

		free(e);
		return err;
	}
	fd = xenevtchn_fd(e->h);
	/*
	 * The fd is read by xenevtchn_pending until it has no more ports:
	 * it must be non-blocking, or the last read blocks the whole loop.
	 */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		int err = -errno;

		xenevtchn_close(e->h);
		free(e);
		return err;
	}
	e->ev = event_new(base, fd, EV_READ | EV_PERSIST, evtchn_on_readable, e);
	if (e->ev == NULL || event_add(e->ev, NULL) < 0) {
		evtchn_close(e);
		return -ENOMEM;
	}
	*out = e;
	return 0;
}

int
evtchn_open_named(struct event_base *base, const char *name,
		  struct evtchn **out)
{
	char was[16] = "";
	int r;

	if (prctl(PR_GET_NAME, was) < 0 || prctl(PR_SET_NAME, name) < 0)
		return -errno;
	r = evtchn_open(base, out);
	prctl(PR_SET_NAME, was);
	return r;
}

void
evtchn_close(struct evtchn *e)
{
	if (e == NULL)
		return;
	if (e->ev)
		event_free(e->ev);
	if (e->h)
		xenevtchn_close(e->h);
	free(e->slots);
	free(e);
}

xenevtchn_handle *
evtchn_handle(struct evtchn *e)
{
	return e->h;
}

static int
evtchn_set(struct evtchn *e, evtchn_port_t p, evtchn_cb *cb, void *arg)
{
	if (p >= EVTCHN_MAX_PORTS)
		return -ERANGE;
	if (p >= e->nslots) {
		unsigned int n = e->nslots ? e->nslots : 64;
		struct evtchn_slot *s;

		while (n <= p)
			n *= 2;
		s = realloc(e->slots, n * sizeof(*s));
		if (s == NULL)
			return -ENOMEM;
		memset(s + e->nslots, 0, (n - e->nslots) * sizeof(*s));
		e->slots = s;
		e->nslots = n;
	}
	e->slots[p] = (struct evtchn_slot){ cb, arg, 0 };
	e->bound++;
	return 0;
}

static int
evtchn_bound(struct evtchn *e, xenevtchn_port_or_error_t p, evtchn_cb *cb,
	     void *arg, evtchn_port_t *local)
{
	int r;

	if (p < 0)
		return errno ? -errno : -EIO;
	if ((r = evtchn_set(e, p, cb, arg)) < 0) {
		xenevtchn_unbind(e->h, p);
		return r;
	}
	*local = p;
	return 0;
}

int
evtchn_bind_interdomain(struct evtchn *e, uint32_t domid,
			evtchn_port_t remote, evtchn_cb *cb, void *arg,
			evtchn_port_t *local)
{
	return evtchn_bound(e, xenevtchn_bind_interdomain(e->h, domid, remote),
	    cb, arg, local);
}

int
evtchn_bind_unbound(struct evtchn *e, uint32_t domid, evtchn_cb *cb,
		    void *arg, evtchn_port_t *local)
{
	return evtchn_bound(e, xenevtchn_bind_unbound_port(e->h, domid), cb,
	    arg, local);
}

int
evtchn_bind_virq(struct evtchn *e, unsigned int virq, evtchn_cb *cb,
		 void *arg, evtchn_port_t *local)
{
	return evtchn_bound(e, xenevtchn_bind_virq(e->h, virq), cb, arg,
	    local);
}

int
evtchn_notify(struct evtchn *e, evtchn_port_t local)
{
	return xenevtchn_notify(e->h, local) < 0 ? -errno : 0;
}

void
evtchn_hold(struct evtchn *e, evtchn_port_t local)
{
	if (local < e->nslots)
		e->slots[local].held = 1;
}

int
evtchn_unmask(struct evtchn *e, evtchn_port_t local)
{
	if (local < e->nslots)
		e->slots[local].held = 0;
	return xenevtchn_unmask(e->h, local) < 0 ? -errno : 0;
}

void
evtchn_unbind(struct evtchn *e, evtchn_port_t local)
{
	if (local < e->nslots && e->slots[local].cb) {
		e->slots[local].cb = NULL;
		e->slots[local].arg = NULL;
		e->slots[local].held = 0;
		e->bound--;
	}
	xenevtchn_unbind(e->h, local);
}

unsigned int
evtchn_count(const struct evtchn *e)
{
	return e->bound;
}
