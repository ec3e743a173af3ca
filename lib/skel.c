/* The daemons' shared main(): options, config, start, loop, exit. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>

#include "conf.h"
#include "ctl.h"
#include "daemon.h"
#include "domains.h"
#include "log.h"
#include "loop.h"
#include "sdnotify.h"
#include "skel.h"
#include "xstore.h"

/*
 * What the guests of a busy hour used goes back to the system once they
 * are gone: glibc keeps freed chunks in its heaps (one per writer
 * thread, too) until they are trimmed. So, this long after the last
 * domain left, the skeleton trims them, and RSS returns to its baseline.
 */
#define TRIM_MS 3000

/* Values of the skeleton's long-only options, above any short letter. */
enum { OPT_STATUS = 0x1000, OPT_CONTROL, OPT_PIDFILE };

static const struct option common_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "foreground", no_argument, NULL, 'f' },
	{ "check", no_argument, NULL, 'n' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ "pid-file", required_argument, NULL, OPT_PIDFILE },
};
static const struct option control_opts[] = {
	{ "status", no_argument, NULL, OPT_STATUS },
	{ "control", required_argument, NULL, OPT_CONTROL },
};
#define COMMON_SHORT "c:fnvVh"

static void
usage(const struct xud_daemon *d, FILE *out)
{
	fprintf(out, "usage: %s [-fnvV] [-c file] [--pid-file=PATH]%s\n",
	    d->name, d->synopsis ? d->synopsis : "");
	if (d->control)
		fprintf(out, "       %s --status [--control=PATH]\n", d->name);
	fprintf(out,
	    "  -c, --config=FILE  configuration (default %s)\n"
	    "  -f, --foreground   stay in the foreground, log to stderr\n"
	    "      --pid-file=PATH\n"
	    "                     lock PATH against a second instance and "
	    "write our pid%s%s%s\n"
	    "  -n, --check        check the configuration and exit\n"
	    "                     (with -v: print the effective configuration)\n"
	    "  -v, --verbose      more log output (repeatable)\n"
	    "  -V, --version      print the version and exit\n"
	    "  -h, --help         this help\n", d->config,
	    d->pidfile ? "\n                     (default when detached: " : "",
	    d->pidfile ? d->pidfile : "", d->pidfile ? ")" : "");
	if (d->control)
		fprintf(out,
		    "      --status       print the running daemon's status "
		    "and exit\n"
		    "      --control=PATH its control socket (default\n"
		    "                     %s)\n", d->control);
	if (d->usage)
		fputs(d->usage, out);
}

static void
usage_hint(const struct xud_daemon *d)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", d->name);
}

static size_t
count_opts(const struct option *o)
{
	size_t n = 0;

	while (o && o[n].name)
		n++;
	return n;
}

/* The skeleton's options, the control socket's, then the daemon's. */
static struct option *
all_options(const struct xud_daemon *d, char *shorts, size_t len)
{
	size_t nc = XUD_ARRAY_SIZE(common_opts), nd = count_opts(d->options);
	size_t nt = d->control ? XUD_ARRAY_SIZE(control_opts) : 0;
	struct option *o;

	o = calloc(nc + nt + nd + 1, sizeof(*o));
	if (o == NULL)
		return NULL;
	memcpy(o, common_opts, sizeof(common_opts));
	if (nt)
		memcpy(o + nc, control_opts, sizeof(control_opts));
	if (nd)
		memcpy(o + nc + nt, d->options, nd * sizeof(*o));
	snprintf(shorts, len, ":" COMMON_SHORT "%s",
	    d->optstring ? d->optstring : "");
	return o;
}

/* getopt_long() was told to be quiet (":"), so that a daemon may be. */
static void
bad_option(const char *name, int c, const char *arg)
{
	if (strncmp(arg, "--", 2) == 0)
		fprintf(stderr, "%s: %s: %s\n", name, arg, c == ':' ?
		    "needs a value" : "unknown option, or a value it does "
		    "not take");
	else
		fprintf(stderr, "%s: -%c %s\n", name, optopt, c == ':' ?
		    "needs a value" : "is not an option");
}

