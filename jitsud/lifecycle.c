/* A service's life (see lifecycle.h), free of I/O. */
#include "config.h"

#include "lifecycle.h"

void
lc_init(struct lc_svc *s, const struct jc_service *c)
{
	*s = (struct lc_svc){ .state = LC_STOPPED, .stop_mode = c->stop_mode,
		.idle_ms = c->idle_ms, .boot_ms = c->boot_ms,
		.deadline = LC_NEVER };
}

static enum lc_action
start(struct lc_svc *s, uint64_t now)
{
	enum lc_action a = s->state == LC_PAUSED ? LC_UNPAUSE :
	    s->state == LC_SAVED ? LC_RESTORE : LC_CREATE;

	if (a == LC_CREATE || a == LC_RESTORE)
		s->has_domid = false;
	s->state = LC_STARTING;
	s->want_at = now;
	s->deadline = now + s->boot_ms;
	s->boots++;
	return a;
}

enum lc_action
lc_want(struct lc_svc *s, uint64_t now)
{
	switch (s->state) {
	case LC_STOPPED:
	case LC_PAUSED:
	case LC_SAVED:
		return start(s, now);
	case LC_STOPPING:
		s->want_again = true;
		return LC_NONE;
	case LC_STARTING:	/* one boot for every query */
	case LC_READY:
		return LC_NONE;
	}
	return LC_NONE;
}

static void
idle_from(struct lc_svc *s, uint64_t now)
{
	s->deadline = s->idle_ms ? now + s->idle_ms : LC_NEVER;
}

void
lc_used(struct lc_svc *s, uint64_t now)
{
	if (s->state == LC_READY)
		idle_from(s, now);
}

void
lc_domain(struct lc_svc *s, uint32_t domid)
{
	s->has_domid = true;
	s->domid = domid;
}

void
lc_ready(struct lc_svc *s, uint64_t now)
{
	if (s->state != LC_STARTING)
		return;
	s->state = LC_READY;
	s->last_summon_ms = now - s->want_at;
	idle_from(s, now);
}

enum lc_action
lc_failed(struct lc_svc *s)
{
	bool left = s->has_domid;

	if (s->state != LC_STARTING)
		return LC_NONE;
	s->failures++;
	s->deadline = LC_NEVER;
	if (!left) {
		s->state = LC_STOPPED;
		return LC_NONE;
	}
	/* A domain that did not come up is not kept, whatever the mode. */
	s->state = LC_STOPPING;
	return LC_DESTROY;
}

static enum lc_action
stop_action(int mode)
{
	switch (mode) {
	case JC_STOP_SHUTDOWN: return LC_SHUTDOWN;
	case JC_STOP_SUSPEND: return LC_SAVE;
	case JC_STOP_PAUSE: return LC_PAUSE;
	}
	return LC_DESTROY;
}

enum lc_action
lc_stopped(struct lc_svc *s, enum lc_action a, uint64_t now)
{
	if (s->state != LC_STOPPING)
		return LC_NONE;
	s->stops++;
	s->state = a == LC_PAUSE ? LC_PAUSED : a == LC_SAVE ? LC_SAVED :
	    LC_STOPPED;
	if (s->state != LC_PAUSED)
		s->has_domid = false;
	s->deadline = LC_NEVER;
	if (!s->want_again)
		return LC_NONE;
	s->want_again = false;
	return start(s, now);
}

void
lc_shutdown_asked(struct lc_svc *s, uint64_t now)
{
	if (s->state != LC_STOPPING)
		return;
	s->shutting = true;
	s->deadline = now + s->boot_ms;
}

enum lc_action
lc_shut_down(struct lc_svc *s)
{
	if (s->state != LC_STOPPING || !s->shutting)
		return LC_NONE;
	s->shutting = false;
	s->deadline = LC_NEVER;
	return LC_DESTROY;
}

void
lc_gone(struct lc_svc *s)
{
	s->has_domid = false;
	if (s->state == LC_SAVED)
		return;	/* saved, then destroyed: as it should be */
	s->state = LC_STOPPED;
	s->deadline = LC_NEVER;
	s->want_again = false;
	s->shutting = false;
}

enum lc_action
lc_tick(struct lc_svc *s, uint64_t now)
{
	enum lc_action a;

	if (s->deadline == LC_NEVER || now < s->deadline)
		return LC_NONE;
	if (s->state == LC_STARTING) {
		s->boot_timeouts++;
		return lc_failed(s);
	}
	if (s->state == LC_STOPPING)	/* it did not shut down in time */
		return lc_shut_down(s);
	if (s->state != LC_READY)
		return LC_NONE;
	a = stop_action(s->stop_mode);
	s->state = LC_STOPPING;
	s->deadline = LC_NEVER;
	return a;
}

void
lc_adopt(struct lc_svc *s, uint32_t domid, bool paused, uint64_t now)
{
	lc_domain(s, domid);
	if (paused) {
		s->state = LC_PAUSED;
		s->deadline = LC_NEVER;
		return;
	}
	s->state = LC_READY;
	idle_from(s, now);
}

void
lc_adopt_saved(struct lc_svc *s)
{
	s->has_domid = false;
	s->state = LC_SAVED;
	s->deadline = LC_NEVER;
}

enum jd_svc_state
lc_dns_state(const struct lc_svc *s)
{
	switch (s->state) {
	case LC_READY:
		return JD_READY;
	case LC_STARTING:
		return JD_BOOTING;
	default:
		return JD_STOPPED;
	}
}

const char *
lc_state_name(enum lc_state st)
{
	static const char *const n[] = { "stopped", "starting", "ready",
		"stopping", "paused", "saved" };

	return (unsigned int)st < sizeof(n) / sizeof(n[0]) ? n[st] : "?";
}
