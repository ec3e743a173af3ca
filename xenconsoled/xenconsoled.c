/*
 * xenconsoled: a drop-in replacement for Xen's console daemon that loses
 * no guest output. Built on the daemon skeleton (skel.h): its hooks,
 * the configuration and the domain callbacks live here, the command
 * line's own options in args.c; consoles in the files console.h lists, the
 * hypervisor log in hvlog.c, files in logfile.c, formatting in
 * linefmt.c, the writer threads in logqueue.c.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <event2/event.h>

#include "args.h"
#include "conf.h"
#include "domains.h"
#include "evtchn.h"
#include "grant.h"
#include "log.h"
#include "logqueue.h"
#include "logsock.h"
#include "loop.h"
#include "retention.h"
#include "skel.h"
#include "xenconsoled.h"
#include "xstore.h"

#define XCD_CONF SYSCONFDIR "/xud/xenconsoled.conf"
#define XCD_CONTROL RUNSTATEDIR "/xenconsoled/control"
/* Xen's, when it goes to the background; its scripts look there. */
#define XCD_PID_FILE "/run/xenconsoled.pid"
/* How often old logs are looked at for retention. */
#define XCD_RETENTION_SCAN_S 3600
/*
 * Each log is bounded by default (1 + rotate-keep files of this size):
 * far above what a guest's boot and life write, far below a full /var.
 */
#define XCD_ROTATE_SIZE (32ULL << 20)
/* Log writer threads: a stalled write holds one of them. */
#define XCD_WRITERS 4
/* Our stop waits this long for the logs to take every ring. */
#define XCD_STOP_MS 10000

static const char *const which_names[] = { "none", "guest", "hv", "all",
	NULL };
static const char *const stamp_names[] = { "iso", "xen", NULL };
static const char *const overflow_names[] = { "discard", "keep", NULL };
static const char *const sink_names[] = { "file", "journald", "syslog",
	NULL };
static const char *const rate_mode_names[] = { "bytes", "xen-events", NULL };

