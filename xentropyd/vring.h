/*
 * vring: our ends of libxenvchan's two rings, driven here by the protocol
 * of xen/io/libxenvchan.h instead of through libxenvchan (the peer keeps
 * using libxenvchan). Both ends ask the peer for an event only when they
 * are about to wait for one: each event costs the peer a hypercall and us
 * a wakeup, and at full speed they were most of the daemon's time beside
 * getrandom(2).
 *
 * sendring: the writing end, written in place.
 *
 * libxenvchan_write() copies from a buffer of the caller's, and asks the
 * peer for an event each time buffer space is looked at. xentropyd's
 * answers are getrandom(2) output, which can be written straight into the
 * ring, and it needs an event only when the ring is too full: so it writes
 * its end of the ring itself, by the protocol of xen/io/libxenvchan.h (the
 * peer keeps using libxenvchan). Pure: plain memory in, no system calls;
 * the caller sends the event sendring_publish() asks for.
 *
 * The peer owns cons and may write anything there at any time: each call
 * reads it once and refuses an impossible value with -EPROTO. prod is kept
 * here and only stored into the shared page, so the peer cannot move it.
 */
#ifndef XUD_XENTROPYD_VRING_H
#define XUD_XENTROPYD_VRING_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/*
 * From xen/io/libxenvchan.h, which (like libxenvchan.h) has no include
 * guard: so the .c files include it once, themselves.
 */
struct ring_shared;

struct sendring {
	struct ring_shared *shr;	/* prod and cons, shared */
	uint8_t *buf;
	uint32_t size;			/* a power of two */
	uint32_t prod;			/* ours; written to shr->prod */
	uint32_t shown;			/* the last prod written there */
	uint32_t told;			/* prod at our last event */
	int owed;		/* data shown that the peer may wait for */
	uint8_t *peer_asks;	/* where the peer asks us for events */
	uint8_t *we_ask;	/* where we ask the peer for events */
};

/*
 * shr and buf: the ring's shared indices and data, 1 << order bytes;
 * peer_asks and we_ask: the notify bytes of struct vchan_interface as seen
 * from this end (for a server, srv_notify and cli_notify).
 */
void sendring_init(struct sendring *r, struct ring_shared *shr, void *buf,
		   unsigned int order, uint8_t *peer_asks, uint8_t *we_ask);

/*
 * Bytes free, or -EPROTO. When fewer than want are free it asks the peer
 * for an event when it reads, then looks again (so none is missed).
 */
int sendring_space(struct sendring *r, size_t want);

/*
 * The first n free bytes (n no more than sendring_space() gave), as one or
 * two pieces of the ring; returns the number of pieces.
 */
int sendring_slots(struct sendring *r, size_t n, struct iovec iov[2]);

/* n bytes at the slots were written. */
void sendring_advance(struct sendring *r, size_t n);

/* Copies n bytes in (there must be room). */
void sendring_put(struct sendring *r, const void *p, size_t n);

/*
 * Makes the bytes written so far visible to the peer. Returns 1 when the
 * peer asked for an event on new data (the caller sends one), else 0.
 * With SENDRING_BATCH the event waits (the request stays set) until a
 * quarter of the ring came since the last one: for a writer that goes on
 * writing and publishes again with 0 before it stops, so that a reader
 * faster than us wakes once per quarter ring, not once per piece.
 */
#define SENDRING_BATCH 1
int sendring_publish(struct sendring *r, int flags);

/* recvring: the reading end. */
struct recvring {
	struct ring_shared *shr;
	const uint8_t *buf;
	uint32_t size;
	uint32_t cons;			/* ours; written to shr->cons */
	uint8_t *peer_asks;
	uint8_t *we_ask;
};

void recvring_init(struct recvring *r, struct ring_shared *shr,
		   const void *buf, unsigned int order, uint8_t *peer_asks,
		   uint8_t *we_ask);

/*
 * Copies up to n bytes out and consumes them, without asking for an event
 * (see recvring_arm). Returns the bytes copied, or -EPROTO when the peer's
 * prod is impossible. *notify is set when the peer asked for an event on
 * our reads (the caller sends one).
 */
int recvring_read(struct recvring *r, void *dst, size_t n, int *notify);

/*
 * Before waiting for input: asks the peer for an event when it writes,
 * then looks again. Returns the bytes now readable (0: wait), or -EPROTO.
 */
int recvring_arm(struct recvring *r);

#endif
