/*
 * The libxl backend (see backend.h): libxl in this process, its fds and
 * timeouts on our libevent loop through its osevent hooks, its slow
 * operations asynchronous. A service's xl config is read with libxlutil
 * and mapped onto a libxl_domain_config; the subset understood is that
 * of a PV unikernel: name, type = "pv", kernel, memory, vcpus, extra
 * (or cmdline), and vif = [ '...' ] with the keys bridge, mac, ip,
 * script and backend; other keys are not read (no disks), and the on_*
 * actions are ours: a domain that stops is destroyed.
 *
 * A save file is libxl's stream (libxl_domain_suspend), not xl's: xl's
 * header and config are not in it; the xl config gives the restore its
 * domain config. libxl's helper processes (libxl-save-helper, hotplug
 * scripts) are reaped on our loop: SIGCHLD comes to libevent, which
 * tells libxl (libxl_sigchld_owner_mainloop).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <event2/event.h>
#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>

#include "backend.h"

struct xl {
	struct backend b;
	struct event_base *base;
	libxl_ctx *ctx;
	xentoollog_logger_stdiostream *log;
	struct event *sigchld;
};

/* One libxl operation in flight, or a report to give from the loop. */
struct op {
	struct xl *x;
	int svc;
	enum lc_action a;
	uint32_t domid;
	int err;
	char why[160];
	int fd;			/* the save file, while saving */
	char path[256];		/* the save file */
	bool pooled;		/* create_paused: for slot, not unpaused */
	int slot;
	struct timespec t0;	/* unpause: when libxl was asked */
};

/* --- libxl's events on our loop ------------------------------------------ */

/* One of libxl's fds or timeouts, as registered with us. */
struct reg {
	struct xl *x;
	struct event *ev;
	void *for_libxl;
	short events;
	int fd;
};

static struct reg *
reg_new(void *user, void *for_libxl)
{
	struct reg *r = calloc(1, sizeof(*r));

	if (r) {
		r->x = user;
		r->for_libxl = for_libxl;
	}
	return r;
}

/* The registration hook's end: kept, or undone. */
static int
reg_keep(struct reg *r, bool failed, void **out)
{
	if (failed) {
		if (r->ev)
			event_free(r->ev);
		free(r);
		return ERROR_OSEVENT_REG_FAIL;
	}
	*out = r;
	return 0;
}

static void
on_fd(evutil_socket_t fd, short what, void *arg)
{
	struct reg *r = arg;
	short revents = (what & EV_READ ? POLLIN : 0) |
	    (what & EV_WRITE ? POLLOUT : 0);

	libxl_osevent_occurred_fd(r->x->ctx, r->for_libxl, fd, r->events,
	    revents);
}

/* A regular file (a save file) is always ready, as poll() says. */
static void
on_file(evutil_socket_t fd, short what, void *arg)
{
	struct reg *r = arg;

	(void)fd; (void)what;
	libxl_osevent_occurred_fd(r->x->ctx, r->for_libxl, r->fd, r->events,
	    r->events & (POLLIN | POLLOUT));
}

static int
fd_arm(struct reg *r, int fd, short events)
{
	short ev = EV_PERSIST | (events & (POLLIN | POLLPRI) ? EV_READ : 0) |
	    (events & POLLOUT ? EV_WRITE : 0);
	struct timeval now = { 0, 0 };
	struct stat st;

	if (r->ev)
		event_free(r->ev);
	r->events = events;
	r->fd = fd;
	/* epoll refuses regular files (EPERM): a timer that fires on every
	 * turn of the loop while libxl wants the file. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		r->ev = event_new(r->x->base, -1, EV_PERSIST, on_file, r);
		if (!r->ev)
			return ERROR_OSEVENT_REG_FAIL;
		if ((events & (POLLIN | POLLOUT)) &&
		    event_add(r->ev, &now) < 0)
			return ERROR_OSEVENT_REG_FAIL;
		return 0;
	}
	r->ev = event_new(r->x->base, fd, ev, on_fd, r);
	if (!r->ev)
		return ERROR_OSEVENT_REG_FAIL;
	if ((ev & (EV_READ | EV_WRITE)) && event_add(r->ev, NULL) < 0)
		return ERROR_OSEVENT_REG_FAIL;
	return 0;
}

static int
fd_register(void *user, int fd, void **reg, short events, void *for_libxl)
{
	struct reg *r = reg_new(user, for_libxl);

	if (!r)
		return ERROR_OSEVENT_REG_FAIL;
	return reg_keep(r, fd_arm(r, fd, events) != 0, reg);
}

static int
fd_modify(void *user, int fd, void **reg, short events)
{
	(void)user;
	return fd_arm(*reg, fd, events);
}

static void
fd_deregister(void *user, int fd, void *reg)
{
	struct reg *r = reg;

	(void)user; (void)fd;
	event_free(r->ev);
	free(r);
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct reg *r = arg;
	struct xl *x = r->x;
	void *for_libxl = r->for_libxl;

	(void)fd; (void)what;
	/* Deregistered by occurring (libxl_event.h): ours goes first. */
	event_free(r->ev);
	free(r);
	libxl_osevent_occurred_timeout(x->ctx, for_libxl);
}