#define S(f) offsetof(struct xcd_settings, f)
static const struct conf_key xcd_keys[] = {
	{ "log", CONF_ENUM, S(log), 0, 0, which_names,
	  "which consoles are logged" },
	{ "log-dir", CONF_STR, S(log_dir), 0, XCD_PATH_MAX, NULL,
	  "directory of the log files" },
	{ "timestamp", CONF_ENUM, S(timestamp), 0, 0, which_names,
	  "which logs get a timestamp on each line" },
	{ "timestamp-format", CONF_ENUM, S(timestamp_format), 0, 0,
	  stamp_names, "iso: UTC with ms; xen: Xen's local time" },
	{ "overflow-data", CONF_ENUM, S(overflow_keep), 0, 0, overflow_names,
	  "when a buffer is full: drop the oldest data or wait" },
	{ "replace-escape", CONF_BOOL, S(replace_escape), 0, 0, NULL,
	  "write ESC as '.'" },
	{ "notes", CONF_BOOL, S(notes), 0, 0, NULL,
	  "write [xenconsoled: ...] lines (trailer, drops) into guest logs" },
	{ "pid-file", CONF_STR, S(pid_file), 0, XCD_PATH_MAX, NULL,
	  "where to write our pid" },
	{ "sink", CONF_ENUM, S(sink), 0, 0, sink_names,
	  "where guest output goes" },
	{ "rate-mode", CONF_ENUM, S(rate_mode), 0, 0, rate_mode_names,
	  "limit bytes, or Xen's 30 events per 200 ms" },
	{ "rate-limit", CONF_SIZE, S(rate), 0, 1ULL << 40, NULL,
	  "bytes per second per console; 0 = unlimited" },
	{ "rate-burst", CONF_SIZE, S(burst), 2048, 1ULL << 40, NULL,
	  "bytes a console may write at once" },
	{ "pty-buffer", CONF_SIZE, S(pty_buffer), 1024, 64ULL << 20, NULL,
	  "a pty backlog where xenstore has no console/limit" },
	{ "rotate-size", CONF_SIZE, S(rotate_size), 0, 1ULL << 50, NULL,
	  "rotate a log at this size; 0 = never" },
	{ "rotate-keep", CONF_UINT, S(rotate_keep), 0, 1000, NULL,
	  "rotated files kept" },
	{ "retention", CONF_MSEC, S(retention_ms), 0, 10ULL * 365 * 86400000,
	  NULL, "remove a gone domain's logs this long after their last "
	  "write; 0 = never" },
	{ "max-open-logs", CONF_UINT, S(max_open_logs), 1, 65536, NULL,
	  "log files open at once; more are closed and reopened" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};
#undef S

static void
settings_default(struct xcd_settings *s)
{
	memset(s, 0, sizeof(*s));
	/* Xen's defaults, so that the same command line does the same. */
	s->log = XCD_NONE;
	snprintf(s->log_dir, sizeof(s->log_dir), "%s", "/var/log/xen/console");
	s->timestamp = XCD_NONE;
	s->timestamp_format = LF_STAMP_XEN - 1;
	s->overflow_keep = 0;
	s->notes = 1;
	s->sink = XCD_SINK_FILE;
	s->rate_mode = XCD_RATE_BYTES;
	s->rate = 1 << 20;
	s->burst = 4 << 20;
	s->pty_buffer = 64 << 10;
	s->rotate_size = XCD_ROTATE_SIZE;
	s->rotate_keep = 5;
	s->max_open_logs = 64;
}

static int
conf_item(const struct conf_item *it, void *arg, char *err, size_t len)
{
	int r;

	if (it->section) {
		snprintf(err, len, "unknown section [%s]", it->section);
		return -1;
	}
	r = conf_set(xcd_keys, arg, it->key, it->value, err, len);
	if (r == 1) {
		snprintf(err, len, "unknown key '%s'", it->key);
		return -1;
	}
	return r;
}

static void
on_added(const struct dom_info *d, void *arg)
{
	int r;

	if ((r = con_add(arg, d)) < 0)
		log_dom(LOG_WARNING, d->domid, d->name, "cannot track console: "
		    "%s", strerror(-r));
}

static void
on_changed(const struct dom_info *d, const struct dom_info *old, void *arg)
{
	con_changed(arg, d, old);
}

static void
on_removed(const struct dom_info *d, void *arg)
{
	con_removed(arg, d);
}

/* Our stop is done when every ring's bytes are in the logs. */
static void
stop_check(struct xcd *x)
{
	if (x->stopping && con_stop_pending(x) == 0 &&
	    hv_stop_pending(&x->hv) == 0)
		loop_exit(x->loop);
}

static void
on_stop_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct xcd *x = arg;

	log_warnx("stopping: logs still %llu bytes behind after %d ms; "
	    "exiting anyway (unlogged ring bytes stay in the rings)",
	    (unsigned long long)(con_stop_pending(x) +
	    hv_stop_pending(&x->hv)),
	    XCD_STOP_MS);
	loop_exit(x->loop);
}

static void
on_progress_one(void *owner, void *arg)
{
	struct xcd *x = arg;

	if (owner)
		con_progress(owner);
	else
		hv_progress(&x->hv);
}

/* The log writers made progress: consume rings, read on, maybe stop. */
static void
on_progress(evutil_socket_t fd, short what, void *arg)
{
	struct xcd *x = arg;

	lq_pool_collect(x->pool, on_progress_one, x);
	stop_check(x);
}

static void
on_stop(struct xud *xud)
{
	struct xcd *x = xud->arg;
	struct timeval tv = { XCD_STOP_MS / 1000, XCD_STOP_MS % 1000 * 1000 };

	log_info("stopping: draining all consoles");
	x->stopping = 1;
	con_drain_all(x);
	hv_pump(&x->hv);
	x->stop_timer = evtimer_new(loop_base(x->loop), on_stop_timeout, x);
	if (x->stop_timer == NULL) {
		loop_exit(x->loop);
		return;
	}
	evtimer_add(x->stop_timer, &tv);
	stop_check(x);
}

static void
on_reload(struct xud *xud)
{
	struct xcd *x = xud->arg;

	log_info("reopening log files");
	con_reopen_all(x);
	hv_reopen(&x->hv);
}

static const char *
which_name(int w)
{
	return which_names[w];
}

static void
status_head(struct xcd *x, char *buf, size_t len)
{
	struct logfile_set_stats ls;

	logfile_set_stats(x->logs, &ls);
	snprintf(buf, len, "xenconsoled %s: log=%s sink=%s log-dir=%s "
	    "rate-limit=%llu rate-burst=%llu open-logs=%u/%u "
	    "log-reopens=%llu%s", PACKAGE_VERSION,
	    which_name(x->set.log), sink_names[x->set.sink], x->set.log_dir,
	    (unsigned long long)x->set.rate, (unsigned long long)x->set.burst,
	    ls.open, ls.max, (unsigned long long)ls.evictions,
	    x->stopping ? " stopping" : "");
}

