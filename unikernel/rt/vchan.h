/*
 * A libxenvchan client in the guest: connects to the channel a server
 * domain offers under a xenstore path (its nodes ring-ref and
 * event-channel), as libxenvchan_client_init does, so the server keeps
 * using libxenvchan. Every wait has a deadline (Xen system time). The
 * rings themselves are vchan_ring.c's.
 */
#ifndef XUD_UK_VCHAN_H
#define XUD_UK_VCHAN_H

#include <stddef.h>
#include <stdint.h>

#include "gnttab.h"
#include "vchan_ring.h"
#include "xen.h"

struct vchan {
	struct vchan_ring ring;
	struct vchan_layout layout;
	domid_t server;
	evtchn_port_t port;
	int bound;
	int event;		/* the port fired since we last looked */
	uint8_t *page;		/* the shared page, at a page of ours */
	grant_handle_t page_handle;
	uint8_t *pages[VCHAN_MAX_PAGES];	/* left's, then right's */
	grant_handle_t handles[VCHAN_MAX_PAGES];
	unsigned nmapped;
};

/*
 * Connects to server's channel at path (relative to our home, or
 * absolute). -ENOENT when the nodes are not there, -EPROTO for values or
 * a layout that make no sense, -E2BIG for rings bigger than we map,
 * -ENOMEM, or what Xen says of the grant or the event channel.
 */
int vchan_open(struct vchan *v, domid_t server, const char *path);
/* Says goodbye (cli_live = 0 and an event), unmaps, closes the port. */
void vchan_close(struct vchan *v);

/*
 * Reads exactly n bytes, or writes all of buf, by deadline: 0,
 * -ETIMEDOUT, -EPIPE once the server is gone (after what it wrote was
 * read), or -EPROTO for an impossible ring index.
 */
int vchan_read_full(struct vchan *v, void *buf, size_t n, uint64_t deadline);
int vchan_write_all(struct vchan *v, const void *buf, size_t n,
		    uint64_t deadline);

#endif
