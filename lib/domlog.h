/*
 * Per-domain limit on log lines a guest can trigger (attach, detach,
 * handshake, violations), so that one guest cycling its xenbus state
 * cannot flood the journal, whose per-unit limit would then drop other
 * guests' warnings. Free of I/O: the caller passes the time. One struct
 * domlog per domain (not per console or channel: a guest must not buy
 * more lines by opening more of them). The daemons log through
 * log_dom_rl() in log.h, which says how many lines were held back.
 */
#ifndef XUD_DOMLOG_H
#define XUD_DOMLOG_H

#include <stdint.h>

#include "ratelimit.h"

/*
 * Defaults: a normal guest lifecycle says about four lines per boot
 * (attached, handshake done, disconnected, detached), so a burst of 10
 * lets a reboot or two be logged whole and a well-behaved guest is never
 * cut. After that, one line per 10 s: 360 an hour for a guest that never
 * stops, still enough to see that it goes on, and ~3 per 30 s per domain,
 * far below journald's per-unit default (10000 per 30 s) even with
 * hundreds of hostile guests.
 */
#define DOMLOG_BURST 10
#define DOMLOG_PERIOD_MS 10000

struct domlog {
	struct rl_bucket rl;	/* tokens are ms of budget; a line costs period */
	uint64_t period_ms;	/* 0 = no limit */
	uint64_t suppressed;	/* held back since the last allowed line */
};

/* Full bucket at now_ns with the defaults above. */
void domlog_init(struct domlog *l, uint64_t now_ns);
/* burst lines at once, then one per period_ms (0 = no limit). */
void domlog_set(struct domlog *l, unsigned int burst, uint64_t period_ms,
		uint64_t now_ns);
/*
 * 1: log the line now; *suppressed (may be NULL) gets the number of lines
 * held back since the last allowed one, and the count restarts.
 * 0: hold it back; *suppressed gets the count including this one.
 */
int domlog_allow(struct domlog *l, uint64_t now_ns, uint64_t *suppressed);

#endif
