/* The summoner (see summon.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "deadline.h"
#include "fill.h"
#include "lifecycle.h"
#include "log.h"
#include "pool.h"
#include "ready.h"
#include "xstore.h"
#include "summon.h"

/*
 * What the adoption at the start found of a service's domains: written
 * by adopt_find (in the backend's thread when it has adopt), read by
 * adopted in the loop once it has ended.
 */
struct found {
	bool named;		/* name: its domain's */
	char name[256];
	bool up, paused;	/* its domain, running or paused */
	uint32_t domid;
	bool pool_up[POOL_MAX], pool_paused[POOL_MAX];
	uint32_t pool_domid[POOL_MAX];
};

struct svc {
	struct summoner *sm;
	int i;
	struct lc_svc lc;
	struct ready *ready;	/* its checks, while starting */
	char domname[256];	/* its domain's name (xl config's, or vm) */
	struct pool pool;
	struct fill fill;	/* the pool's slot being filled */
	bool from_pool;		/* the start under way took a pool domain */
	bool pool_ready;	/* which was ready before its pause */
	bool pool_wait;		/* the start waits for a booting pool domain */
	bool rename;		/* its pool domain takes domname once ready */
	/* stop mode shutdown: the domain shut down before libxl said it
	 * had asked it to (a fast guest) */
	bool down_early;
	struct found found;
};

struct summoner {
	struct event_base *base;
	struct xstore *xs;
	const struct jc_conf *conf;
	summon_tell_fn *tell;	/* the server, or the DNS process */
	void *tell_arg;
	struct backend *be;
	struct svc *svc;
	struct event *timer;
	struct jd_summon hook;
};

static void act(struct summoner *sm, int i, enum lc_action a);

static bool
summonable(const struct jc_service *c)
{
	return c->vm[0] || c->xl_config[0];
}

static void
rearm(struct summoner *sm)
{
	uint64_t d = UINT64_MAX;

	for (unsigned int i = 0; i < sm->conf->nservices; i++)
		if (sm->svc[i].lc.deadline < d)
			d = sm->svc[i].lc.deadline;
	jd_timer_at(sm->timer, d);
}

static void
pool_name(const char *domname, int slot, char *buf, size_t len)
{
	snprintf(buf, len, "%s-pool%d", domname, slot);
}

/*
 * One pool domain at a time, and none while the service starts: the
 * refill must not slow a summon down. A pool domain that boots (pool-boot)
 * does so only while the service is stopped: its guest has the service's
 * address and MAC, and two must never run at once.
 */
static void
refill(struct summoner *sm, int i)
{
	struct svc *s = &sm->svc[i];
	char name[288];
	int k, r;

	if (s->lc.state == LC_STARTING || !s->domname[0] ||
	    fill_busy(&s->fill) ||
	    (s->fill.boot && s->lc.state != LC_STOPPED) ||
	    (k = pool_next_fill(&s->pool)) < 0)
		return;
	pool_name(s->domname, k, name, sizeof(name));
	if ((r = fill_start(&s->fill, k, name)) < 0) {
		log_warnc(r, "service %s: cannot fill its pool",
		    sm->conf->services[i].id);
		pool_filled(&s->pool, k, false, 0, false);
	}
}

/* A guest that counts against max-running: up, or on its way. */
static bool
holds_place(enum lc_state st)
{
	return st == LC_STARTING || st == LC_READY || st == LC_STOPPING;
}

/*
 * A service's state changed: the server answers by it; a pool domain
 * that started it takes the service's name (after the answer: the
 * rename is a xenstore transaction, slow under load); the pool refills
 * once the service is no longer starting (with the pool's name free).
 */
