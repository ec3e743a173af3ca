/*
 * xentropyd: entropy for guests over vchan, framed, rate-limited, never
 * blocking. See xentropyd(8) and xentropy-protocol(7).
 *
 * This file holds main(), domain tracking and the policy that decides
 * which guests are served; chan.c holds a guest's channel, policy.c the
 * configuration, proto.c the protocol codec.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <event2/event.h>
#include <libxenvchan.h>

#include "ctl.h"
#include "daemon.h"
#include "domains.h"
#include "log.h"
#include "loop.h"
#include "sdnotify.h"
#include "xstore.h"
#include "xentropyd.h"

#define XENTROPYD_CONF SYSCONFDIR "/xud/xentropyd.conf"
#define XENTROPYD_CONTROL RUNSTATEDIR "/xentropyd/control"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: xentropyd [-fnvV] [-c file] [--control=PATH] "
	    "[--legacy-mirage-channel]\n"
	    "       xentropyd --status [--control=PATH]\n"
	    "  -c, --config=FILE  configuration (default " XENTROPYD_CONF ")\n"
	    "      --control=PATH the status socket (default\n"
	    "                     " XENTROPYD_CONTROL ")\n"
	    "      --status       print the running daemon's status and exit\n"
	    "      --legacy-mirage-channel\n"
	    "                     also serve the 2015 MirageOS console "
	    "handshake\n"
	    "  -f, --foreground   stay in the foreground, log to stderr\n"
	    "  -n, --check        check the configuration and exit\n"
	    "                     (with -v: print the effective configuration)\n"
	    "  -v, --verbose      more log output (repeatable)\n"
	    "  -V, --version      print the version and exit\n"
	    "  -h, --help         this help\n");
}

static struct xe_guest *
guest_find(struct xentropyd *d, uint32_t domid)
{
	struct xe_guest *g;

	TAILQ_FOREACH(g, &d->guests, entry)
		if (g->domid == domid)
			return g;
	return NULL;
}

static int
guest_served(const struct xe_guest *g)
{
	const struct xe_conf *c = &g->d->conf;

	return xe_conf_serves(c, g->domid, g->name) ||
	    (c->on_request && g->requested);
}

void
xe_guest_update(struct xe_guest *g)
{
	if (!g->running) {
		/* Shut down or dying: nothing to serve, nothing to write. */
		xe_chan_close(g);
		xe_legacy_close(g);
		evtimer_del(g->timer);
		return;
	}
	if (guest_served(g)) {
		if (xe_legacy_wanted(g->d))
			xe_legacy_open(g);
		else
			xe_legacy_close(g);
		if (g->vc == NULL && !(g->state == XE_WAIT &&
		    evtimer_pending(g->timer, NULL)))
			xe_chan_open(g);
		return;
	}
	xe_chan_close(g);
	xe_legacy_close(g);
	evtimer_del(g->timer);
	xe_guest_set_state(g, g->d->conf.on_request ? XE_IDLE : XE_OFF);
}

static const char *
chan_state(const struct xe_guest *g)
{
	switch (g->state) {
	case XE_OFF: return "off";
	case XE_IDLE: return "idle";
	case XE_WAIT: return "waiting";
	case XE_READY:
		/* libxenvchan: 2 until a client connects, then 1, 0 if gone. */
		if (g->vc && libxenvchan_is_open(g->vc) == 2)
			return "offered";
		return g->vc ? "connected" : "closed";
	}
	return "?";
}

/* One guest's line of the status text, after "dom<id>(<name>): ". */
static void
guest_stats(const struct xe_guest *g, char *buf, size_t len)
{
	const char *ls = xe_legacy_state(g);
	int n;

	n = snprintf(buf, len, "%" PRIu64 " bytes in %" PRIu64 " requests, %"
	    PRIu64 " throttled, %" PRIu64 " errors, channel %s (%" PRIu64
	    " set up)", g->bytes, g->requests, g->throttled, g->errors,
	    chan_state(g), g->channels);
	if (ls && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ", legacy console %s", ls);
}

static void
guest_log_stats(const struct xe_guest *g, const char *why)
{
	char line[256];

	guest_stats(g, line, sizeof(line));
	log_dom(LOG_INFO, g->domid, g->name, "%s: %s", why, line);
}

/*
 * The status text: a line per guest, then the totals, then the daemon's
 * counts. --status prints it; SIGUSR1 logs it with "stats: " in front.
 */
typedef void status_emit(void *ctx, const struct xe_guest *g,
			 const char *line);

