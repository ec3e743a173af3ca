/*
 * xentropyd's guests: a guest's lifecycle (from the domain tracker), its
 * presence key, the serving decisions, and the log lines its channels
 * report. chan.c and legacy.c report here by callback; this file decides.
 */
#ifndef XENTROPYD_GUEST_H
#define XENTROPYD_GUEST_H

#include <stdint.h>
#include <sys/queue.h>

#include "domains.h"
#include "domlog.h"
#include "ratelimit.h"
#include "counts.h"
#include "legacy.h"
#include "policy.h"

struct loop;
struct event;
struct xstore;
struct xstore_watch;
struct xe_chan;

enum xe_state {
	XE_OFF,		/* not served */
	XE_IDLE,	/* served on request; none yet */
	XE_READY,	/* channel offered or connected */
	XE_WAIT,	/* channel closed for a while (penalty, shortage) */
};

struct xentropyd;

struct xe_guest {
	TAILQ_ENTRY(xe_guest) entry;
	struct xentropyd *d;
	uint32_t domid;
	char name[DOM_NAME_MAX];
	char base[64];		/* /local/domain/<id>/data/xentropy */
	int running;		/* domain can be served (not shut down) */
	int requested;		/* wrote the request key */
	char request[64];	/* last value of the request key */
	enum xe_state state;
	struct xstore_watch *req_watch;
	struct xe_chan *chan;		/* chan.c: the vchan channel, if any */
	struct xe_legacy *legacy;	/* legacy.c: the console, if any */
	struct event *timer;		/* the end of XE_WAIT */
	struct rl_bucket rl;		/* bytes, for both channels */
	struct rl_bucket reopen;	/* channel re-creations */
	uint64_t penalty_ms;
	struct domlog log;		/* log lines the guest causes */
	struct xe_counts counts;
	uint64_t channels;		/* channels set up */
};

struct xentropyd {
	struct xe_conf conf;
	struct loop *loop;
	struct xstore *xs;
	struct dom_tracker *doms;	/* the skeleton's, once started */
	uint32_t self;		/* our domid */
	uint64_t gen;		/* channel generation counter */
	int pool_ready;		/* getrandom(2) has given bytes without blocking */
	unsigned int nchannels;		/* vchan channels open now */
	int legacy_opt;			/* --legacy-mirage-channel */
	struct xe_legacy_env legacy;	/* legacy consoles' shared handles */
	TAILQ_HEAD(, xe_guest) guests;
};

/* Sets up d's guest list; loop, xs and self must be set. */
void xe_guests_init(struct xentropyd *d);
/* For dom_tracker_new(): a guest per domain, dom0 and we excepted. */
extern const struct dom_ops xe_guest_dom_ops;
/* A new configuration: new buckets, every guest decided again. */
void xe_guests_reconfigure(struct xentropyd *d, const struct xe_conf *c);
/* At exit: closes every channel and removes the presence keys. */
void xe_guests_free(struct xentropyd *d);
/* Whether legacy consoles are offered at all. */
int xe_legacy_wanted(const struct xentropyd *d);

#endif