static void
changed(struct summoner *sm, int i)
{
	struct svc *s = &sm->svc[i];
	int r;

	/* A name without a domain is always up: the server's, not ours. */
	if (!summonable(&sm->conf->services[i]))
		return;
	if (sm->tell)
		sm->tell(sm->tell_arg, i, lc_dns_state(&s->lc),
		    holds_place(s->lc.state));
	if (s->rename && s->lc.state != LC_STARTING) {
		s->rename = false;
		/* Only the name is lost when this fails: adoption at a
		 * restart. */
		if (s->lc.has_domid && (r = sm->be->ops->rename(sm->be,
		    s->lc.domid, s->domname)) < 0)
			log_warnc(r, "service %s: cannot rename domain %" PRIu32
			    " to %s", sm->conf->services[i].id, s->lc.domid,
			    s->domname);
	}
	refill(sm, i);
}

static void
unwatch(struct svc *s)
{
	ready_stop(s->ready);
	s->ready = NULL;
}

/* Every readiness check has passed. */
static void
on_ready(void *arg)
{
	struct svc *s = arg;
	struct summoner *sm = s->sm;
	int i = s->i;

	unwatch(s);
	if (s->lc.state != LC_STARTING)
		return;
	lc_ready(&s->lc, jd_now_ms());
	log_info("service %s: ready (domain %" PRIu32 ", %" PRIu64
	    " ms after the query)", sm->conf->services[i].id, s->lc.domid,
	    s->lc.last_summon_ms);
	changed(sm, i);
	rearm(sm);
}

static void
on_created(void *arg, int i, uint32_t domid)
{
	struct summoner *sm = arg;
	struct svc *s = &sm->svc[i];
	const struct jc_service *c = &sm->conf->services[i];
	int r;

	if (s->lc.state != LC_STARTING)
		return;
	lc_domain(&s->lc, domid);
	if (s->from_pool)
		log_info("service %s: domain %" PRIu32 " unpaused from the "
		    "pool (the unpause took %" PRIu64 " us)", c->id, domid,
		    sm->be->unpause_us);
	else
		log_info("service %s: domain %" PRIu32 " started", c->id,
		    domid);
	unwatch(s);
	if (s->from_pool && s->pool_ready) {
		/* It passed the checks before its pause, and a paused
		 * domain changed nothing: checking again would only add
		 * xenstore round trips to the answer. */
		s->from_pool = false;
		on_ready(s);
		return;
	}
	s->from_pool = false;
	if ((r = ready_start(sm->base, sm->xs, c, domid, on_ready, s,
	    &s->ready)) < 0) {
		log_warnc(r, "service %s: cannot check its readiness", c->id);
		act(sm, i, lc_failed(&s->lc));
		changed(sm, i);
	}
}

static void
on_failed(void *arg, int i, const char *why)
{
	struct summoner *sm = arg;

	log_warnx("service %s: cannot start: %s", sm->conf->services[i].id,
	    why);
	unwatch(&sm->svc[i]);
	act(sm, i, lc_failed(&sm->svc[i].lc));
	changed(sm, i);
}

static void
on_stopped(void *arg, int i, enum lc_action a, int err)
{
	struct summoner *sm = arg;
	struct svc *s = &sm->svc[i];
	const struct jc_service *c = &sm->conf->services[i];

	if (err)
		log_warnx("service %s: stopping failed (backend error %d)",
		    c->id, err);
	if (a == LC_SHUTDOWN) {
		/* Asked; it is stopped once it has gone (or been destroyed
		 * when it did not). */
		lc_shutdown_asked(&s->lc, jd_now_ms());
		if (!err)
			log_info("service %s: asked to shut down", c->id);
		if (err || s->down_early)
			act(sm, i, lc_shut_down(&s->lc));
		rearm(sm);
		return;
	}
	if (!err)
		log_info("service %s: %s", c->id, a == LC_SAVE ? "saved to "
		    "its save file, and destroyed" : a == LC_PAUSE ? "paused" :
		    "stopped");
	act(sm, i, lc_stopped(&s->lc, a, jd_now_ms()));
	changed(sm, i);
}

static void
on_pooled(void *arg, int i, int slot, uint32_t domid, int err)
{
	struct summoner *sm = arg;

	fill_reported(&sm->svc[i].fill, slot, domid, err);
}

