/*
 * Filling one slot of a service's warm pool. The domain is created
 * paused under the pool's name. With pool-boot it is then run until the
 * service's readiness checks pass and paused again, so that a summon
 * finds it booted and only unpauses it; a pool domain that is not ready
 * within the service's boot timeout is destroyed, and the fill fails.
 * One fill at a time per service; the end is reported by done(), from
 * the loop.
 */
#ifndef JITSUD_FILL_H
#define JITSUD_FILL_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "settings.h"

struct event;
struct event_base;
struct ready;
struct xstore;

/* ok: slot holds domid, paused. Else why says what went wrong. */
typedef void fill_done_fn(void *arg, int slot, bool ok, uint32_t domid,
    const char *why);

enum fill_step { FILL_IDLE, FILL_CREATE, FILL_RUN, FILL_BOOT, FILL_PAUSE,
	FILL_DESTROY };

struct fill {
	struct event_base *base;
	struct xstore *xs;
	struct backend *be;
	const struct jc_service *c;
	int svc;
	bool boot;		/* run to readiness before the pause */
	enum fill_step step;
	int slot;
	uint32_t domid;
	struct ready *ready;
	struct event *timer;	/* the boot timeout */
	char why[128];
	fill_done_fn *done;
	void *arg;
};

/* boot: pool-boot, where the backend can run pool domains. */
int fill_init(struct fill *f, struct event_base *base, struct xstore *xs,
    struct backend *be, const struct jc_service *c, int svc, bool boot,
    fill_done_fn *done, void *arg);
void fill_free(struct fill *f);
bool fill_busy(const struct fill *f);
/* Creates the domain name for slot; -errno when it cannot start. */
int fill_start(struct fill *f, int slot, const char *name);
/* A pool domain of slot found running at a restart: its boot goes on. */
int fill_resume(struct fill *f, int slot, uint32_t domid);
/* The backend's pooled report, for this service. */
void fill_reported(struct fill *f, int slot, uint32_t domid, int err);

#endif