static int
to_arm(struct reg *r, struct timeval abs)
{
	struct timeval now, rel = { 0, 0 };

	gettimeofday(&now, NULL);
	if (timercmp(&abs, &now, >))
		timersub(&abs, &now, &rel);
	return event_add(r->ev, &rel) < 0 ? ERROR_OSEVENT_REG_FAIL : 0;
}

static int
timeout_register(void *user, void **reg, struct timeval abs, void *for_libxl)
{
	struct reg *r = reg_new(user, for_libxl);

	if (!r)
		return ERROR_OSEVENT_REG_FAIL;
	r->ev = evtimer_new(r->x->base, on_timeout, r);
	return reg_keep(r, !r->ev || to_arm(r, abs) != 0, reg);
}

/* Only ever "now" (libxl_event.h). */
static int
timeout_modify(void *user, void **reg, struct timeval abs)
{
	(void)user;
	return to_arm(*reg, abs);
}

static void
timeout_deregister(void *user, void *reg)
{
	(void)user; (void)reg;	/* never called */
}

static const libxl_osevent_hooks hooks = {
	fd_register, fd_modify, fd_deregister, timeout_register,
	timeout_modify, timeout_deregister,
};


/* --- reports, always from the loop ---------------------------------------- */

static void
report(evutil_socket_t fd, short what, void *arg)
{
	struct op *o = arg;
	const struct backend_reports *rep = o->x->b.rep;

	(void)fd; (void)what;
	if (o->pooled) {
		rep->pooled(o->x->b.arg, o->svc, o->slot, o->domid, o->err);
	} else if (o->a == LC_CREATE || o->a == LC_UNPAUSE ||
	    o->a == LC_RESTORE) {
		if (o->err)
			rep->failed(o->x->b.arg, o->svc, o->why);
		else
			rep->created(o->x->b.arg, o->svc, o->domid);
	} else {
		rep->stopped(o->x->b.arg, o->svc, o->a, o->err);
	}
	free(o);
}

static void
report_later(struct op *o)
{
	struct timeval now = { 0, 0 };

	if (event_base_once(o->x->base, -1, EV_TIMEOUT, report, o, &now) < 0)
		report(-1, 0, o);	/* out of memory: at once, then */
}

static struct op *
op_new(struct xl *x, int svc, enum lc_action a, uint32_t domid)
{
	struct op *o = calloc(1, sizeof(*o));

	if (o) {
		o->x = x;
		o->svc = svc;
		o->a = a;
		o->domid = domid;
		o->fd = -1;
	}
	return o;
}

static void
fail_later(struct op *o, const char *why, int rc)
{
	o->err = rc ? rc : ERROR_FAIL;
	snprintf(o->why, sizeof(o->why), "%s", why);
	report_later(o);
}

/* --- operations ----------------------------------------------------------- */

#define MAX_VIFS 8

/* One vif spec, "key=value,...", onto nic (initialised). */
static int
map_vif(const char *spec, libxl_device_nic *nic, char *why, size_t len)
{
	char buf[512], *tok, *save = NULL, *v;
	unsigned int m[6];

	if (strlen(spec) >= sizeof(buf)) {
		snprintf(why, len, "vif spec too long");
		return -1;
	}
	strcpy(buf, spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		if (!(v = strchr(tok, '='))) {
			snprintf(why, len, "vif: '%.40s' is not key=value", tok);
			return -1;
		}
		*v++ = '\0';
		if (strcmp(tok, "bridge") == 0) {
			free(nic->bridge);
			nic->bridge = strdup(v);
		} else if (strcmp(tok, "ip") == 0) {
			free(nic->ip);
			nic->ip = strdup(v);
		} else if (strcmp(tok, "script") == 0) {
			free(nic->script);
			nic->script = strdup(v);
		} else if (strcmp(tok, "backend") == 0) {
			free(nic->backend_domname);
			nic->backend_domname = strdup(v);
		} else if (strcmp(tok, "mac") == 0) {
			if (sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x", &m[0], &m[1],
			    &m[2], &m[3], &m[4], &m[5]) != 6) {
				snprintf(why, len, "vif: mac '%.40s'", v);
				return -1;
			}
			for (int i = 0; i < 6; i++)
				nic->mac[i] = (uint8_t)m[i];
		} else {
			snprintf(why, len, "vif: key '%.40s' is not one of "
			    "bridge, mac, ip, script, backend", tok);
			return -1;
		}
	}
	return 0;
}