/* A fill ended; a start that waited for it goes on. */
static void
on_filled(void *arg, int slot, bool ok, uint32_t domid, const char *why)
{
	struct svc *s = arg;
	struct summoner *sm = s->sm;
	const char *id = sm->conf->services[s->i].id;

	if (!ok)
		log_warnx("service %s: pool domain %d: %s; the pool refills "
		    "after the next summon", id, slot, why);
	else
		log_info("service %s: pool domain %d is domain %" PRIu32
		    ", %s", id, slot, domid, s->fill.boot ? "booted and "
		    "paused" : "paused");
	pool_filled(&s->pool, slot, ok, domid, s->fill.boot);
	if (s->pool_wait) {
		s->pool_wait = false;
		if (s->lc.state == LC_STARTING)
			act(sm, s->i, LC_CREATE);
	}
	refill(sm, s->i);
}

static const struct backend_reports reports = {
	on_created, on_failed, on_stopped, on_pooled,
};

static void
act(struct summoner *sm, int i, enum lc_action a)
{
	struct svc *s = &sm->svc[i];
	const struct jc_service *c = &sm->conf->services[i];
	uint32_t domid;
	int r = 0;

	switch (a) {
	case LC_NONE:
		break;
	case LC_CREATE:
		if ((s->from_pool = pool_take(&s->pool, &domid,
		    &s->pool_ready))) {
			log_info("service %s: starting domain %" PRIu32
			    " from its pool", c->id, domid);
			lc_domain(&s->lc, domid);
			s->rename = sm->be->ops->rename != NULL;
			r = sm->be->ops->unpause(sm->be, i, domid, s->rename ?
			    NULL : s->domname);
			break;
		}
		if (s->fill.boot && fill_busy(&s->fill)) {
			/* Its guest would run beside the new one. */
			log_info("service %s: waiting for its pool domain, "
			    "which is booting", c->id);
			s->pool_wait = true;
			break;
		}
		log_info("service %s: starting", c->id);
		r = sm->be->ops->create(sm->be, i, c->xl_config, c->vm);
		break;
	case LC_UNPAUSE:
		r = sm->be->ops->unpause(sm->be, i, s->lc.domid, NULL);
		break;
	case LC_RESTORE:
		log_info("service %s: restoring it from %s", c->id,
		    c->save_file);
		r = sm->be->ops->restore(sm->be, i, c->xl_config, c->save_file);
		break;
	default:
		unwatch(s);
		s->down_early = false;
		if (s->lc.has_domid)
			r = sm->be->ops->stop(sm->be, i, s->lc.domid, a,
			    c->save_file);
		else
			act(sm, i, lc_stopped(&s->lc, a, jd_now_ms()));
		break;
	}
	if (r < 0) {
		log_warnc(r, "service %s: backend", c->id);
		if (s->lc.state == LC_STARTING)
			act(sm, i, lc_failed(&s->lc));
		else if (s->lc.state == LC_STOPPING)
			act(sm, i, lc_stopped(&s->lc, a, jd_now_ms()));
	}
	rearm(sm);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct summoner *sm = arg;
	uint64_t now = jd_now_ms();

	(void)fd; (void)what;
	for (unsigned int i = 0; i < sm->conf->nservices; i++) {
		struct svc *s = &sm->svc[i];
		enum lc_state was = s->lc.state;
		enum lc_action a = lc_tick(&s->lc, now);

		if (a == LC_NONE && s->lc.state == was)
			continue;
		if (was == LC_STARTING)
			log_warnx("service %s: not ready within its boot "
			    "timeout of %" PRIu64 " ms", sm->conf->services[i].id,
			    s->lc.boot_ms);
		else if (was == LC_STOPPING)
			log_warnx("service %s: not shut down within %" PRIu64
			    " ms; destroying it", sm->conf->services[i].id,
			    s->lc.boot_ms);
		else
			log_info("service %s: idle, stopping",
			    sm->conf->services[i].id);
		act(sm, (int)i, a);
		changed(sm, (int)i);
	}
	rearm(sm);
}