/* --status: the same text as SIGUSR1 logs. */
static void
on_status(FILE *f, void *arg)
{
	struct xcd *x = arg;
	char head[512];

	status_head(x, head, sizeof(head));
	fprintf(f, "%s\n", head);
	con_status(x, f);
	hv_status(&x->hv, f);
}

static void
on_dump(struct xud *xud)
{
	struct xcd *x = xud->arg;
	char head[512];

	status_head(x, head, sizeof(head));
	log_info("%s", head);
	con_dump_all(x);
	hv_status(&x->hv, NULL);
}

static void
retention_said(const char *file, int err, void *arg)
{
	struct xcd *x = arg;

	if (err)
		log_warnc(err, "retention: cannot remove %s/%s",
		    x->set.log_dir, file);
	else
		log_info("retention: removed %s/%s", x->set.log_dir, file);
}

static void
on_retention_done(evutil_socket_t fd, short what, void *arg)
{
	struct xcd *x = arg;

	retention_collect(x->retention, retention_said, x);
}

/* Asks the retention thread for a scan, with the live domains' names. */
static void
on_retention_timer(evutil_socket_t fd, short what, void *arg)
{
	struct xcd *x = arg;
	struct timeval tv = { XCD_RETENTION_SCAN_S, 0 };
	const struct dom_table *t = dom_tracker_table(x->doms);
	char **names = calloc(t->n ? t->n : 1, sizeof(*names));
	int r = -ENOMEM;

	evtimer_add(x->retention_timer, &tv);
	if (names) {
		for (size_t i = 0; i < t->n; i++)
			names[i] = t->v[i].name;
		r = retention_request(x->retention, names, t->n);
		free(names);
	}
	if (r < 0)
		log_warnc(r, "retention: no scan");
}

/* Off the loop: a thread scans; its results come back through an fd. */
static void
retention_start(struct xcd *x)
{
	int r;

	if ((r = retention_new(logfile_set_dirfd(x->logs), x->set.retention_ms,
	    &x->retention)) < 0) {
		log_warnc(r, "retention: disabled");
		return;
	}
	x->retention_ev = event_new(loop_base(x->loop),
	    retention_fd(x->retention), EV_READ | EV_PERSIST,
	    on_retention_done, x);
	x->retention_timer = evtimer_new(loop_base(x->loop),
	    on_retention_timer, x);
	if (x->retention_ev == NULL || event_add(x->retention_ev, NULL) < 0 ||
	    x->retention_timer == NULL) {
		log_warnx("retention: disabled: out of memory");
		return;
	}
	on_retention_timer(-1, 0, x);
}

/* The command line's own options, kept until the file is read. */
static struct xcd_args cli;

static int
on_option(struct xud *xud, int c, const char *arg)
{
	if (xcd_args_option(&cli, c, arg, stderr) < 0)
		return XUD_OPT_UNKNOWN;
	if (cli.fg)
		xud->foreground = 1;
	return 0;
}

static int
on_args(struct xud *xud, int argc, char **argv)
{
	xcd_args_extra(argc, argv, stderr);
	return 0;
}

/*
 * The log directory is opened before detaching, so that its errors
 * reach whoever started us, and its fd is what the log files live in.
 */
static int logdir = -1;

static int
open_logdir(struct xcd *x)
{
	char err[256];

	if (!(x->set.log == XCD_HV || x->set.log == XCD_ALL ||
	    (x->set.log == XCD_GUEST && x->set.sink == XCD_SINK_FILE)))
		return 0;
	if (mkdir(x->set.log_dir, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "xenconsoled: cannot create %s: %s\n",
		    x->set.log_dir, strerror(errno));
		return 1;
	}
	if ((logdir = logdir_open(x->set.log_dir, err, sizeof(err))) < 0) {
		fprintf(stderr, "xenconsoled: log directory %s: %s\n",
		    x->set.log_dir, err);
		return 1;
	}
	return 0;
}

/* The command line over the file; then, unless -n, the log directory. */
static int
configured(struct xud *xud)
{
	struct xcd *x = xud->arg;
	char err[256];

	cli.pid_file = xud->pidfile;
	if (xcd_args_apply(&cli, &x->set, err, sizeof(err)) < 0) {
		fprintf(stderr, "xenconsoled: %s\n", err);
		return 2;
	}
	/* None given: Xen's path when detached (the skeleton's default). */
	xud->pidfile = x->set.pid_file[0] ? x->set.pid_file : NULL;
	return xud->check ? 0 : open_logdir(x);
}

