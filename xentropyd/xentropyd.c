/*
 * xentropyd: entropy for guests over vchan, framed, rate-limited, never
 * blocking. See xentropyd(8) and xentropy-protocol(7).
 *
 * This file is the table of contents: options, configuration, then the
 * loop. guest.c decides which guests are served and handles what their
 * channels report; chan.c is a guest's vchan channel (vchan417.c what it
 * needs of libxenvchan, vring.c its rings, proto.c the codec), legacy.c
 * the legacy MirageOS console (legacy-proto.c its handshake), policy.c
 * the configuration, status.c the status text.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ctl.h"
#include "daemon.h"
#include "domains.h"
#include "log.h"
#include "loop.h"
#include "sdnotify.h"
#include "xstore.h"
#include "guest.h"
#include "policy.h"
#include "status.h"

#define XENTROPYD_CONF SYSCONFDIR "/xud/xentropyd.conf"
#define XENTROPYD_CONTROL RUNSTATEDIR "/xentropyd/control"

/* What main() sets up, for the signal and status callbacks. */
struct daemon {
	struct xentropyd xe;
	const char *conf_path;
	int conf_given;			/* -c: the file must exist */
	struct dom_tracker *doms;
};

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
	    "  -h, --help         this help\n"
	    "mirage/xentropyd's --daemon and --debug are accepted; for its\n"
	    "--max-bytes and --period-ms see xentropyd(8).\n");
}

/*
 * Look again first: the last @releaseDomain may have come while a domain
 * was still dying, and nothing fires once it is gone.
 */
static void
rescan(struct daemon *d)
{
	int r;

	if ((r = dom_tracker_rescan(d->doms)) < 0)
		log_warnc(r, "cannot rescan domains");
}

/*
 * mirage/xentropyd's --max-bytes N per --period-ms P is a bucket of N
 * refilled every P ms; ours refills continuously and is shared with the
 * vchan channel, whose bucket must hold one full answer. Rather than
 * guess a translation the administrator did not choose, say it.
 */
static void
mirage_limit(const struct option *opts, int c)
{
	const char *name = "?";

	for (; opts->name; opts++)
		if (opts->val == c)
			name = opts->name;
	fprintf(stderr, "xentropyd: --%s is mirage/xentropyd's option; set "
	    "\"rate\" and \"burst\" in xentropyd.conf(5) instead:\n"
	    "  rate = max-bytes * 1000 / period-ms (bytes per second), "
	    "burst = max-bytes (at least %d)\n", name, XE_MIN_BURST);
}

static void
on_status(FILE *f, void *arg)
{
	struct daemon *d = arg;

	rescan(d);
	xe_status_print(&d->xe, f);
}

static void
on_dump(void *arg)
{
	struct daemon *d = arg;

	rescan(d);
	xe_status_log(&d->xe);
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
	struct daemon *d = arg;
	struct xe_conf c;

	if (conf_read_logged(&c, d->conf_path, d->conf_given) < 0) {
		log_warnx("reload: %s has errors, keeping the configuration",
		    d->conf_path);
		return;
	}
	xe_guests_reconfigure(&d->xe, &c);
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
		/* mirage/xentropyd's command line (xentropyd(8), MIRAGE). */
		{ "daemon", no_argument, NULL, 'D' },
		{ "debug", no_argument, NULL, 'd' },
		{ "max-bytes", required_argument, NULL, 'M' },
		{ "period-ms", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct loop_ops lops = { NULL, on_reload, on_dump };
	static struct daemon d;
	struct xentropyd *xe = &d.xe;
	const char *control = XENTROPYD_CONTROL;
	int c, fg = 0, check = 0, verbose = 0, status = 0, r;
	struct ctl *ctl = NULL;

	d.conf_path = XENTROPYD_CONF;
	while ((c = getopt_long(argc, argv, "c:fnvVh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': d.conf_path = optarg; d.conf_given = 1; break;
		case 'f': fg = 1; break;
		case 'n': check = 1; break;
		case 'v': verbose++; break;
		case 'V': xud_version(stdout, "xentropyd"); return 0;
		case 'h': usage(stdout); return 0;
		case 'S': status = 1; break;
		case 'C': control = optarg; break;
		case 'L': xe->legacy_opt = 1; break;
		case 'D': break;	/* detaching is the default */
		case 'd': verbose = verbose ? verbose : 1; break;
		case 'M': case 'P': mirage_limit(opts, c); return 2;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (status)
		return ctl_status_command("xentropyd", control);
	if (xe_conf_read(&xe->conf, d.conf_path, d.conf_given, stderr) < 0)
		return 1;
	if (check) {
		if (verbose)
			xe_conf_print(stdout, &xe->conf);
		return 0;
	}

	log_init("xentropyd", fg || sdn_under_systemd() ? LOG_TO_STDERR :
	    LOG_TO_SYSLOG, verbose);
	raise_nofile();
	if ((r = xud_detach(fg)) < 0)
		fatalx("cannot detach: %s", strerror(-r));
	if ((r = loop_new(&lops, &d, &xe->loop)) < 0)
		fatalx("event loop: %s", strerror(-r));
	if ((r = xstore_open(loop_base(xe->loop), &xe->xs)) < 0)
		fatalx("cannot connect to xenstore: %s", strerror(-r));
	xe->self = xstore_own_domid(xe->xs);
	xe_guests_init(xe);
	if ((r = ctl_listen(loop_base(xe->loop), control, on_status, &d,
	    &ctl)) < 0)
		fatalx("cannot listen on %s: %s", control, strerror(-r));
	if ((r = dom_tracker_new(xe->xs, &xe_guest_dom_ops, xe,
	    &d.doms)) < 0)
		fatalx("cannot track domains: %s", strerror(-r));
	sdn_ready();
	sdn_status("serving guests: rate %" PRIu64 " B/s, burst %" PRIu64
	    " B", xe->conf.rate, xe->conf.burst);
	log_info("ready (rate %" PRIu64 " B/s, burst %" PRIu64 " B%s%s%s)",
	    xe->conf.rate, xe->conf.burst,
	    xe->conf.serve_all ? ", all guests" : "",
	    xe->conf.on_request ? ", on request" : "",
	    xe_legacy_wanted(xe) ? ", legacy consoles" : "");

	if ((r = loop_run(xe->loop)) < 0)
		fatalx("event loop failed: %s", strerror(-r));

	log_info("exiting");
	ctl_free(ctl);
	dom_tracker_free(d.doms);
	xe_guests_free(xe);
	xstore_close(xe->xs);
	loop_free(xe->loop);
	return 0;
}
