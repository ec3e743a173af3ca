/*
 * One guest's vchan channel (xentropy-protocol(7)): offered, read,
 * answered within the guest's token bucket. It reports upward, never
 * calls into its owner: the end of the channel through ops->ended, log
 * lines a guest can cause through ops->say (the owner limits them).
 */
#ifndef XENTROPYD_CHAN_H
#define XENTROPYD_CHAN_H

#include <stdint.h>

#include "counts.h"

struct event_base;
struct rl_bucket;
struct xe_chan;

enum xe_chan_end {
	XE_CHAN_HUNGUP,		/* the client closed, or died */
	XE_CHAN_BROKEN,		/* the client broke the protocol */
};

struct xe_chan_ops {
	/*
	 * The channel is over (msg says why when BROKEN). served: some
	 * request was granted in full since the last report, the guest
	 * behaved. The callee must xe_chan_close() it; the channel does
	 * nothing more after this call.
	 */
	void (*ended)(void *arg, enum xe_chan_end why, const char *msg,
		      int served);
	void (*say)(void *arg, int prio, const char *msg);
};

struct xe_chan_cfg {
	struct event_base *base;
	uint32_t domid;
	const char *path;		/* xenstore directory of the vchan */
	uint64_t ring_size;
	uint64_t frame_timeout_ms;
	struct rl_bucket *rl;		/* the guest's bytes */
	int *pool_ready;		/* shared: getrandom(2) gave bytes */
	struct xe_counts *counts;
	const struct xe_chan_ops *ops;
	void *arg;
};

/* Offers the channel at cfg->path. 0 or -errno. */
int xe_chan_open(const struct xe_chan_cfg *cfg, struct xe_chan **out);
/* Closes and frees (NULL is fine). */
void xe_chan_close(struct xe_chan *c);
/* "offered", "connected" or "closed". */
const char *xe_chan_state(const struct xe_chan *c);

#endif
