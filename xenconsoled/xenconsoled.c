/*
 * xenconsoled: a drop-in replacement for Xen's console daemon that loses
 * no guest output. Options, configuration, the loop and the domain
 * callbacks live here; consoles in the files console.h lists, the
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
#include "ctl.h"
#include "daemon.h"
#include "domains.h"
#include "evtchn.h"
#include "grant.h"
#include "log.h"
#include "logqueue.h"
#include "logsock.h"
#include "loop.h"
#include "retention.h"
#include "sdnotify.h"
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
usage(FILE *out)
{
	fprintf(out,
	    "usage: xenconsoled [-fhinvV] [-c file] [--log=none|guest|hv|all]\n"
	    "         [--log-dir=DIR] [--pid-file=PATH]\n"
	    "         [-t, --timestamp=none|guest|hv|all]\n"
	    "         [--timestamp-format=iso|xen]\n"
	    "         [-o, --overflow-data=discard|keep] [--replace-escape]\n"
	    "         [--no-notes]\n"
	    "  -c, --config=FILE  configuration (default " XCD_CONF ")\n"
	    "      --status       print the running daemon's status and exit\n"
	    "      --control=PATH its control socket (default\n"
	    "                     " XCD_CONTROL ")\n"
	    "  -i, --interactive  stay in the foreground (also -f)\n"
	    "  -n, --check        check the configuration and exit;\n"
	    "                     with -v, print the effective settings\n"
	    "  -v, --verbose      more log output (repeatable)\n"
	    "  -V, --version      print the version and exit\n"
	    "  -h, --help         this help\n");
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
	    hv_stop_pending(x) == 0)
		loop_exit(x->loop);
}

static void
on_stop_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct xcd *x = arg;

	log_warnx("stopping: logs still %llu bytes behind after %d ms; "
	    "exiting anyway (unlogged ring bytes stay in the rings)",
	    (unsigned long long)(con_stop_pending(x) + hv_stop_pending(x)),
	    XCD_STOP_MS);
	loop_exit(x->loop);
}

static void
on_progress_one(void *owner, void *arg)
{
	if (owner)
		con_progress(owner);
	else
		hv_progress(arg);
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
on_stop(void *arg)
{
	struct xcd *x = arg;
	struct timeval tv = { XCD_STOP_MS / 1000, XCD_STOP_MS % 1000 * 1000 };

	log_info("stopping: draining all consoles");
	x->stopping = 1;
	con_drain_all(x);
	hv_pump(x);
	x->stop_timer = evtimer_new(loop_base(x->loop), on_stop_timeout, x);
	if (x->stop_timer == NULL) {
		loop_exit(x->loop);
		return;
	}
	evtimer_add(x->stop_timer, &tv);
	stop_check(x);
}

static void
on_reload(void *arg)
{
	struct xcd *x = arg;

	log_info("reopening log files");
	con_reopen_all(x);
	hv_reopen(x);
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
	hv_status(x, f);
}

static void
on_dump(void *arg)
{
	struct xcd *x = arg;
	char head[512];

	status_head(x, head, sizeof(head));
	log_info("%s", head);
	con_dump_all(x);
	hv_status(x, NULL);
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

int
main(int argc, char **argv)
{
	static const struct dom_ops dops = { on_added, on_changed, on_removed };
	static const struct loop_ops lops = { on_stop, on_reload, on_dump };
	struct xcd_args a = { .conf = XCD_CONF, .control = XCD_CONTROL };
	int r, pid_fd = -1, logdir = -1;
	static struct xcd x;
	char err[256];

	settings_default(&x.set);
	if (xcd_args_parse(&a, argc, argv, stderr) != 0) {
		usage(stderr);
		return 2;
	}
	if (a.version) {
		xud_version(stdout, "xenconsoled");
		return 0;
	}
	if (a.help) {
		usage(stdout);
		return 0;
	}
	if (a.status)
		return ctl_status_command("xenconsoled", a.control);
	r = conf_parse_file(a.conf, conf_item, &x.set, stderr);
	if (r == -ENOENT && !a.conf_given)
		r = 0;		/* no config file: defaults */
	if (r < 0) {
		fprintf(stderr, "xenconsoled: %s: %s\n", a.conf, strerror(-r));
		return 1;
	}
	if (r > 0)
		return 1;
	/* The command line wins over the file. */
	if (xcd_args_apply(&a, &x.set, err, sizeof(err)) < 0) {
		fprintf(stderr, "xenconsoled: %s\n", err);
		return 2;
	}
	if (a.check) {
		if (a.verbose)
			conf_print(stdout, xcd_keys, &x.set, NULL);
		return 0;
	}

	log_init("xenconsoled", xud_foreground(a.fg) ? LOG_TO_STDERR :
	    LOG_TO_SYSLOG, a.verbose);
	/* Xen's scripts find a daemon that went to the background here. */
	if (!xud_foreground(a.fg) && x.set.pid_file[0] == '\0')
		snprintf(x.set.pid_file, sizeof(x.set.pid_file), "%s",
		    XCD_PID_FILE);
	if (x.set.log == XCD_HV || x.set.log == XCD_ALL ||
	    (x.set.log == XCD_GUEST && x.set.sink == XCD_SINK_FILE)) {
		if (mkdir(x.set.log_dir, 0750) < 0 && errno != EEXIST)
			fatal("cannot create %s", x.set.log_dir);
		if ((logdir = logdir_open(x.set.log_dir, err,
		    sizeof(err))) < 0)
			fatalx("log directory %s: %s", x.set.log_dir, err);
	}
	/* Two fds a console, as Xen's daemon counts on too. */
	if ((r = xud_raise_nofile()) < 0)
		log_warnc(r, "cannot raise the open files limit");
	if ((r = xud_detach(a.fg)) < 0)
		fatalx("cannot detach: %s", strerror(-r));
	/*
	 * One daemon at a time, decided before anything is attached: a
	 * second one would take over rings and rewrite secondary backends'
	 * states. The pid file's lock says so, and the control socket.
	 */
	if (x.set.pid_file[0] &&
	    (pid_fd = xud_pidfile(x.set.pid_file)) == -EBUSY)
		fatalx("another xenconsoled (pid %ld) holds %s",
		    (long)xud_pidfile_pid(x.set.pid_file), x.set.pid_file);
	else if (pid_fd == -EEXIST)
		fatalx("%s names running process %ld, maybe Xen's xenconsoled; "
		    "stop it first", x.set.pid_file,
		    (long)xud_pidfile_pid(x.set.pid_file));
	else if (pid_fd < 0 && x.set.pid_file[0])
		fatalx("cannot write %s: %s", x.set.pid_file,
		    strerror(-pid_fd));
	if ((r = loop_new(&lops, &x, &x.loop)) < 0)
		fatalx("event loop: %s", strerror(-r));
	if ((r = ctl_listen(loop_base(x.loop), a.control, on_status, &x,
	    &x.ctl)) == -EADDRINUSE)
		fatalx("another xenconsoled answers on %s", a.control);
	else if (r < 0)
		log_warnc(r, "no status command: cannot listen on %s",
		    a.control);
	if ((r = xstore_open(loop_base(x.loop), &x.xs)) < 0)
		fatalx("cannot connect to xenstore: %s", strerror(-r));
	/* Secondary consoles' backends are in our own area. */
	x.self = xstore_own_domid(x.xs);
	if ((r = evtchn_open(loop_base(x.loop), &x.ev)) < 0)
		fatalx("cannot open event channels: %s", strerror(-r));
	if ((r = gnt_open(1, &x.gnt)) < 0)
		fatalx("cannot open grant tables: %s", strerror(-r));
	if ((r = logfile_set_new(logdir, (unsigned int)x.set.max_open_logs,
	    &x.logs)) < 0)
		fatalx("cannot set up the log files: %s", strerror(-r));
	if ((r = lq_pool_new(XCD_WRITERS, &x.pool)) < 0)
		fatalx("cannot start the log writers: %s", strerror(-r));
	x.line_fd = -1;
	if (x.set.sink != XCD_SINK_FILE && (x.line_fd = ls_socket()) < 0)
		fatalx("cannot make the %s sink's socket: %s",
		    sink_names[x.set.sink], strerror(-x.line_fd));
	x.pool_ev = event_new(loop_base(x.loop), lq_pool_fd(x.pool),
	    EV_READ | EV_PERSIST, on_progress, &x);
	if (x.pool_ev == NULL || event_add(x.pool_ev, NULL) < 0)
		fatalx("cannot watch the log writers");
	if ((x.set.log == XCD_HV || x.set.log == XCD_ALL) &&
	    (r = hv_open(&x)) < 0)
		log_warnc(r, "hypervisor log not available");
	/* Attaches to every existing console: a restart continues. */
	if ((r = dom_tracker_new(x.xs, &dops, &x, &x.doms)) < 0)
		fatalx("cannot track domains: %s", strerror(-r));
	if (x.set.retention_ms && logfile_set_dirfd(x.logs) >= 0)
		retention_start(&x);
	sdn_ready();
	log_info("ready");
	if ((r = loop_run(x.loop)) < 0)
		fatalx("event loop failed: %s", strerror(-r));
	log_info("exiting");
	ctl_free(x.ctl);
	dom_tracker_free(x.doms);
	con_free_all(&x);
	hv_close(&x);
	event_free(x.pool_ev);
	if ((r = lq_pool_free(x.pool, 0, NULL)) < 0) {
		log_warnx("a log write is stuck; leaving it behind");
	} else {
		logfile_set_free(x.logs);	/* -EBUSY: left to exit */
		if (x.line_fd >= 0)
			close(x.line_fd);
	}
	if (x.stop_timer)
		event_free(x.stop_timer);
	if (x.retention_timer)
		event_free(x.retention_timer);
	if (x.retention_ev)
		event_free(x.retention_ev);
	retention_free(x.retention);
	gnt_close(x.gnt);
	evtchn_close(x.ev);
	xstore_close(x.xs);
	loop_free(x.loop);
	if (pid_fd >= 0)
		xud_pidfile_remove(pid_fd, x.set.pid_file);
	return 0;
}
