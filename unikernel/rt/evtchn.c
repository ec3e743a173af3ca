/* Event channels without upcalls: SCHEDOP_poll and the pending bitmap. */
#include <errno.h>
#include <stddef.h>

#include "evtchn.h"
#include "hypercall.h"
#include "startinfo.h"

#define EV_MAX 16

struct ev_slot {
	evtchn_port_t port;
	ev_handler_fn *fn;
	void *arg;
};

static struct ev_slot ev_slots[EV_MAX];
static evtchn_port_t ev_ports[EV_MAX];
static unsigned ev_n;

static void
ev_rebuild_ports(void)
{
	for (unsigned i = 0; i < ev_n; i++)
		ev_ports[i] = ev_slots[i].port;
}

int
ev_register(evtchn_port_t port, ev_handler_fn *fn, void *arg)
{
	if (ev_n == EV_MAX)
		return -ENOSPC;
	ev_slots[ev_n].port = port;
	ev_slots[ev_n].fn = fn;
	ev_slots[ev_n].arg = arg;
	ev_n++;
	ev_rebuild_ports();
	return 0;
}

void
ev_unregister(evtchn_port_t port)
{
	for (unsigned i = 0; i < ev_n; i++) {
		if (ev_slots[i].port != port)
			continue;
		ev_slots[i] = ev_slots[--ev_n];
		ev_rebuild_ports();
		return;
	}
}

void
ev_reset(void)
{
	ev_n = 0;
}

int
ev_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
		    evtchn_port_t *local)
{
	struct evtchn_bind_interdomain op = { .remote_dom = remote_dom,
					      .remote_port = remote_port };
	int r = (int)hc_event_channel_op(EVTCHNOP_bind_interdomain, &op);

	if (r == 0)
		*local = op.local_port;
	return r;
}

int
ev_alloc_unbound(domid_t remote_dom, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF,
					   .remote_dom = remote_dom };
	int r = (int)hc_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	if (r == 0)
		*port = op.port;
	return r;
}

void
ev_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	hc_event_channel_op(EVTCHNOP_close, &op);
}

int
ev_send(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	return (int)hc_event_channel_op(EVTCHNOP_send, &op);
}

int
ev_test_and_clear(evtchn_port_t port)
{
	xen_ulong_t *word = &si_shared()->evtchn_pending[port / 64];
	unsigned char was;

	__asm__ volatile("lock btrq %2, %0; setc %1"
			 : "+m"(*word), "=q"(was)
			 : "r"((unsigned long)(port % 64))
			 : "memory", "cc");
	return was;
}

void
ev_dispatch(void)
{
	for (unsigned i = 0; i < ev_n; i++) {
		struct ev_slot s = ev_slots[i];

		if (ev_test_and_clear(s.port))
			s.fn(s.port, s.arg);
	}
}

static void
ev_poll(evtchn_port_t *ports, unsigned n, uint64_t deadline_ns)
{
	struct sched_poll poll = { .nr_ports = n, .timeout = deadline_ns };

	set_xen_guest_handle(poll.ports, ports);
	hc_sched_op(SCHEDOP_poll, &poll);
}

void
ev_block(uint64_t deadline_ns)
{
	ev_poll(ev_ports, ev_n, deadline_ns);
}

void
ev_block_port(evtchn_port_t port, uint64_t deadline_ns)
{
	ev_poll(&port, 1, deadline_ns);
}
