/*
 * What xentropyd needs of libxenvchan (Xen 4.17) that its API does not
 * give, in one place, each with the reason; see vchan417.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <libxenvchan.h>
#include <xenevtchn.h>

#include "vring.h"
#include "vchan417.h"

/*
 * libxenvchan_server_init() of Xen 4.17 frees ctrl->xs_path, which it has
 * not initialised, when it fails before reaching xenstore (for instance
 * when no grant can be shared). glibc hands out the most recently freed
 * chunk of a size first, so a zeroed chunk of that size freed just
 * before makes the stray pointer NULL.
 *
 * blocking = 0: the loop waits on the fd; a blocking call would stall
 * every other guest behind one that does not read.
 */
struct libxenvchan *
vchan417_server_init(uint32_t domid, const char *path, size_t ring)
{
	void *p = calloc(1, sizeof(struct libxenvchan));
	struct libxenvchan *vc;

	free(p);
	vc = libxenvchan_server_init(NULL, (int)domid, path, 0, ring);
	if (vc)
		vc->blocking = 0;
	return vc;
}

/*
 * libxenvchan_write() copies from a buffer of the caller's and signals
 * the peer after every call; vring writes getrandom(2) output straight
 * into the ring and signals only when the peer asked. libxenvchan has
 * no call that hands out the rings, so they are taken from its struct,
 * which libxenvchan.h declares in full.
 */
void
vchan417_rings(struct libxenvchan *vc, struct sendring *out,
	       struct recvring *in)
{
	sendring_init(out, vc->write.shr, vc->write.buffer,
	    (unsigned int)vc->write.order, &vc->ring->srv_notify,
	    &vc->ring->cli_notify);
	recvring_init(in, vc->read.shr, vc->read.buffer,
	    (unsigned int)vc->read.order, &vc->ring->srv_notify,
	    &vc->ring->cli_notify);
}

int
vchan417_fd(struct libxenvchan *vc)
{
	return libxenvchan_fd_for_select(vc);
}

/*
 * There is no call to consume a pending event alone: libxenvchan_wait()
 * does that (and unmasks the port), and does not block once the fd is
 * readable, which is when the loop calls this.
 */
void
vchan417_ack(struct libxenvchan *vc)
{
	libxenvchan_wait(vc);
}

/*
 * libxenvchan signals only from inside its own read and write calls,
 * which vring replaces: the event channel is its struct's, too.
 */
int
vchan417_notify(struct libxenvchan *vc)
{
	if (xenevtchn_notify(vc->event, vc->event_port) < 0)
		return -errno;
	return 0;
}

/* libxenvchan_is_open(): 2 until a client connects, then 1, 0 if gone. */
enum vchan417_state
vchan417_state(struct libxenvchan *vc)
{
	switch (libxenvchan_is_open(vc)) {
	case 2: return VCHAN417_OFFERED;
	case 0: return VCHAN417_GONE;
	}
	return VCHAN417_CONNECTED;
}

void
vchan417_close(struct libxenvchan *vc)
{
	libxenvchan_close(vc);
}
