/*
 * The client's end of a libxenvchan channel (xen/io/libxenvchan.h), pure:
 * the shared page and the ring pages are plain memory here (vchan.c maps
 * the real ones), so unit tests play the server.
 *
 * The server owns the page and may change anything in it at any time.
 * The ring orders and grant refs are read once, when the layout is taken;
 * each call reads the server's index once and refuses an impossible one
 * with -EPROTO; our own indices are kept here and only stored into the
 * page. Data is copied once, into the caller's buffer, which the caller
 * then validates (the ring bytes may change after the copy).
 *
 * Left ring: the client writes, the server reads; right ring: the
 * reverse. Each end asks the other for an event only before it waits:
 * the client sets bits in srv_notify (VCHAN_NOTIFY_WRITE: tell me when
 * you wrote; _READ: when you read), and clears the server's in cli_notify
 * when it acts on them.
 */
#ifndef XUD_UK_VCHAN_RING_H
#define XUD_UK_VCHAN_RING_H

#include <stddef.h>
#include <stdint.h>

/* No include guard of its own: included here only. */
#include <xen/io/libxenvchan.h>

#define VCHAN_MIN_ORDER 10
#define VCHAN_MAX_ORDER 20	/* libxenvchan's largest ring, 1 MiB */
/*
 * Granted ring pages we map at most, both rings together: a 1 MiB ring
 * one way and an in-page one the other (xentropyd's shape at its
 * largest ring-size). Each costs one of our pages while mapped.
 */
#define VCHAN_MAX_PAGES 256

/* One ring's bytes: size bytes from base within pages laid end to end. */
struct vchan_buf {
	uint8_t **pages;
	uint32_t base;		/* 1024 or 2048 in the shared page, else 0 */
	uint32_t size;		/* a power of two */
};

/* Where the rings are, from the orders the server wrote. */
struct vchan_layout {
	unsigned worder, rorder;	/* left (we write), right (we read) */
	unsigned wpages, rpages;	/* granted pages; 0: in the page */
	uint32_t refs[VCHAN_MAX_PAGES];	/* left's, then right's */
};

/*
 * Takes the layout from the shared page (orders and refs read once) and
 * checks it: orders within 10..20, the two in-page rings apart, the grant
 * list ending before the rings in the page. -EPROTO, or -E2BIG for more
 * than VCHAN_MAX_PAGES ring pages.
 */
int vchan_layout_read(const struct vchan_interface *shr,
		      struct vchan_layout *l);
/* The in-page ring offset of an order 10 or 11 ring. */
uint32_t vchan_layout_offset(unsigned order);

struct vchan_ring {
	struct vchan_interface *shr;
	struct vchan_buf w, r;
	uint32_t wprod, rcons;		/* ours */
};

void vchan_ring_init(struct vchan_ring *vr, struct vchan_interface *shr,
		     const struct vchan_buf *w, const struct vchan_buf *r);
/* We are here (cli_live = 1), and want an event on the server's writes. */
void vchan_ring_connect(struct vchan_ring *vr);
/* We are gone (cli_live = 0); the caller then notifies. */
void vchan_ring_disconnect(struct vchan_ring *vr);
/* 1 while the server is connected (srv_live is 1). */
int vchan_ring_server_live(const struct vchan_ring *vr);

/*
 * Copies up to n bytes out (read) or in (write) and moves our index:
 * the bytes done (0: none ready / no room), or -EPROTO. *notify is set
 * when the server asked for an event on this (the caller sends it).
 */
int vchan_ring_read(struct vchan_ring *vr, void *dst, size_t n,
		    int *notify);
int vchan_ring_write(struct vchan_ring *vr, const void *src, size_t n,
		     int *notify);
/*
 * Before waiting: asks the server for an event on its next write (data)
 * or read (space), then looks again, so no event is missed. Returns the
 * bytes readable / free now (0: wait), or -EPROTO.
 */
int vchan_ring_want_data(struct vchan_ring *vr);
int vchan_ring_want_space(struct vchan_ring *vr);

#endif
