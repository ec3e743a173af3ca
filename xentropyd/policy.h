/*
 * xentropyd's configuration (xentropyd.conf(5)) and the decisions made
 * from it: which guests are served, and how much a request is granted.
 * Free of I/O but for reading the file, so that unit tests drive it.
 */
#ifndef XENTROPYD_POLICY_H
#define XENTROPYD_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"

#include "ratelimit.h"

#define XE_MAX_PATTERNS 64
#define XE_PATTERN_MAX 64
#define XE_MAX_DOMIDS 256
/* The smallest bucket: one answer of the first protocol's largest size. */
#define XE_MIN_BURST 8192

/* Which guests get a legacy console (legacy-serve). */
enum { XE_LEGACY_SERVE_ALL, XE_LEGACY_SERVE_POLICY };

struct xe_conf {
	int serve_all;
	int on_request;
	uint64_t rate;			/* bytes per second per guest, 0 = no limit */
	uint64_t burst;			/* bucket size in bytes */
	uint64_t ring_size;		/* daemon->guest ring in bytes */
	uint64_t frame_timeout_ms;	/* partial frame / unread response */
	uint64_t max_guests;		/* channels at once */
	int legacy;			/* legacy MirageOS console too */
	int legacy_serve;		/* XE_LEGACY_SERVE_* */
	uint64_t legacy_discard;	/* B/s discarded after the hello, 0 = strict */
	char names[XE_MAX_PATTERNS][XE_PATTERN_MAX];
	unsigned int nnames;
	uint32_t domids[XE_MAX_DOMIDS];
	unsigned int ndomids;
};

void xe_conf_defaults(struct xe_conf *c);
/*
 * For the skeleton (skel.h), which reads the file by one rule at the
 * start and at SIGHUP: a conf_cb with the struct xe_conf as arg, the
 * checks across keys (the number of errors), the effective
 * configuration, one "key = value" per line.
 */
int xe_conf_item(const struct conf_item *it, void *arg, char *err,
		 size_t len);
int xe_conf_check(const char *path, void *settings, FILE *errs);
void xe_conf_print(FILE *out, const void *settings);
/* Defaults, then path: errors as file:line: msg; -errno if unreadable. */
int xe_conf_load(struct xe_conf *c, const char *path, FILE *errs);
/* True if policy serves this domain without being asked. */
int xe_conf_serves(const struct xe_conf *c, uint32_t domid, const char *name);
/*
 * True if a guest gets a legacy console: legacy mode is on (legacy_on) and
 * either every domU gets one, as from mirage/xentropyd, or the serving
 * policy serves this guest (served).
 */
int xe_conf_legacy_serves(const struct xe_conf *c, int legacy_on,
			  int served);
/*
 * Answers a request for count bytes from the guest's bucket: *grant bytes
 * (maybe 0) are taken; *retry_ms is when the rest would be available
 * (0 when everything was granted).
 */
void xe_decide(struct rl_bucket *b, uint32_t count, uint64_t now_ns,
	       uint32_t *grant, uint32_t *retry_ms);

#endif