static int
map_vifs(XLU_Config *cfg, libxl_domain_config *d, char *why, size_t len)
{
	XLU_ConfigList *list;
	const char *spec;
	int n;

	if (xlu_cfg_get_list(cfg, "vif", &list, &n, 1))
		return 0;	/* none */
	if (n > MAX_VIFS) {
		snprintf(why, len, "more than %d vifs", MAX_VIFS);
		return -1;
	}
	if (!(d->nics = calloc((size_t)n ? (size_t)n : 1, sizeof(*d->nics)))) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (int i = 0; i < n && (spec = xlu_cfg_get_listitem(list, i)); i++) {
		libxl_device_nic_init(&d->nics[i]);
		d->nics[i].devid = i;
		d->num_nics = i + 1;
		if (map_vif(spec, &d->nics[i], why, len) < 0)
			return -1;
	}
	return 0;
}

/* The xl config subset, onto d. Returns 0, or -1 with why. */
static int
map_config(libxl_ctx *ctx, const char *path, libxl_domain_config *d,
    char *why, size_t len)
{
	XLU_Config *cfg = xlu_cfg_init(stderr, path);
	const char *name = NULL, *type = "pv", *kernel = NULL, *extra = NULL;
	long memory = 32, vcpus = 1;
	char vwhy[100];
	int r = -1;

	if (!cfg || xlu_cfg_readfile(cfg, path)) {
		snprintf(why, len, "%s: cannot read it as an xl config", path);
		goto out;
	}
	xlu_cfg_get_string(cfg, "name", &name, 1);
	xlu_cfg_get_string(cfg, "type", &type, 1);
	xlu_cfg_get_string(cfg, "kernel", &kernel, 1);
	if (xlu_cfg_get_string(cfg, "extra", &extra, 1))
		xlu_cfg_get_string(cfg, "cmdline", &extra, 1);
	xlu_cfg_get_long(cfg, "memory", &memory, 1);
	xlu_cfg_get_long(cfg, "vcpus", &vcpus, 1);
	if (!name || !kernel) {
		snprintf(why, len, "%s: needs name and kernel", path);
		goto out;
	}
	if (strcmp(type, "pv") != 0) {
		snprintf(why, len, "%s: type '%s': only pv guests", path,
		    type);
		goto out;
	}
	if (memory < 1 || memory > 1 << 20 || vcpus < 1 || vcpus > 128) {
		snprintf(why, len, "%s: memory or vcpus out of range", path);
		goto out;
	}
	libxl_domain_config_init(d);
	d->c_info.type = LIBXL_DOMAIN_TYPE_PV;
	d->c_info.name = strdup(name);
	libxl_domain_build_info_init_type(&d->b_info, LIBXL_DOMAIN_TYPE_PV);
	d->b_info.max_memkb = d->b_info.target_memkb =
	    (uint64_t)memory * 1024;
	d->b_info.max_vcpus = (int)vcpus;
	if (libxl_cpu_bitmap_alloc(ctx, &d->b_info.avail_vcpus, (int)vcpus)) {
		snprintf(why, len, "out of memory");
		libxl_domain_config_dispose(d);
		goto out;
	}
	libxl_bitmap_set_none(&d->b_info.avail_vcpus);
	for (long i = 0; i < vcpus; i++)
		libxl_bitmap_set(&d->b_info.avail_vcpus, (int)i);
	d->b_info.kernel = strdup(kernel);
	d->b_info.cmdline = extra ? strdup(extra) : NULL;
	if (map_vifs(cfg, d, vwhy, sizeof(vwhy)) < 0) {
		snprintf(why, len, "%s: %s", path, vwhy);
		libxl_domain_config_dispose(d);
		goto out;
	}
	d->on_poweroff = d->on_reboot = d->on_crash = d->on_watchdog =
	    d->on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
	r = 0;
out:
	if (cfg)
		xlu_cfg_destroy(cfg);
	return r;
}

