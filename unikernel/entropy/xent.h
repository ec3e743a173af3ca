/*
 * The guest side of xentropyd (xentropy-protocol(7)) in the unikernel:
 * the presence key, the request key, the vchan the daemon offers, and the
 * frames, with lib/xentropy_proto.c, the codec xentropy-client uses.
 */
#ifndef XUD_UK_XENT_H
#define XUD_UK_XENT_H

#include <stddef.h>
#include <stdint.h>

#include "vchan.h"

struct xent {
	struct vchan vc;
	uint32_t server;	/* the daemon's domain */
	unsigned requests;	/* sent */
};

/*
 * Connects to the daemon that serves us, asking for service when it
 * waits for that. No daemon is -ENOENT: the presence key is absent and
 * stays so until absent_by (it may be written just after we boot).
 * Otherwise gives up at deadline (-ETIMEDOUT); -EACCES when the daemon
 * does not serve us, -EPROTONOSUPPORT for another protocol version,
 * -EPROTO for a presence key that makes no sense.
 */
int xent_open(struct xent *x, uint64_t absent_by, uint64_t deadline);
/*
 * Reads exactly n bytes by deadline, waiting out rate limits that end
 * before it (-EAGAIN for one that does not); *got says how many came.
 * -EPROTO for a frame xentropy_parse_response refuses (the channel is
 * then useless), -EPIPE when the daemon closed it.
 */
int xent_read(struct xent *x, void *buf, size_t n, uint64_t deadline,
	      size_t *got);
void xent_close(struct xent *x);

#endif