static int
hook_start(void *arg, int i)
{
	struct summoner *sm = arg;

	act(sm, i, lc_want(&sm->svc[i].lc, jd_now_ms()));
	return 0;
}

/* Guests of other services that are up or on their way (max-running). */
static unsigned int
hook_running(void *arg, int svc)
{
	struct summoner *sm = arg;
	unsigned int n = 0;

	for (unsigned int i = 0; i < sm->conf->nservices; i++)
		n += (int)i != svc && holds_place(sm->svc[i].lc.state);
	return n;
}

static void
hook_used(void *arg, int i)
{
	struct summoner *sm = arg;

	lc_used(&sm->svc[i].lc, jd_now_ms());
	rearm(sm);
}

int
summon_new(struct event_base *base, struct xstore *xs,
    const struct jc_conf *c, backend_new_fn *make_backend,
    struct summoner **out)
{
	struct summoner *sm = calloc(1, sizeof(*sm));
	int r;

	if (!sm)
		return -ENOMEM;
	sm->base = base;
	sm->xs = xs;
	sm->conf = c;
	sm->svc = calloc(c->nservices ? c->nservices : 1, sizeof(*sm->svc));
	sm->timer = evtimer_new(base, on_timer, sm);
	if (!sm->svc || !sm->timer) {
		summon_free(sm);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < c->nservices; i++) {
		sm->svc[i].sm = sm;
		sm->svc[i].i = (int)i;
		lc_init(&sm->svc[i].lc, &c->services[i]);
		pool_init(&sm->svc[i].pool, (unsigned int)c->services[i].pool);
	}
	if ((r = make_backend(base, &reports, sm, &sm->be)) < 0) {
		summon_free(sm);
		return r;
	}
	for (unsigned int i = 0; i < c->nservices; i++) {
		const struct jc_service *cs = &c->services[i];

		if ((r = fill_init(&sm->svc[i].fill, base, xs, sm->be, cs,
		    (int)i, cs->pool_boot, on_filled, &sm->svc[i])) < 0) {
			summon_free(sm);
			return r;
		}
		if (cs->pool_boot && !sm->svc[i].fill.boot)
			log_warnx("service %s: this backend cannot run pool "
			    "domains: they stay paused, never run", cs->id);
	}
	sm->hook = (struct jd_summon){ hook_start, hook_used, sm,
		hook_running };
	*out = sm;
	return 0;
}

const struct jd_summon *
summon_hook(struct summoner *sm)
{
	return &sm->hook;
}

/*
 * A restart finds its services' domains as it left them: each one's name
 * (its xl config's, or vm), its domain running or paused, its pool's.
 * The backend's calls block: with the backend's adopt, this runs in the
 * backend's thread (reading only the configuration), else in the loop.
 */
static void
adopt_find(void *arg, struct backend *be)
{
	struct summoner *sm = arg;
	char name[288];

	for (unsigned int i = 0; i < sm->conf->nservices; i++) {
		const struct jc_service *c = &sm->conf->services[i];
		struct found *f = &sm->svc[i].found;

		memset(f, 0, sizeof(*f));
		/* Names without a domain are always up (the server's). */
		if (!summonable(c))
			continue;
		snprintf(f->name, sizeof(f->name), "%s", c->vm);
		if (!f->name[0] && be->ops->config_name(be, c->xl_config,
		    f->name, sizeof(f->name)) < 0)
			continue;
		f->named = true;
		for (int k = 0; (uint64_t)k < c->pool && k < POOL_MAX; k++) {
			pool_name(f->name, k, name, sizeof(name));
			f->pool_up[k] = be->ops->find(be, name,
			    &f->pool_domid[k], &f->pool_paused[k]) == 0;
		}
		f->up = be->ops->find(be, f->name, &f->domid, &f->paused) == 0;
	}
}

