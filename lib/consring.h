/*
 * The PV console ring (xen/io/console.h), both directions, free of I/O.
 *
 * The ring lives in memory the guest can write at any time. Each index is
 * read exactly once per call into a local, then validated: prod - cons
 * larger than the ring is hostile and reported as -EPROTO, never acted on.
 * Data is copied out once, after the indices are known, so that what the
 * caller sees cannot change under it. Nothing here maps, binds or logs.
 */
#ifndef XUD_CONSRING_H
#define XUD_CONSRING_H

#include <stddef.h>
#include <stdint.h>

/* The sizes of struct xencons_interface's rings. */
#define CONSRING_OUT_SIZE 2048u
#define CONSRING_IN_SIZE 1024u

/*
 * One direction of a console ring: data of size bytes (a power of two)
 * and the two free-running indices, all in shared memory.
 */
struct consring {
	volatile char *data;
	uint32_t size;
	volatile uint32_t *cons;
	volatile uint32_t *prod;
};

/*
 * The guest-to-dom0 ("out") and dom0-to-guest ("in") rings of a mapped
 * struct xencons_interface page.
 */
void consring_out(struct consring *r, void *intf);
void consring_in(struct consring *r, void *intf);

/*
 * Consumer side: copies up to len unread bytes into buf without consuming
 * them. Returns the number copied (0 = empty) and the consumer index they
 * start at in *cons, or -EPROTO when the indices are hostile.
 */
int consring_peek(const struct consring *r, void *buf, size_t len,
		  uint32_t *cons);
/*
 * Marks n bytes consumed, from the index consring_peek returned. Only
 * this process writes cons, so n <= what was peeked is always valid.
 */
void consring_consume(struct consring *r, uint32_t cons, uint32_t n);
/* Unread bytes, or -EPROTO. */
int consring_pending(const struct consring *r);

/*
 * Producer side: writes up to len bytes of buf into free space and
 * publishes them. Returns the number written (0 = full), or -EPROTO.
 */
int consring_write(struct consring *r, const void *buf, size_t len);

#endif
