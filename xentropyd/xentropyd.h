/* xentropyd: shared definitions of the daemon's files. */
#ifndef XENTROPYD_H
#define XENTROPYD_H

#include <stdint.h>
#include <stdio.h>
#include <sys/queue.h>

#include "domains.h"
#include "ratelimit.h"
#include "proto.h"
#include "vring.h"

#define XE_MAX_PATTERNS 64
#define XE_PATTERN_MAX 64
#define XE_MAX_DOMIDS 256
/* The smallest bucket: one answer of the first protocol's largest size. */
#define XE_MIN_BURST 8192

/* The configuration (xentropyd.conf(5)); policy.c, free of I/O. */
struct xe_conf {
	int serve_all;
	int on_request;
	uint64_t rate;			/* bytes per second per guest, 0 = no limit */
	uint64_t burst;			/* bucket size in bytes */
	uint64_t ring_size;		/* daemon->guest ring in bytes */
	uint64_t frame_timeout_ms;	/* partial frame / unread response */
	uint64_t max_guests;		/* channels at once */
	int legacy;			/* legacy MirageOS console too */
	char names[XE_MAX_PATTERNS][XE_PATTERN_MAX];
	unsigned int nnames;
	uint32_t domids[XE_MAX_DOMIDS];
	unsigned int ndomids;
};

void xe_conf_defaults(struct xe_conf *c);
/* Errors counted and printed as file:line: msg; -errno if unreadable. */
int xe_conf_load(struct xe_conf *c, const char *path, FILE *errs);
/*
 * The one rule for startup and reload alike: a missing file means the
 * defaults unless the user named it (given). Returns 0 when c is valid,
 * -1 after writing why not to errs.
 */
int xe_conf_read(struct xe_conf *c, const char *path, int given, FILE *errs);
/* The effective configuration, one "key = value" per line. */
void xe_conf_print(FILE *out, const struct xe_conf *c);
/* True if policy serves this domain without being asked. */
int xe_conf_serves(const struct xe_conf *c, uint32_t domid, const char *name);
/*
 * Answers a request for count bytes from the guest's bucket: *grant bytes
 * (maybe 0) are taken; *retry_ms is when the rest would be available
 * (0 when everything was granted).
 */
void xe_decide(struct rl_bucket *b, uint32_t count, uint64_t now_ns,
	       uint32_t *grant, uint32_t *retry_ms);

/* The daemon. */
struct xstore;
struct xstore_watch;
struct loop;
struct event;
struct libxenvchan;
struct xentropyd;
struct xe_legacy;
struct evtchn;
struct gnt;

enum xe_state {
	XE_OFF,		/* not served */
	XE_IDLE,	/* served on request; none yet */
	XE_READY,	/* channel offered or connected */
	XE_WAIT,	/* channel closed for a while (penalty, shortage) */
};

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

	struct libxenvchan *vc;
	struct sendring out;	/* vc's ring to the guest, written here */
	struct recvring rq;	/* vc's ring from the guest, read here */
	struct event *ev;	/* the channel's event channel fd */
	struct event *kick;	/* resumes work left over for fairness */
	struct event *timer;	/* frame deadline, or the end of XE_WAIT */
	uint8_t in[XENTROPY_MAX_IN_FRAME];
	size_t inlen;
	uint32_t out_left;	/* data of the current answer still to write */

	struct rl_bucket rl;	/* bytes */
	struct rl_bucket reopen;	/* channel re-creations */
	uint64_t penalty_ms;

	struct xe_legacy *legacy;	/* legacy.c: the console, if any */

	uint64_t bytes, requests, throttled, errors, channels;
};

struct xentropyd {
	struct xe_conf conf;
	const char *conf_path;
	int conf_given;			/* -c: the file must exist */
	struct loop *loop;
	struct xstore *xs;
	struct dom_tracker *doms;
	uint32_t self;		/* our domid */
	uint64_t gen;		/* channel generation counter */
	int pool_ready;		/* getrandom(2) has given bytes without blocking */
	unsigned int nchannels;		/* vchan channels open now */
	int legacy_opt;			/* --legacy-mirage-channel */
	struct evtchn *evtchn;		/* legacy consoles' ports */
	struct gnt *gnt;		/* legacy consoles' rings */
	unsigned int nlegacy;		/* legacy consoles now */
	TAILQ_HEAD(, xe_guest) guests;
	struct rl_bucket logrl;	/* violation log lines */
	uint64_t suppressed;
};

/* xentropyd.c: (re)decides whether g is served and acts on it. */
void xe_guest_update(struct xe_guest *g);

/* chan.c */
struct xe_guest *xe_guest_new(struct xentropyd *d, const struct dom_info *di);
void xe_guest_free(struct xe_guest *g);
int xe_chan_open(struct xe_guest *g);
void xe_chan_close(struct xe_guest *g);
void xe_guest_set_state(struct xe_guest *g, enum xe_state s);
/* Closes the channel for a protocol violation, with one log line. */
void xe_chan_violation(struct xe_guest *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void xe_guest_wait(struct xe_guest *g, uint64_t ms);
/* getrandom(2) without blocking; -errno when the pool is not ready. */
int xe_fill_random(uint8_t *buf, size_t n);
/*
 * Logs one line for a guest's protocol violation, rate-limited across all
 * guests (what = "closing channel", "closing legacy console", ...).
 */
void xe_log_violation(struct xentropyd *d, const struct xe_guest *g,
		      const char *what, const char *msg, uint64_t again_ms);

/* legacy.c: the legacy MirageOS console (xentropyd(8), LEGACY MODE). */
int xe_legacy_wanted(const struct xentropyd *d);
int xe_legacy_open(struct xe_guest *g);
void xe_legacy_close(struct xe_guest *g);
/* A short description of the console's state, for the status text. */
const char *xe_legacy_state(const struct xe_guest *g);
/* Frees the shared handles once no console is left. */
void xe_legacy_shutdown(struct xentropyd *d);

#endif