/* From the loop: libxl is not called from inside its own callbacks. */
static void
in_loop(struct op *o, event_callback_fn fn)
{
	struct timeval now = { 0, 0 };

	if (event_base_once(o->x->base, -1, EV_TIMEOUT, fn, o, &now) < 0)
		fail_later(o, "out of memory", ERROR_NOMEM);
}

static void
unpaused_done(libxl_ctx *ctx, int rc, void *arg)
{
	struct op *o = arg;
	struct timespec t1;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!o->pooled)	/* a summon's, not a pool boot's */
		o->x->b.unpause_us = (uint64_t)(t1.tv_sec - o->t0.tv_sec) *
		    1000000 + (uint64_t)(t1.tv_nsec - o->t0.tv_nsec) / 1000;
	if (rc)
		fail_later(o, "unpause failed", rc);
	else
		report_later(o);
}

static void
do_unpause(evutil_socket_t fd, short what, void *arg)
{
	struct op *o = arg;
	libxl_asyncop_how how = { .callback = unpaused_done };
	int rc;

	(void)fd; (void)what;
	how.u.for_callback = o;
	clock_gettime(CLOCK_MONOTONIC, &o->t0);
	rc = libxl_domain_unpause(o->x->ctx, o->domid, &how);
	if (rc)
		fail_later(o, "unpause failed", rc);
}

static void
unpause(struct op *o)
{
	in_loop(o, do_unpause);
}

struct createop {
	struct op *o;
	libxl_domain_config d;
	uint32_t domid;
	int fd;				/* restore: the save file */
	libxl_domain_restore_params params;
};

static void
created(libxl_ctx *ctx, int rc, void *arg)
{
	struct createop *c = arg;
	struct op *o = c->o;

	(void)ctx;
	o->domid = c->domid;
	libxl_domain_config_dispose(&c->d);
	if (c->fd >= 0) {
		close(c->fd);
		libxl_domain_restore_params_dispose(&c->params);
		/* Restored once: the image is spent. */
		if (!rc)
			unlink(o->path);
	}
	free(c);
	if (rc) {
		/* libxl destroys what it half created */
		o->domid = INVALID_DOMID;
		fail_later(o, "libxl could not create the domain", rc);
		return;
	}
	if (o->pooled)
		report_later(o);	/* kept paused, never run */
	else
		unpause(o);	/* created paused, as xl does */
}

/* The domain config of o's service, or NULL when o has failed. */
static struct createop *
createop_new(struct op *o, const char *xl_config)
{
	struct createop *c = calloc(1, sizeof(*c));
	char why[160];

	if (!c) {
		fail_later(o, "out of memory", ERROR_NOMEM);
		return NULL;
	}
	c->o = o;
	c->fd = -1;
	c->domid = INVALID_DOMID;
	if (map_config(o->x->ctx, xl_config, &c->d, why, sizeof(why)) < 0) {
		free(c);
		fail_later(o, why, ERROR_INVAL);
		return NULL;
	}
	return c;
}

static void
create_new(struct createop *c)
{
	libxl_asyncop_how how = { .callback = created };
	int rc;

	how.u.for_callback = c;
	rc = libxl_domain_create_new(c->o->x->ctx, &c->d, &c->domid, &how,
	    NULL);
	if (rc) {
		libxl_domain_config_dispose(&c->d);
		fail_later(c->o, "libxl could not start creating the domain",
		    rc);
		free(c);
	}
}

static int
xl_create(struct backend *b, int svc, const char *xl_config, const char *vm)
{
	struct xl *x = (struct xl *)b;
	struct op *o = op_new(x, svc, LC_CREATE, 0);
	struct createop *c;
	char why[160];

	if (!o)
		return -ENOMEM;
	if (vm && *vm) {
		if (libxl_name_to_domid(x->ctx, vm, &o->domid)) {
			snprintf(why, sizeof(why), "no domain named %s", vm);
			fail_later(o, why, ERROR_FAIL);
			return 0;
		}
		unpause(o);
		return 0;
	}
	if (!(c = createop_new(o, xl_config)))
		return 0;
	create_new(c);
	return 0;
}

