/*
 * vchan417: the one file that knows libxenvchan (Xen 4.17) beyond its
 * documented use. chan.c drives the rings itself (vring.h) and needs what
 * libxenvchan has no call for; vchan417.c says, per function, why.
 */
#ifndef XENTROPYD_VCHAN417_H
#define XENTROPYD_VCHAN417_H

#include <stddef.h>
#include <stdint.h>

struct libxenvchan;
struct sendring;
struct recvring;

enum vchan417_state {
	VCHAN417_GONE,		/* the client closed (or crashed) */
	VCHAN417_CONNECTED,
	VCHAN417_OFFERED,	/* no client yet */
};

/* A non-blocking server for domid at path; NULL with errno on failure. */
struct libxenvchan *vchan417_server_init(uint32_t domid, const char *path,
					 size_t ring);
/* Our ends of the two rings, for vring.h. */
void vchan417_rings(struct libxenvchan *vc, struct sendring *out,
		    struct recvring *in);
/* The fd that becomes readable on an event from the client. */
int vchan417_fd(struct libxenvchan *vc);
/* Consumes the pending event (the fd is readable); never blocks. */
void vchan417_ack(struct libxenvchan *vc);
/* Sends the client an event: 0 or -errno. */
int vchan417_notify(struct libxenvchan *vc);
enum vchan417_state vchan417_state(struct libxenvchan *vc);
/* Unmaps, unbinds, and removes the ring-ref and event-channel nodes. */
void vchan417_close(struct libxenvchan *vc);

#endif
