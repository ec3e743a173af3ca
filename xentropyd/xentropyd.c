/*
 * xentropyd: entropy for guests over vchan, framed, rate-limited, never
 * blocking. See xentropyd(8) and xentropy-protocol(7).
 *
 * This file is the table of contents; the frame (options, config, detach,
 * loop, xenstore, domains, readiness) is lib/skel.c. guest.c decides which
 * guests are served and handles what their channels report; chan.c is a
 * guest's vchan channel (vchan417.c what it needs of libxenvchan, vring.c
 * its rings, proto.c the codec), legacy.c the legacy MirageOS console
 * (legacy-proto.c its handshake), policy.c the configuration, status.c
 * the status text.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "domains.h"
#include "log.h"
#include "sdnotify.h"
#include "skel.h"
#include "xstore.h"
#include "guest.h"
#include "policy.h"
#include "status.h"

/* The skeleton's hooks get the daemon's state, xe; they need both. */
static struct xentropyd xe;
static struct xe_conf conf;	/* what the config file says */

/*
 * Look again first: the last @releaseDomain may have come while a domain
 * was still dying, and nothing fires once it is gone.
 */
static void
rescan(struct xentropyd *d)
{
	int r;

	if (d->doms && (r = dom_tracker_rescan(d->doms)) < 0)
		log_warnc(r, "cannot rescan domains");
}

static void
on_status(FILE *f, void *arg)
{
	rescan(arg);
	xe_status_print(arg, f);
}

static void
on_dump(struct xud *x)
{
	rescan(x->arg);
	xe_status_log(x->arg);
}

static void
on_reload(struct xud *x)
{
	struct xe_conf c;

	xe_conf_defaults(&c);
	if (xud_conf_reload(x, &c) < 0)
		return;
	xe_guests_reconfigure(x->arg, &c);
	log_info("configuration reloaded");
}

/* mirage/xentropyd's options (xentropyd(8), MIRAGE/XENTROPYD'S OPTIONS). */
enum { OPT_LEGACY = 0x2000, OPT_DAEMON, OPT_DEBUG, OPT_MAX_BYTES,
       OPT_PERIOD_MS };

/*
 * mirage/xentropyd's --max-bytes N per --period-ms P is a bucket of N
 * refilled every P ms; ours refills continuously and is shared with the
 * vchan channel, whose bucket must hold one full answer. Rather than
 * guess a translation the administrator did not choose, say it.
 */
static int
mirage_limit(const char *name)
{
	fprintf(stderr, "xentropyd: --%s is mirage/xentropyd's option; set "
	    "\"rate\" and \"burst\" in xentropyd.conf(5) instead:\n"
	    "  rate = max-bytes * 1000 / period-ms (bytes per second), "
	    "burst = max-bytes (at least %d)\n", name, XE_MIN_BURST);
	return 2;
}

static int
on_option(struct xud *x, int c, const char *arg)
{
	switch (c) {
	case OPT_LEGACY: xe.legacy_opt = 1; return 0;
	case OPT_DAEMON: return 0;	/* detaching is the default */
	case OPT_DEBUG: x->verbose += x->verbose == 0; return 0;
	case OPT_MAX_BYTES: return mirage_limit("max-bytes");
	case OPT_PERIOD_MS: return mirage_limit("period-ms");
	}
	return XUD_OPT_UNKNOWN;
}

static void
setup(struct xud *x)
{
	xe.conf = conf;
	xe.loop = x->loop;
	xe.xs = x->xs;
	xe.self = xstore_own_domid(x->xs);
	xe_guests_init(&xe);
}

static void
started(struct xud *x)
{
	xe.doms = x->doms;	/* made after setup */
	sdn_status("serving guests: rate %" PRIu64 " B/s, burst %" PRIu64
	    " B", xe.conf.rate, xe.conf.burst);
	log_info("serving: rate %" PRIu64 " B/s, burst %" PRIu64 " B%s%s%s",
	    xe.conf.rate, xe.conf.burst, xe.conf.serve_all ?
	    ", all guests" : "", xe.conf.on_request ? ", on request" : "",
	    xe_legacy_wanted(&xe) ? ", legacy consoles" : "");
}

static void
teardown(struct xud *x)
{
	xe_guests_free(&xe);
	xe.doms = NULL;		/* freed before us */
}

static const struct option options[] = {
	{ "legacy-mirage-channel", no_argument, NULL, OPT_LEGACY },
	{ "daemon", no_argument, NULL, OPT_DAEMON },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "period-ms", required_argument, NULL, OPT_PERIOD_MS },
	{ NULL, 0, NULL, 0 },
};

static const struct xud_daemon xentropyd = {
	.name = "xentropyd",
	.config = SYSCONFDIR "/xud/xentropyd.conf",
	.control = RUNSTATEDIR "/xentropyd/control",
	.conf_item = xe_conf_item,
	.conf_check = xe_conf_check,
	.conf_print = xe_conf_print,
	.options = options,
	.option = on_option,
	.synopsis = " [--legacy-mirage-channel]",
	.usage =
	    "      --legacy-mirage-channel\n"
	    "                     also serve the 2015 MirageOS console "
	    "handshake\n"
	    "mirage/xentropyd's --daemon and --debug are accepted; for its\n"
	    "--max-bytes and --period-ms see xentropyd(8).\n",
	.setup = setup,
	.started = started,
	.teardown = teardown,
	.reload = on_reload,
	.dump = on_dump,
	.dom_ops = &xe_guest_dom_ops,
	.status = on_status,
};

int
main(int argc, char **argv)
{
	xe_conf_defaults(&conf);
	return xud_main(&xentropyd, &xe, &conf, argc, argv);
}