/* The pool's domains found: kept. */
static void
adopt_pool(struct summoner *sm, int i)
{
	struct svc *s = &sm->svc[i];
	const struct found *f = &s->found;

	for (int k = 0; k < (int)s->pool.n; k++) {
		uint32_t domid = f->pool_domid[k];

		if (!f->pool_up[k])
			continue;
		if (!f->pool_paused[k] && pool_begin(&s->pool, k) &&
		    fill_resume(&s->fill, k, domid) == 0) {
			/* cut short while it booted (pool-boot) */
			log_info("service %s: pool domain %d adopted (domain "
			    "%" PRIu32 "), booting", sm->conf->services[i].id,
			    k, domid);
			continue;
		}
		pool_adopt(&s->pool, k, domid);
		log_info("service %s: pool domain %d adopted (domain %" PRIu32
		    ")", sm->conf->services[i].id, k, domid);
	}
}

/*
 * What adopt_find found, applied: running domains adopted, not booted
 * again (their idle time starts anew). A service summoned before this
 * (the backend's adopt: its create was queued behind the adoption) is
 * left to its summon, whose create takes the domain over.
 */
static void
adopted(void *arg)
{
	struct summoner *sm = arg;

	for (unsigned int i = 0; i < sm->conf->nservices; i++) {
		const struct jc_service *c = &sm->conf->services[i];
		struct svc *s = &sm->svc[i];
		const struct found *f = &s->found;

		if (!f->named)
			continue;
		snprintf(s->domname, sizeof(s->domname), "%s", f->name);
		adopt_pool(sm, (int)i);
		if (s->lc.state != LC_STOPPED) {
			if (f->up)
				log_info("service %s: domain %" PRIu32 " found "
				    "(%s); the summon under way takes it",
				    c->id, f->domid, f->paused ? "paused" :
				    "running");
			continue;
		}
		if (!f->up) {
			/* Saved before the restart: restored when asked. */
			if (c->stop_mode == JC_STOP_SUSPEND &&
			    access(c->save_file, R_OK) == 0) {
				lc_adopt_saved(&s->lc);
				log_info("service %s: saved in %s", c->id,
				    c->save_file);
			}
			continue;
		}
		lc_adopt(&s->lc, f->domid, f->paused, jd_now_ms());
		log_info("service %s: domain %" PRIu32 " adopted (%s)", c->id,
		    f->domid, f->paused ? "paused" : "running");
	}
	for (unsigned int i = 0; i < sm->conf->nservices; i++)
		changed(sm, (int)i);
	rearm(sm);
}

void
summon_attach(struct summoner *sm, summon_tell_fn *tell, void *arg)
{
	int r;

	sm->tell = tell;
	sm->tell_arg = arg;
	if (!sm->be->ops->adopt) {
		adopt_find(sm, sm->be);
		adopted(sm);
		return;
	}
	/* Stopped until the adoption has run: a summon meanwhile queues
	 * behind it. */
	if ((r = sm->be->ops->adopt(sm->be, adopt_find, adopted, sm)) < 0)
		log_warnc(r, "cannot adopt the services' running domains");
	for (unsigned int i = 0; i < sm->conf->nservices; i++)
		changed(sm, (int)i);
	rearm(sm);
}

static bool
is_svc(const struct summoner *sm, int i)
{
	return i >= 0 && (unsigned int)i < sm->conf->nservices &&
	    summonable(&sm->conf->services[i]);
}

int
summon_start(struct summoner *sm, int i)
{
	enum lc_state st;

	if (!is_svc(sm, i))
		return -ENOTSUP;
	st = sm->svc[i].lc.state;
	if (st == LC_STARTING || st == LC_READY)
		return -EALREADY;
	log_info("service %s: start asked for", sm->conf->services[i].id);
	act(sm, i, lc_want(&sm->svc[i].lc, jd_now_ms()));
	changed(sm, i);
	return 0;
}

int
summon_stop(struct summoner *sm, int i)
{
	struct svc *s;

	if (!is_svc(sm, i))
		return -ENOTSUP;
	s = &sm->svc[i];
	if (s->lc.state == LC_STARTING)
		return -EBUSY;
	if (s->lc.state != LC_READY)
		return -EALREADY;
	log_info("service %s: stop asked for", sm->conf->services[i].id);
	/* Its idle time is up now: stopped as when it idles. */
	s->lc.deadline = 0;
	act(sm, i, lc_tick(&s->lc, jd_now_ms()));
	changed(sm, i);
	return 0;
}