static int
xl_restore(struct backend *b, int svc, const char *xl_config,
    const char *save_file)
{
	struct xl *x = (struct xl *)b;
	struct op *o = op_new(x, svc, LC_RESTORE, 0);
	struct createop *c;
	libxl_asyncop_how how = { .callback = created };
	char why[160];
	int rc;

	if (!o)
		return -ENOMEM;
	snprintf(o->path, sizeof(o->path), "%s", save_file);
	if (!(c = createop_new(o, xl_config)))
		return 0;
	if ((c->fd = open(save_file, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(why, sizeof(why), "%.100s: %s", save_file,
		    strerror(errno));
		libxl_domain_config_dispose(&c->d);
		free(c);
		fail_later(o, why, ERROR_FAIL);
		return 0;
	}
	libxl_domain_restore_params_init(&c->params);
	c->params.checkpointed_stream = LIBXL_CHECKPOINTED_STREAM_NONE;
	c->params.stream_version = 2;	/* what libxl_domain_suspend writes */
	how.u.for_callback = c;
	rc = libxl_domain_create_restore(x->ctx, &c->d, &c->domid, c->fd, -1,
	    &c->params, &how, NULL);
	if (rc) {
		close(c->fd);
		libxl_domain_restore_params_dispose(&c->params);
		libxl_domain_config_dispose(&c->d);
		free(c);
		fail_later(o, "libxl could not start restoring the domain", rc);
	}
	return 0;
}

static int
xl_create_paused(struct backend *b, int svc, int slot, const char *xl_config,
    const char *name)
{
	struct xl *x = (struct xl *)b;
	struct op *o = op_new(x, svc, LC_CREATE, 0);
	struct createop *c;

	if (!o)
		return -ENOMEM;
	o->pooled = true;
	o->slot = slot;
	if (!(c = createop_new(o, xl_config)))
		return 0;
	free(c->d.c_info.name);
	c->d.c_info.name = strdup(name);
	create_new(c);
	return 0;
}

static int
xl_unpause(struct backend *b, int svc, uint32_t domid, const char *rename_to)
{
	struct op *o;

	if (rename_to)	/* backend.h: we have rename, the summoner uses it */
		return -EINVAL;
	o = op_new((struct xl *)b, svc, LC_UNPAUSE, domid);
	if (!o)
		return -ENOMEM;
	unpause(o);
	return 0;
}

static void
stop_done(libxl_ctx *ctx, int rc, void *arg)
{
	struct op *o = arg;

	(void)ctx;
	if (rc)	/* else a failed save's error stays */
		o->err = rc;
	report_later(o);
}

/* A save's second half, or a save that failed: the domain goes. */
static void
destroy_saved(evutil_socket_t fd, short what, void *arg)
{
	struct op *o = arg;
	libxl_asyncop_how how = { .callback = stop_done };
	int rc;

	(void)fd; (void)what;
	how.u.for_callback = o;
	if ((rc = libxl_domain_destroy(o->x->ctx, o->domid, &how))) {
		o->err = rc;
		report_later(o);
	}
}

static void
saved(libxl_ctx *ctx, int rc, void *arg)
{
	struct op *o = arg;

	(void)ctx;
	close(o->fd);
	o->fd = -1;
	if (rc) {
		/* Nothing to restore from: a plain destroy, reported so. */
		unlink(o->path);
		o->a = LC_DESTROY;
		o->err = rc;
	}
	in_loop(o, destroy_saved);
}

static int
save(struct op *o, const char *save_file)
{
	libxl_asyncop_how how = { .callback = saved };
	int rc;

	snprintf(o->path, sizeof(o->path), "%s", save_file);
	o->fd = open(save_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600);
	if (o->fd < 0) {
		o->a = LC_DESTROY;
		o->err = ERROR_FAIL;
		in_loop(o, destroy_saved);
		return 0;
	}
	how.u.for_callback = o;
	if ((rc = libxl_domain_suspend(o->x->ctx, o->domid, o->fd, 0, &how)))
		saved(o->x->ctx, rc, o);
	return 0;
}

/* A stop's libxl call; o reports its end. */
static int
stop_op(struct op *o, enum lc_action a, const char *save_file)
{
	libxl_asyncop_how how = { .callback = stop_done };
	libxl_ctx *ctx = o->x->ctx;
	int rc;

	how.u.for_callback = o;
	switch (a) {
	case LC_PAUSE:
		rc = libxl_domain_pause(ctx, o->domid, &how);
		break;
	case LC_SHUTDOWN:
		rc = libxl_domain_shutdown(ctx, o->domid, &how);
		break;
	case LC_SAVE:
		return save(o, save_file);
	default:
		o->a = LC_DESTROY;
		rc = libxl_domain_destroy(ctx, o->domid, &how);
		break;
	}
	if (rc) {
		o->err = rc;
		report_later(o);
	}
	return 0;
}

static int
xl_stop(struct backend *b, int svc, uint32_t domid, enum lc_action a,
    const char *save_file)
{
	struct op *o = op_new((struct xl *)b, svc, a, domid);

	if (!o)
		return -ENOMEM;
	return stop_op(o, a, save_file);
}

static int
xl_pool_step(struct backend *b, int svc, int slot, uint32_t domid,
    enum pool_step step)
{
	struct op *o = op_new((struct xl *)b, svc, LC_NONE, domid);

	if (!o)
		return -ENOMEM;
	o->pooled = true;
	o->slot = slot;
	if (step == POOL_RUN) {
		unpause(o);
		return 0;
	}
	return stop_op(o, step == POOL_PAUSE ? LC_PAUSE : LC_DESTROY, NULL);
}

static int
xl_rename(struct backend *b, uint32_t domid, const char *name)
{
	struct xl *x = (struct xl *)b;

	return libxl_domain_rename(x->ctx, domid, NULL, name) ? -EIO : 0;
}

static int
xl_find(struct backend *b, const char *name, uint32_t *domid, bool *paused)
{
	struct xl *x = (struct xl *)b;
	libxl_dominfo info;
	int r;

	if (libxl_name_to_domid(x->ctx, name, domid))
		return -ENOENT;
	libxl_dominfo_init(&info);
	r = libxl_domain_info(x->ctx, &info, *domid) ? -ENOENT : 0;
	*paused = info.paused;
	if (info.shutdown || info.dying)
		r = -ENOENT;
	libxl_dominfo_dispose(&info);
	return r;
}

static int
xl_config_name(struct backend *b, const char *xl_config, char *name,
    size_t len)
{
	XLU_Config *cfg = xlu_cfg_init(stderr, xl_config);
	const char *n = NULL;
	int r = -ENOENT;

	(void)b;
	if (cfg && !xlu_cfg_readfile(cfg, xl_config) &&
	    !xlu_cfg_get_string(cfg, "name", &n, 1) && n) {
		snprintf(name, len, "%s", n);
		r = 0;
	}
	if (cfg)
		xlu_cfg_destroy(cfg);
	return r;
}

static void
xl_free(struct backend *b)
{
	struct xl *x = (struct xl *)b;

	if (!x)
		return;
	if (x->sigchld)
		event_free(x->sigchld);
	libxl_ctx_free(x->ctx);
	xtl_logger_destroy((xentoollog_logger *)x->log);
	free(x);
}

static const struct backend_ops xl_ops = {
	xl_create, xl_unpause, xl_create_paused, xl_stop, xl_restore, xl_find,
	xl_config_name, xl_free, xl_pool_step, xl_rename,
	NULL,	/* adopt: libxl is local, its find and config_name quick */
};

static void
on_sigchld(evutil_socket_t sig, short what, void *arg)
{
	struct xl *x = arg;

	(void)sig; (void)what;
	libxl_childproc_sigchld_occurred(x->ctx);
}

static const libxl_childproc_hooks childproc = {
	.chldowner = libxl_sigchld_owner_mainloop,
};

int
backend_libxl_new(struct event_base *base, const struct backend_reports *rep,
    void *arg, struct backend **out)
{
	struct xl *x = calloc(1, sizeof(*x));

	if (!x)
		return -ENOMEM;
	x->b.ops = &xl_ops;
	x->b.rep = rep;
	x->b.arg = arg;
	x->base = base;
	x->log = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
	if (!x->log || libxl_ctx_alloc(&x->ctx, LIBXL_VERSION, 0,
	    (xentoollog_logger *)x->log)) {
		xl_free(&x->b);
		return -EIO;
	}
	libxl_osevent_register_hooks(x->ctx, &hooks, x);
	x->sigchld = evsignal_new(base, SIGCHLD, on_sigchld, x);
	if (!x->sigchld || event_add(x->sigchld, NULL) < 0) {
		xl_free(&x->b);
		return -ENOMEM;
	}
	libxl_childproc_setmode(x->ctx, &childproc, x);
	*out = &x->b;
	return 0;
}