static void
status_lines(struct xentropyd *d, status_emit *emit, void *ctx)
{
	uint64_t bytes = 0, requests = 0, throttled = 0, errors = 0;
	unsigned int n = 0;
	struct xe_guest *g;
	char line[320];

	TAILQ_FOREACH(g, &d->guests, entry) {
		guest_stats(g, line, sizeof(line));
		emit(ctx, g, line);
		bytes += g->bytes;
		requests += g->requests;
		throttled += g->throttled;
		errors += g->errors;
		n++;
	}
	snprintf(line, sizeof(line), "total: %" PRIu64 " bytes in %" PRIu64
	    " requests, %" PRIu64 " throttled, %" PRIu64 " errors", bytes,
	    requests, throttled, errors);
	emit(ctx, NULL, line);
	snprintf(line, sizeof(line), "%u guests, %u channels open (%" PRIu64
	    " set up), %u legacy consoles", n, d->nchannels, d->gen,
	    d->nlegacy);
	emit(ctx, NULL, line);
}

static void
emit_file(void *ctx, const struct xe_guest *g, const char *line)
{
	if (g)
		fprintf(ctx, "dom%" PRIu32 "(%s): %s\n", g->domid, g->name,
		    line);
	else
		fprintf(ctx, "%s\n", line);
}

static void
emit_log(void *ctx, const struct xe_guest *g, const char *line)
{
	if (g)
		log_dom(LOG_INFO, g->domid, g->name, "stats: %s", line);
	else
		log_info("stats: %s", line);
}

/*
 * Look again first: the last @releaseDomain may have come while a domain
 * was still dying, and nothing fires once it is gone.
 */
static void
rescan(struct xentropyd *d)
{
	int r;

	if ((r = dom_tracker_rescan(d->doms)) < 0)
		log_warnc(r, "cannot rescan domains");
}

static void
on_status(FILE *f, void *arg)
{
	rescan(arg);
	status_lines(arg, emit_file, f);
}

/* The guest wrote (or changed) data/xentropy/request. */
static void
on_request(struct xstore *xs, const char *path, void *arg)
{
	struct xe_guest *g = arg;
	char *v = NULL;

	if (xstore_read(xs, XBT_NULL, path, &v, NULL) < 0)
		return;
	if (strncmp(v, g->request, sizeof(g->request) - 1) == 0) {
		free(v);
		return;
	}
	snprintf(g->request, sizeof(g->request), "%s", v);
	free(v);
	if (!g->requested) {
		g->requested = 1;
		if (g->d->conf.on_request)
			log_dom(LOG_INFO, g->domid, g->name, "asked for "
			    "entropy");
	} else if (g->vc) {
		/* A client asks for a fresh channel (its last one broke). */
		if (rl_take_all(&g->reopen, 1, rl_now_ns()))
			xe_chan_close(g);
	}
	xe_guest_update(g);
}

static void
dom_added(const struct dom_info *di, void *arg)
{
	struct xentropyd *d = arg;
	struct xe_guest *g;
	char path[96];
	int r;

	if (di->domid == 0 || di->domid == d->self)
		return;		/* dom0 (and we) are never served */
	g = xe_guest_new(d, di);
	if (g == NULL) {
		log_dom(LOG_WARNING, di->domid, di->name, "out of memory, "
		    "not served");
		return;
	}
	g->running = di->state == DOM_RUNNING || di->state == DOM_PAUSED;
	TAILQ_INSERT_TAIL(&d->guests, g, entry);
	snprintf(path, sizeof(path), "%s/request", g->base);
	/* Fires once at once: a request made before we started counts. */
	if ((r = xstore_watch(d->xs, path, on_request, g, &g->req_watch)) < 0)
		log_dom(LOG_WARNING, g->domid, g->name, "cannot watch %s: %s",
		    path, strerror(-r));
	xe_guest_update(g);
}

static void
dom_changed(const struct dom_info *di, const struct dom_info *old, void *arg)
{
	struct xentropyd *d = arg;
	struct xe_guest *g = guest_find(d, di->domid);

	if (g == NULL)
		return;
	snprintf(g->name, sizeof(g->name), "%s", di->name);
	g->running = di->state == DOM_RUNNING || di->state == DOM_PAUSED;
	xe_guest_update(g);
}

static void
dom_removed(const struct dom_info *di, void *arg)
{
	struct xentropyd *d = arg;
	struct xe_guest *g = guest_find(d, di->domid);

	if (g == NULL)
		return;
	if (g->channels || g->requests)
		guest_log_stats(g, "gone");
	TAILQ_REMOVE(&d->guests, g, entry);
	xstore_unwatch(g->req_watch);
	xe_guest_free(g);
}

static void
on_dump(void *arg)
{
	rescan(arg);
	status_lines(arg, emit_log, NULL);
}

/*
 * Runs xe_conf_read with its messages ("file:line: ...") sent to the log,
 * line by line: once detached, stderr is /dev/null.
 */
