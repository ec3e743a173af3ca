/*
 * Event channels, 2-level ABI, with upcalls left masked: nothing arrives
 * asynchronously. A port of interest is registered with a handler; the
 * guest blocks in SCHEDOP_poll on the registered ports, then
 * ev_dispatch() clears each pending port and runs its handler. A handler
 * runs after its pending bit was cleared, so an event that comes while it
 * runs makes the next poll return at once and is never lost.
 */
#ifndef XUD_UK_EVTCHN_H
#define XUD_UK_EVTCHN_H

#include <stdint.h>

#include "xen.h"

typedef void ev_handler_fn(evtchn_port_t port, void *arg);

/* Registers a bound port; -ENOSPC when the table is full. */
int ev_register(evtchn_port_t port, ev_handler_fn *fn, void *arg);
void ev_unregister(evtchn_port_t port);
/* Forgets every port: a restored domain has none of its old bindings. */
void ev_reset(void);
/*
 * Binds a port of ours to remote_dom's unbound remote_port (offered to
 * us): 0 and *local, or Xen's -errno.
 */
int ev_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
			evtchn_port_t *local);
/* A fresh port of ours that remote_dom may bind to: 0 and *port. */
int ev_alloc_unbound(domid_t remote_dom, evtchn_port_t *port);
/* Closes a port of ours (unregister it first). */
void ev_close(evtchn_port_t port);
/* Notifies the other end. */
int ev_send(evtchn_port_t port);
/* 1 if port was pending (and clears it). */
int ev_test_and_clear(evtchn_port_t port);
/* Runs the handler of every registered port found pending. */
void ev_dispatch(void);
/*
 * Blocks until a registered port is pending or Xen system time reaches
 * deadline_ns (0: no deadline).
 */
void ev_block(uint64_t deadline_ns);
/* The same for one port, registered or not (used by the panic path). */
void ev_block_port(evtchn_port_t port, uint64_t deadline_ns);

#endif
