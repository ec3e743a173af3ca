/*
 * A fake xenevtchn driver for unit tests, linked before libxenevtchn so
 * lib/evtchn.o binds to it. It behaves like Linux's: a delivered port is
 * masked until unmasked; a notification to a masked port is remembered
 * and delivered by the unmask. A pipe carries delivered ports to
 * xenevtchn_pending, so the handle's fd wakes the loop as the real one.
 * It keeps the name of the thread that opened it, which Linux gives the
 * handle's interrupts.
 */
#ifndef XUD_FAKE_EVTCHN_H
#define XUD_FAKE_EVTCHN_H

#include <stdint.h>
#include <xenevtchn.h>

#define FAKE_EVTCHN_PORTS 64

struct xenevtchn_handle {
	int rd, wr;
	int bound[FAKE_EVTCHN_PORTS], masked[FAKE_EVTCHN_PORTS];
	int pending[FAKE_EVTCHN_PORTS], unmasks[FAKE_EVTCHN_PORTS];
	evtchn_port_t next;		/* the next local port bound */
	int nbound;			/* ports bound now */
	unsigned int notified;		/* xenevtchn_notify calls */
	evtchn_port_t last_notified;
	char opener[16];		/* the opening thread's name, as
					   Linux names the interrupts */
};

/* Binding to (domid, remote) fails with EINVAL when this says so. */
extern int (*fake_evtchn_refuse)(uint32_t domid, evtchn_port_t remote);

/* The peer notifies port p. */
void fake_evtchn_fire(xenevtchn_handle *h, evtchn_port_t p);

#endif