/*
 * Locked and listening (the skeleton), before any console is attached:
 * a second daemon would take over rings and rewrite secondary backends'
 * states.
 */
static void
setup(struct xud *xud)
{
	struct xcd *x = xud->arg;
	int r;

	x->loop = xud->loop;
	x->xs = xud->xs;
	/* Secondary consoles' backends are in our own area. */
	x->self = xstore_own_domid(x->xs);
	if ((r = evtchn_open(xud_base(xud), &x->ev)) < 0)
		fatalx("cannot open event channels: %s", strerror(-r));
	if ((r = gnt_open(1, &x->gnt)) < 0)
		fatalx("cannot open grant tables: %s", strerror(-r));
	if ((r = logfile_set_new(logdir, (unsigned int)x->set.max_open_logs,
	    &x->logs)) < 0)
		fatalx("cannot set up the log files: %s", strerror(-r));
	if ((r = lq_pool_new(XCD_WRITERS, &x->pool)) < 0)
		fatalx("cannot start the log writers: %s", strerror(-r));
	x->line_fd = -1;
	if (x->set.sink != XCD_SINK_FILE && (x->line_fd = ls_socket()) < 0)
		fatalx("cannot make the %s sink's socket: %s",
		    sink_names[x->set.sink], strerror(-x->line_fd));
	x->pool_ev = event_new(xud_base(xud), lq_pool_fd(x->pool),
	    EV_READ | EV_PERSIST, on_progress, x);
	if (x->pool_ev == NULL || event_add(x->pool_ev, NULL) < 0)
		fatalx("cannot watch the log writers");
	if ((x->set.log == XCD_HV || x->set.log == XCD_ALL) &&
	    (r = hv_open(&x->hv, &x->set, x->logs, x->pool, x->ev)) < 0)
		log_warnc(r, "hypervisor log not available");
}

/* The domain tracker attached every existing console: a restart goes on. */
static void
started(struct xud *xud)
{
	struct xcd *x = xud->arg;

	x->doms = xud->doms;
	if (x->set.retention_ms && logfile_set_dirfd(x->logs) >= 0)
		retention_start(x);
}

static void
teardown(struct xud *xud)
{
	struct xcd *x = xud->arg;

	con_free_all(x);
	hv_close(&x->hv);
	event_free(x->pool_ev);
	if (lq_pool_free(x->pool, 0, NULL) < 0) {
		log_warnx("a log write is stuck; leaving it behind");
	} else {
		logfile_set_free(x->logs);	/* -EBUSY: left to exit */
		if (x->line_fd >= 0)
			close(x->line_fd);
	}
	if (x->stop_timer)
		event_free(x->stop_timer);
	if (x->retention_timer)
		event_free(x->retention_timer);
	if (x->retention_ev)
		event_free(x->retention_ev);
	retention_free(x->retention);
	gnt_close(x->gnt);
	evtchn_close(x->ev);
}

static const struct dom_ops dops = { on_added, on_changed, on_removed };

static const struct xud_daemon xenconsoled = {
	.name = "xenconsoled",
	.config = XCD_CONF,
	.control = XCD_CONTROL,
	.pidfile = XCD_PID_FILE,
	.conf_item = conf_item,
	.keys = xcd_keys,
	.optstring = XCD_ARGS_SHORT,
	.options = xcd_args_options,
	.option = on_option,
	.args = on_args,
	.synopsis = " [-i]\n"
	    "         [--log=none|guest|hv|all] [--log-dir=DIR]\n"
	    "         [-t, --timestamp=none|guest|hv|all]\n"
	    "         [--timestamp-format=iso|xen]\n"
	    "         [-o, --overflow-data=discard|keep] [--replace-escape]\n"
	    "         [--no-notes]",
	.usage = "  -i, --interactive  the same as -f (Xen's name)\n",
	.configured = configured,
	.setup = setup,
	.started = started,
	.teardown = teardown,
	.stop = on_stop,
	.reload = on_reload,
	.dump = on_dump,
	.dom_ops = &dops,
	.status = on_status,
};

int
main(int argc, char **argv)
{
	static struct xcd x;

	settings_default(&x.set);
	xcd_args_init(&cli);
	return xud_main(&xenconsoled, &x, &x.set, argc, argv);
}
