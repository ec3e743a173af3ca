/*
 * Event channels: a xenevtchn handle, its fd in one event loop, and a
 * callback per local port. A daemon opens one per loop (netbackd one per
 * queue thread: xenevtchn.h says a handle shared by threads will not
 * work). A port is unmasked after its callback
 * runs; a notification that arrived during the callback is pending then,
 * and unmasking delivers it again, so none is lost.
 */
#ifndef XUD_EVTCHN_H
#define XUD_EVTCHN_H

#include <stdint.h>
#include <xenevtchn.h>

struct event_base;
struct evtchn;

typedef void evtchn_cb(evtchn_port_t port, void *arg);

int evtchn_open(struct event_base *base, struct evtchn **out);
/*
 * As evtchn_open, with NAME (up to 15 bytes) for the interrupts of the
 * handle's ports: Linux names them "evtchn:" and the name of the
 * thread that opened the handle (/proc/interrupts), so the calling
 * thread bears NAME while it opens.
 */
int evtchn_open_named(struct event_base *base, const char *name,
		      struct evtchn **out);
void evtchn_close(struct evtchn *e);
xenevtchn_handle *evtchn_handle(struct evtchn *e);
/* Binds to the guest's port; returns the local port in *local. */
int evtchn_bind_interdomain(struct evtchn *e, uint32_t domid,
			    evtchn_port_t remote, evtchn_cb *cb, void *arg,
			    evtchn_port_t *local);
/* Allocates an unbound port the guest may bind to. */
int evtchn_bind_unbound(struct evtchn *e, uint32_t domid, evtchn_cb *cb,
			void *arg, evtchn_port_t *local);
/* Binds a virtual IRQ of this domain (VIRQ_CON_RING, ...). */
int evtchn_bind_virq(struct evtchn *e, unsigned int virq, evtchn_cb *cb,
		     void *arg, evtchn_port_t *local);
int evtchn_notify(struct evtchn *e, evtchn_port_t local);
/*
 * From within the port's callback: leave the port masked when the callback
 * returns. The peer's notifications then wake nobody (they stay pending)
 * until evtchn_unmask(), which delivers one if any came: for a reader with
 * work in flight that will look at the ring when it is done anyway.
 */
void evtchn_hold(struct evtchn *e, evtchn_port_t local);
int evtchn_unmask(struct evtchn *e, evtchn_port_t local);
/* Unbinds and forgets; safe from within the port's own callback. */
void evtchn_unbind(struct evtchn *e, evtchn_port_t local);
/* Number of ports bound (for leak checks and stats). */
unsigned int evtchn_count(const struct evtchn *e);

#endif