/* Returns -1 to go on, or the exit status. */
static int
parse_options(struct xud *x, int argc, char **argv)
{
	const struct xud_daemon *d = x->d;
	struct option *opts;
	char shorts[128];
	int c, r = -1, status = 0;

	if ((opts = all_options(d, shorts, sizeof(shorts))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", d->name);
		return 1;
	}
	while (r < 0 && (c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		switch (c) {
		case 'c': x->config = optarg; x->config_given = 1; break;
		case 'f': x->foreground = 1; break;
		case 'n': x->check = 1; break;
		case 'v': x->verbose++; break;
		case 'V': xud_version(stdout, d->name); r = 0; break;
		case 'h': usage(d, stdout); r = 0; break;
		case OPT_PIDFILE: x->pidfile = optarg; break;
		case OPT_STATUS: status = 1; break;
		case OPT_CONTROL: x->control = optarg; break;
		default:
			r = d->option ? d->option(x, c, optarg) :
			    XUD_OPT_UNKNOWN;
			if (r < 0) {
				if (c == ':' || c == '?')
					bad_option(d->name, c, argv[optind - 1]);
				usage_hint(d);
				r = 2;
			} else if (r == 0) {
				r = -1;
			}
		}
	}
	free(opts);
	if (r >= 0)
		return r;
	if (optind < argc) {
		if (d->args == NULL) {
			fprintf(stderr, "%s: unexpected argument '%s'\n",
			    d->name, argv[optind]);
			usage_hint(d);
			return 2;
		}
		if ((r = d->args(x, argc - optind, argv + optind)) != 0)
			return r;
	}
	if (status)
		return ctl_status_command(d->name, x->control);
	return -1;
}

/* The default item reader: the key table, or nothing is valid. */
static int
conf_item(const struct conf_item *it, void *arg, char *err, size_t len)
{
	const struct conf_key *keys = ((struct xud *)arg)->d->keys;
	int r;

	if (it->key == NULL) {
		snprintf(err, len, "unknown section [%s]", it->section);
		return -1;
	}
	if (keys == NULL || it->section)
		r = 1;
	else
		r = conf_set(keys, ((struct xud *)arg)->settings, it->key,
		    it->value, err, len);
	if (r == 1)
		snprintf(err, len, "unknown key '%s'", it->key);
	return r == 0 ? 0 : -1;
}

static int
load_config(struct xud *x, void *settings, FILE *errs)
{
	const struct xud_daemon *d = x->d;
	void *saved = x->settings;
	int r;

	if (d->conf_item) {
		r = conf_load(d->name, x->config, x->config_given,
		    d->conf_item, settings, errs);
	} else {
		/* conf_item finds the settings through x: point it here. */
		x->settings = settings;
		r = conf_load(d->name, x->config, x->config_given, conf_item,
		    x, errs);
		x->settings = saved;
	}
	if (r == 0 && d->conf_check && d->conf_check(x->config, settings,
	    errs) != 0)
		r = -1;
	return r;
}

/* Calls emit for each line of text (which it modifies). */
static void
each_line(char *text, void (*emit)(const char *line))
{
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l;
	    l = strtok_r(NULL, "\n", &save))
		emit(l);
}

static void
warn_line(const char *line)
{
	log_warnx("reload: %s", line);
}

int
xud_conf_reload(struct xud *x, void *settings)
{
	char *text = NULL;
	size_t len = 0;
	FILE *errs;
	int r;

	/* Detached, stderr is /dev/null: the errors go to the log. */
	if ((errs = open_memstream(&text, &len)) == NULL) {
		log_warn("reload: cannot collect the config's errors");
		return -1;
	}
	r = load_config(x, settings, errs);
	fclose(errs);
	if (text)
		each_line(text, warn_line);
	free(text);
	if (r < 0)
		log_warnx("reload: %s has errors, keeping the configuration",
		    x->config);
	return r;
}

static void
info_line(const char *line)
{
	log_info("%s", line);
}

static void
on_stop(void *arg)
{
	struct xud *x = arg;

	if (x->d->stop)
		x->d->stop(x);
	else
		loop_exit(x->loop);
}

static void
on_reload(void *arg)
{
	struct xud *x = arg;

	if (x->d->reload)
		x->d->reload(x);
}

/* SIGUSR1: the daemon's dump, the --status text, or a count. */
static void
on_dump(void *arg)
{
	struct xud *x = arg;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (x->d->dump) {
		x->d->dump(x);
		return;
	}
	if (x->d->status == NULL) {
		log_info("%s %s: %zu domains", x->d->name, PACKAGE_VERSION,
		    x->doms ? dom_tracker_table(x->doms)->n : 0);
		return;
	}
	if ((f = open_memstream(&text, &len)) == NULL)
		return;
	x->d->status(f, x->arg);
	fclose(f);
	if (text)
		each_line(text, info_line);
	free(text);
}

/* The status socket is part of the single-instance check. */
static void
listen_control(struct xud *x)
{
	int r;

	if (x->control == NULL || x->d->status == NULL)
		return;
	r = ctl_listen(loop_base(x->loop), x->control, x->d->status, x->arg,
	    &x->ctl);
	if (r == -EADDRINUSE)
		fatalx("another %s answers on %s", x->d->name, x->control);
	if (r < 0)
		log_warnc(r, "no --status: cannot listen on %s", x->control);
}

/* Who holds the pid file, for a fatal exit; children are not it. */
static struct xud *pid_holder;
static pid_t pid_holder_pid;

static void
remove_pidfile_at_exit(void)
{
	if (pid_holder && getpid() == pid_holder_pid)
		xud_pidfile_remove(pid_holder->pid_fd, pid_holder->pidfile);
	pid_holder = NULL;
}

static void
lock_pidfile(struct xud *x)
{
	int fd;

	if (x->pidfile == NULL && !xud_foreground(x->foreground))
		x->pidfile = x->d->pidfile;
	if (x->pidfile == NULL || x->pidfile[0] == '\0')
		return;
	fd = xud_pidfile(x->pidfile);
	if (fd == -EBUSY || fd == -EEXIST)
		fatalx("already running: %s names pid %ld, %s", x->pidfile,
		    (long)xud_pidfile_pid(x->pidfile), fd == -EBUSY ?
		    "which holds its lock" : "alive though it holds no lock "
		    "(as Xen's daemons leave it)");
	if (fd < 0)
		fatalx("cannot write %s: %s", x->pidfile, strerror(-fd));
	x->pid_fd = fd;
	pid_holder = x;
	pid_holder_pid = getpid();
	atexit(remove_pidfile_at_exit);
}

/*
 * The daemon works from "/" once detached: a relative path from the
 * command line is made absolute first. Returns p or its copy.
 */
static const char *
absolute(struct xud *x, const char *p)
{
	char cwd[4096];
	char *abs;

	if (p == NULL || p[0] == '/' || p[0] == '\0' ||
	    getcwd(cwd, sizeof(cwd)) == NULL)
		return p;
	if (asprintf(&abs, "%s/%s", cwd, p) < 0)
		fatalx("out of memory");
	for (size_t i = 0; i < XUD_ARRAY_SIZE(x->owned); i++)
		if (x->owned[i] == NULL) {
			x->owned[i] = abs;
			return abs;
		}
	free(abs);
	return p;
}

static void
on_trim(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
#ifdef HAVE_MALLOC_TRIM
	malloc_trim(0);
#endif
}

/* The daemon's dom_ops, and the trim after each removal. */
static void
dom_added(const struct dom_info *di, void *arg)
{
	struct xud *x = arg;

	if (x->d->dom_ops && x->d->dom_ops->added)
		x->d->dom_ops->added(di, x->arg);
}

static void
dom_changed(const struct dom_info *di, const struct dom_info *old,
	    void *arg)
{
	struct xud *x = arg;

	if (x->d->dom_ops && x->d->dom_ops->changed)
		x->d->dom_ops->changed(di, old, x->arg);
}

static void
dom_removed(const struct dom_info *di, void *arg)
{
	struct xud *x = arg;
	struct timeval tv = { TRIM_MS / 1000, TRIM_MS % 1000 * 1000 };

	if (x->d->dom_ops && x->d->dom_ops->removed)
		x->d->dom_ops->removed(di, x->arg);
	if (x->trim)
		evtimer_add(x->trim, &tv);	/* from the last one */
}

static void
start(struct xud *x)
{
	static const struct loop_ops lops = { on_stop, on_reload, on_dump };
	static const struct dom_ops dops = { dom_added, dom_changed,
	    dom_removed };
	const struct xud_daemon *d = x->d;
	int r;

	x->config = absolute(x, x->config);
	x->control = absolute(x, x->control);
	x->pidfile = absolute(x, x->pidfile);
	log_init(d->name, xud_foreground(x->foreground) ? LOG_TO_STDERR :
	    LOG_TO_SYSLOG, x->verbose);
	if ((r = xud_raise_nofile()) < 0)
		log_warnc(r, "cannot raise the open files limit");
	if ((r = xud_detach(x->foreground)) < 0)
		fatalx("cannot detach: %s", strerror(-r));
	lock_pidfile(x);
	if (d->spawn)
		d->spawn(x);
	if ((r = loop_new(&lops, x, &x->loop)) < 0)
		fatalx("event loop: %s", strerror(-r));
	listen_control(x);
	if ((r = xstore_open(loop_base(x->loop), &x->xs)) < 0)
		fatalx("cannot connect to xenstore: %s", strerror(-r));
	if (d->setup)
		d->setup(x);
	x->trim = evtimer_new(loop_base(x->loop), on_trim, x);
	if ((r = dom_tracker_new(x->xs, &dops, x, &x->doms)) < 0) {
		/*
		 * In a driver domain Xen refuses the domain list; a daemon
		 * that follows no domains (netbackd) goes on without it.
		 */
		if (d->dom_ops || r != -EPERM)
			fatalx("cannot track domains: %s", strerror(-r));
		log_info("not tracking domains: %s", strerror(-r));
		x->doms = NULL;
	}
	if (d->started)
		d->started(x);
	sdn_ready();
	log_info("ready");
}

static void
finish(struct xud *x)
{
	log_info("exiting");
	ctl_free(x->ctl);
	dom_tracker_free(x->doms);
	if (x->trim)
		event_free(x->trim);
	if (x->d->teardown)
		x->d->teardown(x);
	xstore_close(x->xs);
	loop_free(x->loop);
	remove_pidfile_at_exit();
	for (size_t i = 0; i < XUD_ARRAY_SIZE(x->owned); i++)
		free(x->owned[i]);
}

int
xud_main(const struct xud_daemon *d, void *arg, void *settings, int argc,
	 char **argv)
{
	struct xud x = {
		.d = d, .arg = arg, .settings = settings, .config = d->config,
		.control = d->control, .pid_fd = -1,
	};
	int r;

	if ((r = parse_options(&x, argc, argv)) >= 0)
		return r;
	if (load_config(&x, settings, stderr) < 0)
		return 1;
	if (d->configured && (r = d->configured(&x)) != 0)
		return r;
	if (x.check) {
		if (x.verbose && d->conf_print)
			d->conf_print(stdout, settings);
		else if (x.verbose && d->keys)
			conf_print(stdout, d->keys, settings, NULL);
		else if (x.verbose)
			printf("configuration OK\n");
		return 0;
	}
	start(&x);
	if ((r = loop_run(x.loop)) < 0)
		fatalx("event loop failed: %s", strerror(-r));
	finish(&x);
	return 0;
}

struct event_base *
xud_base(struct xud *x)
{
	return loop_base(x->loop);
}
