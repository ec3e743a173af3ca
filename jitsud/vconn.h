/*
 * The libvirt backend's connection (virt.c's worker uses it): opened
 * with libvirt's event loop running in a thread of its own, so that the
 * close callback and keepalive (5 s, given up after 3 unanswered) say at
 * once when it has gone; dropped when gone, and opened again with
 * vretry's backoff. The first connect is the worker's too, as a
 * reconnection due at once: the start does not wait for libvirtd (nor
 * for another host's round trip), nor need it up. The worker thread alone changes it, under the
 * worker's lock, which the close callback takes too (to wake the worker
 * on its cond); the loop takes a reference (vconn_ref).
 */
#ifndef JITSUD_VCONN_H
#define JITSUD_VCONN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <libvirt/libvirt.h>

#include "vretry.h"

struct vconn {
	char uri[256];		/* "": libvirt's default */
	virConnectPtr conn;	/* NULL while down */
	struct vretry vr;
	pthread_mutex_t *lock;	/* the worker's */
	pthread_cond_t *cond;
	/* Under lock: the close callback's news, for the worker. */
	bool lost;
	int lost_reason;	/* its virConnectCloseReason */
	/* Under lock: for the loop to log: lost (and why; never: the
	 * first connect failed), up (after so many attempts; first: never
	 * up before). */
	bool note_lost, note_never;
	char lost_why[200];
	unsigned int note_up;
	bool note_first;
	bool was_up;		/* the worker's: connected once at least */
	pthread_t evthread;
	bool evstarted, evquit;
	int evtimer;		/* wakes libvirt's event loop to end it */
};

/* Ready to connect to uri (NULL: libvirt's default): the first attempt
 * is due at once (vconn_due); or -errno with why. */
int vconn_open(struct vconn *c, const char *uri, pthread_mutex_t *lock,
    pthread_cond_t *cond, char *why, size_t len);
/* Closed, the event thread ended; c may be half opened. */
void vconn_close(struct vconn *c);
/* The worker's, lock not held: gone, for why (NULL: the close
 * callback's reason); the loss noted once. */
void vconn_drop(struct vconn *c, const char *why);
/* The worker's, lock not held: one attempt to connect; 0 when up. */
int vconn_reconnect(struct vconn *c);
/* The worker's: a reconnection is due; wait (lock held) until one is,
 * or cond is signalled. */
bool vconn_due(const struct vconn *c);
void vconn_wait(struct vconn *c);
/* The loop's: a reference to the connection (virConnectClose it),
 * NULL while it is down. */
virConnectPtr vconn_ref(struct vconn *c);
/* The URI for messages. */
const char *vconn_name(const struct vconn *c);

#endif