static int
conf_read_logged(struct xe_conf *c, const char *path, int given)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *errs = open_memstream(&buf, &len);
	int r;

	if (errs == NULL)
		return xe_conf_read(c, path, given, stderr);
	r = xe_conf_read(c, path, given, errs);
	fclose(errs);
	for (line = strtok_r(buf, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		log_warnx("reload: %s", line);
	free(buf);
	return r;
}

static void
on_reload(void *arg)
{
	struct xentropyd *d = arg;
	struct xe_conf c;
	struct xe_guest *g;

	if (conf_read_logged(&c, d->conf_path, d->conf_given) < 0) {
		log_warnx("reload: %s has errors, keeping the configuration",
		    d->conf_path);
		return;
	}
	d->conf = c;
	TAILQ_FOREACH(g, &d->guests, entry) {
		rl_set(&g->rl, c.rate, c.burst);
		xe_guest_update(g);
	}
	log_info("configuration reloaded");
}

static void
raise_nofile(void)
{
	struct rlimit rl;

	/* Two fds per served guest (grant sharing, event channel). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "status", no_argument, NULL, 'S' },
		{ "control", required_argument, NULL, 'C' },
		{ "legacy-mirage-channel", no_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct loop_ops lops = { NULL, on_reload, on_dump };
	static const struct dom_ops dops = { dom_added, dom_changed,
	    dom_removed };
	static struct xentropyd d;
	const char *conf = XENTROPYD_CONF, *control = XENTROPYD_CONTROL;
	int c, fg = 0, check = 0, verbose = 0, conf_given = 0, status = 0, r;
	struct ctl *ctl = NULL;
	struct xe_guest *g;

	while ((c = getopt_long(argc, argv, "c:fnvVh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; conf_given = 1; break;
		case 'f': fg = 1; break;
		case 'n': check = 1; break;
		case 'v': verbose++; break;
		case 'V': xud_version(stdout, "xentropyd"); return 0;
		case 'h': usage(stdout); return 0;
		case 'S': status = 1; break;
		case 'C': control = optarg; break;
		case 'L': d.legacy_opt = 1; break;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (status)
		return ctl_status_command("xentropyd", control);
	if (xe_conf_read(&d.conf, conf, conf_given, stderr) < 0)
		return 1;
	if (check) {
		if (verbose)
			xe_conf_print(stdout, &d.conf);
		return 0;
	}
	d.conf_path = conf;
	d.conf_given = conf_given;
	TAILQ_INIT(&d.guests);

	log_init("xentropyd", fg || sdn_under_systemd() ? LOG_TO_STDERR :
	    LOG_TO_SYSLOG, verbose);
	raise_nofile();
	/* Violation log lines: 10 at once, then one per second. */
	rl_init(&d.logrl, 1, 10, rl_now_ns());
	if ((r = xud_detach(fg)) < 0)
		fatalx("cannot detach: %s", strerror(-r));
	if ((r = loop_new(&lops, &d, &d.loop)) < 0)
		fatalx("event loop: %s", strerror(-r));
	if ((r = xstore_open(loop_base(d.loop), &d.xs)) < 0)
		fatalx("cannot connect to xenstore: %s", strerror(-r));
	d.self = xstore_own_domid(d.xs);
	if ((r = ctl_listen(loop_base(d.loop), control, on_status, &d,
	    &ctl)) < 0)
		fatalx("cannot listen on %s: %s", control, strerror(-r));
	if ((r = dom_tracker_new(d.xs, &dops, &d, &d.doms)) < 0)
		fatalx("cannot track domains: %s", strerror(-r));
	sdn_ready();
	sdn_status("serving guests: rate %" PRIu64 " B/s, burst %" PRIu64
	    " B", d.conf.rate, d.conf.burst);
	log_info("ready (rate %" PRIu64 " B/s, burst %" PRIu64 " B%s%s%s)",
	    d.conf.rate, d.conf.burst, d.conf.serve_all ? ", all guests" : "",
	    d.conf.on_request ? ", on request" : "",
	    xe_legacy_wanted(&d) ? ", legacy consoles" : "");
	if ((r = loop_run(d.loop)) < 0)
		fatalx("event loop failed: %s", strerror(-r));
	log_info("exiting");
	ctl_free(ctl);
	dom_tracker_free(d.doms);
	while ((g = TAILQ_FIRST(&d.guests)) != NULL) {
		TAILQ_REMOVE(&d.guests, g, entry);
		if (g->channels || g->requests)
			guest_log_stats(g, "exit");
		xstore_unwatch(g->req_watch);
		xe_chan_close(g);
		if (g->running)
			xe_guest_set_state(g, XE_OFF);
		xe_guest_free(g);
	}
	xe_legacy_shutdown(&d);
	xstore_close(d.xs);
	loop_free(d.loop);
	return 0;
}
