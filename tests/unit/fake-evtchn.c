/* See fake-evtchn.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/prctl.h>

#include "fake-evtchn.h"

int (*fake_evtchn_refuse)(uint32_t domid, evtchn_port_t remote);

static void
deliver(xenevtchn_handle *h, evtchn_port_t p)
{
	uint32_t v = p;

	h->masked[p] = 1;
	h->pending[p] = 0;
	if (write(h->wr, &v, sizeof(v)) != sizeof(v))
		abort();
}

void
fake_evtchn_fire(xenevtchn_handle *h, evtchn_port_t p)
{
	if (h->masked[p])
		h->pending[p] = 1;
	else
		deliver(h, p);
}

xenevtchn_handle *
xenevtchn_open(struct xentoollog_logger *logger, unsigned int flags)
{
	xenevtchn_handle *h = calloc(1, sizeof(*h));
	int fds[2];

	(void)logger;
	(void)flags;
	if (h == NULL || pipe(fds) < 0)
		abort();
	h->rd = fds[0];
	h->wr = fds[1];
	h->next = 3;
	prctl(PR_GET_NAME, h->opener);
	return h;
}

int
xenevtchn_close(xenevtchn_handle *h)
{
	close(h->rd);
	close(h->wr);
	free(h);
	return 0;
}

int
xenevtchn_fd(xenevtchn_handle *h)
{
	return h->rd;
}

int
xenevtchn_notify(xenevtchn_handle *h, evtchn_port_t p)
{
	h->notified++;
	h->last_notified = p;
	return 0;
}

static xenevtchn_port_or_error_t
bind_next(xenevtchn_handle *h)
{
	evtchn_port_t p = h->next++;

	if (p >= FAKE_EVTCHN_PORTS)
		abort();
	h->bound[p] = 1;
	h->nbound++;
	return (xenevtchn_port_or_error_t)p;
}

xenevtchn_port_or_error_t
xenevtchn_bind_unbound_port(xenevtchn_handle *h, uint32_t domid)
{
	(void)domid;
	return bind_next(h);
}

xenevtchn_port_or_error_t
xenevtchn_bind_interdomain(xenevtchn_handle *h, uint32_t domid,
			   evtchn_port_t remote)
{
	if (fake_evtchn_refuse && fake_evtchn_refuse(domid, remote)) {
		errno = EINVAL;
		return -1;
	}
	return bind_next(h);
}

xenevtchn_port_or_error_t
xenevtchn_bind_virq(xenevtchn_handle *h, unsigned int virq)
{
	(void)virq;
	return bind_next(h);
}

int
xenevtchn_unbind(xenevtchn_handle *h, evtchn_port_t p)
{
	if (p < FAKE_EVTCHN_PORTS && h->bound[p]) {
		h->bound[p] = 0;
		h->nbound--;
	}
	return 0;
}

xenevtchn_port_or_error_t
xenevtchn_pending(xenevtchn_handle *h)
{
	uint32_t v;

	if (read(h->rd, &v, sizeof(v)) != sizeof(v))
		return -1;
	return (xenevtchn_port_or_error_t)v;
}

int
xenevtchn_unmask(xenevtchn_handle *h, evtchn_port_t p)
{
	h->unmasks[p]++;
	h->masked[p] = 0;
	if (h->pending[p])
		deliver(h, p);
	return 0;
}