const struct lc_svc *
summon_svc(const struct summoner *sm, int i)
{
	return is_svc(sm, i) ? &sm->svc[i].lc : NULL;
}

void
summon_free(struct summoner *sm)
{
	if (!sm)
		return;
	for (unsigned int i = 0; sm->svc && i < sm->conf->nservices; i++) {
		unwatch(&sm->svc[i]);
		fill_free(&sm->svc[i].fill);
	}
	if (sm->be)
		sm->be->ops->free(sm->be);
	if (sm->timer)
		event_free(sm->timer);
	free(sm->svc);
	free(sm);
}

void
summon_status(FILE *f, struct summoner *sm)
{
	for (unsigned int i = 0; i < sm->conf->nservices; i++) {
		const struct lc_svc *l = &sm->svc[i].lc;

		if (!summonable(&sm->conf->services[i]))
			continue;
		fprintf(f, "service %s: state=%s", sm->conf->services[i].id,
		    lc_state_name(l->state));
		if (l->has_domid)
			fprintf(f, " domid=%" PRIu32, l->domid);
		fprintf(f, " boots=%" PRIu64 " failures=%" PRIu64
		    " boot-timeouts=%" PRIu64 " stops=%" PRIu64
		    " last-summon-ms=%" PRIu64, l->boots, l->failures,
		    l->boot_timeouts, l->stops, l->last_summon_ms);
		if (sm->svc[i].pool.n)
			fprintf(f, " pool=%u/%u", pool_held(&sm->svc[i].pool),
			    sm->svc[i].pool.n);
		fputc('\n', f);
	}
}

static int
svc_of(struct summoner *sm, uint32_t domid)
{
	for (unsigned int i = 0; i < sm->conf->nservices; i++)
		if (sm->svc[i].lc.has_domid && sm->svc[i].lc.domid == domid)
			return (int)i;
	return -1;
}

void
summon_dom_changed(struct summoner *sm, const struct dom_info *d)
{
	int i = svc_of(sm, d->domid);

	/* Ours to clean up: nothing else (no xl) destroys it. */
	if (i < 0 || (d->state != DOM_SHUTDOWN && d->state != DOM_CRASHED))
		return;
	if (sm->svc[i].lc.state == LC_STOPPING) {
		/* Shut down as asked (stop mode shutdown), or saving; or so
		 * fast that libxl has not said yet that it asked. */
		if (!sm->svc[i].lc.shutting)
			sm->svc[i].down_early = true;
		act(sm, i, lc_shut_down(&sm->svc[i].lc));
		return;
	}
	log_info("service %s: domain %" PRIu32 " %s; destroying it",
	    sm->conf->services[i].id, d->domid, dom_state_name(d->state));
	unwatch(&sm->svc[i]);
	lc_gone(&sm->svc[i].lc);
	sm->be->ops->stop(sm->be, i, d->domid, LC_DESTROY, NULL);
	changed(sm, i);
	rearm(sm);
}

void
summon_dom_removed(struct summoner *sm, const struct dom_info *d)
{
	int i = svc_of(sm, d->domid);

	for (unsigned int k = 0; i < 0 && k < sm->conf->nservices; k++)
		if (pool_forget(&sm->svc[k].pool, d->domid)) {
			log_info("service %s: pool domain %" PRIu32 " is gone",
			    sm->conf->services[k].id, d->domid);
			refill(sm, (int)k);
			return;
		}

	if (i < 0 || sm->svc[i].lc.state == LC_STOPPING)
		return;
	log_info("service %s: domain %" PRIu32 " is gone",
	    sm->conf->services[i].id, d->domid);
	unwatch(&sm->svc[i]);
	lc_gone(&sm->svc[i].lc);
	changed(sm, i);
	rearm(sm);
}
