/*
 * sendring: the writing end of one libxenvchan ring, written in place.
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
#ifndef XUD_XENTROPYD_SENDRING_H
#define XUD_XENTROPYD_SENDRING_H

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
 */
int sendring_publish(struct sendring *r);

#endif
