/*
 * A service's life, the decisions without the I/O: when a query starts
 * it (created, unpaused or restored, by its stop mode), when it counts as
 * ready, when its boot has taken too long, when it has idled long enough
 * and how it stops. The summoner carries the actions out with a backend
 * (libxl, libvirt) and reports back; the answer table sees the state
 * lc_dns_state() gives. Free of I/O, times in ms of a monotonic clock.
 *
 *   STOPPED --want--> STARTING --ready--> READY --idle--> STOPPING
 *      ^                 |  (failed, boot timeout)           |
 *      +-----------------+------------------------------------+
 *   (STOPPING ends in STOPPED, or in PAUSED or SAVED, whose next want
 *   unpauses or restores instead of creating.)
 */
#ifndef JITSUD_LIFECYCLE_H
#define JITSUD_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

#include "answer.h"
#include "settings.h"

enum lc_state { LC_STOPPED, LC_STARTING, LC_READY, LC_STOPPING, LC_PAUSED,
	LC_SAVED };

enum lc_action {
	LC_NONE,
	LC_CREATE,	/* a new domain (xl config), or start the named one */
	LC_UNPAUSE,
	LC_RESTORE,	/* from the save file */
	LC_DESTROY,
	LC_SHUTDOWN,
	LC_SAVE,	/* save to the save file, and destroy */
	LC_PAUSE,
};

struct lc_svc {
	enum lc_state state;
	int stop_mode;		/* enum jc_stop_mode */
	uint64_t idle_ms, boot_ms;
	uint64_t deadline;	/* STARTING: boot; READY: idle; else none */
	uint64_t want_at;	/* when the boot under way was asked for */
	bool want_again;	/* a query came while it stopped */
	bool shutting;		/* asked to shut down, not gone yet */
	bool has_domid;
	uint32_t domid;
	/* For the status: */
	uint64_t boots, failures, boot_timeouts, stops;
	uint64_t last_summon_ms;	/* want -> ready of the last boot */
};

#define LC_NEVER UINT64_MAX

void lc_init(struct lc_svc *s, const struct jc_service *c);
/* A query needs the service up: the action to take, if any. */
enum lc_action lc_want(struct lc_svc *s, uint64_t now);
/* A query was answered: the idle time starts again. */
void lc_used(struct lc_svc *s, uint64_t now);
/* The backend's reports. */
void lc_domain(struct lc_svc *s, uint32_t domid);	/* created */
void lc_ready(struct lc_svc *s, uint64_t now);
/* The start failed: what to do with a domain that is left, if any. */
enum lc_action lc_failed(struct lc_svc *s);
/* A stop (action a) finished: the next action, if a query came since. */
enum lc_action lc_stopped(struct lc_svc *s, enum lc_action a, uint64_t now);
/*
 * Stop mode shutdown: the guest was asked to go. It has its boot timeout
 * to shut down; then, or when it has shut down (lc_shut_down), what is
 * left is destroyed: the action lc_tick() or lc_shut_down() gives.
 */
void lc_shutdown_asked(struct lc_svc *s, uint64_t now);
enum lc_action lc_shut_down(struct lc_svc *s);
/* The domain went away by itself (shut down, crashed, destroyed). */
void lc_gone(struct lc_svc *s);
/* A deadline passed: the boot timeout (then the service has failed) or
 * the idle time. */
enum lc_action lc_tick(struct lc_svc *s, uint64_t now);
/*
 * At start, the service's domain is found running (paused: as its stop
 * mode pause left it): adopted, not booted again; a running one gets a
 * whole idle time from now.
 */
void lc_adopt(struct lc_svc *s, uint32_t domid, bool paused, uint64_t now);
/* At start, no domain but the save file of stop mode suspend: saved. */
void lc_adopt_saved(struct lc_svc *s);
/* The answer table's view. Stopping counts as stopped, so that the next
 * query asks for the service (and lc_want() notes it for after). */
enum jd_svc_state lc_dns_state(const struct lc_svc *s);
const char *lc_state_name(enum lc_state st);

#endif
