/*
 * The legacy MirageOS console (xentropyd(8), LEGACY MODE): one secondary
 * PV console per guest, offered through xenstore, streaming random bytes
 * after legacy-proto's handshake. It reports upward, never calls into its
 * owner: events a guest causes go to ops->report, which logs them through
 * the guest's limiter.
 */
#ifndef XENTROPYD_LEGACY_H
#define XENTROPYD_LEGACY_H

#include <stdint.h>

#include "counts.h"

struct event_base;
struct evtchn;
struct gnt;
struct rl_bucket;
struct xstore;
struct xe_legacy;

/* What every console shares: one per daemon. */
struct xe_legacy_env {
	struct event_base *base;
	struct xstore *xs;
	uint32_t self;			/* our domid */
	struct evtchn *evtchn;		/* opened with the first console */
	struct gnt *gnt;
	unsigned int n;			/* consoles now */
};

enum xe_legacy_event {
	XE_LEGACY_HANDSHAKE,	/* the guest said hello, the stream starts */
	XE_LEGACY_BROKEN,	/* closed for a violation (why says) */
};

struct xe_legacy_ops {
	void (*report)(void *arg, enum xe_legacy_event ev, unsigned int dev,
		       const char *why);
};

struct xe_legacy_cfg {
	struct xe_legacy_env *env;
	uint32_t domid;
	struct rl_bucket *rl;		/* the guest's bytes, shared with vchan */
	struct xe_counts *counts;
	uint64_t discard_rate;		/* legacy-proto.h */
	const struct xe_legacy_ops *ops;
	void *arg;
};

/* Offers the console. 0 or -errno. */
int xe_legacy_open(const struct xe_legacy_cfg *cfg, struct xe_legacy **out);
/* Removes the device and frees (NULL is fine). */
void xe_legacy_close(struct xe_legacy *l);
/* The frontend's xenstore path, for the log. */
const char *xe_legacy_where(const struct xe_legacy *l);
/* A short description of the console's state, for the status text. */
const char *xe_legacy_state(const struct xe_legacy *l);
/* Frees the shared handles once no console is left. */
void xe_legacy_env_close(struct xe_legacy_env *env);

#endif
