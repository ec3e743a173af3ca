/*
 * netbackd: a userspace Xen network backend (netback) with TAP devices.
 * See netbackd(8).
 *
 * This file is the table of contents; the frame (options, config,
 * detach, loop, xenstore, readiness) is lib/skel.c. scan.c finds the
 * backend/vif devices to serve, vif.c is one device's xenbus life,
 * queue.c its rings pumped through lib/netring's engines on a thread
 * of its own (qthread.c; ratebox.c hands it rate changes), copier.c the
 * batched grant copies, tap.c the host side, vnethdr.c the checksum
 * flags between them, status.c the counters.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <event2/thread.h>

#include "evtchn.h"
#include "grant.h"
#include "log.h"
#include "skel.h"
#include "xstore.h"
#include "netbackd.h"
#include "scan.h"
#include "settings.h"
#include "status.h"

static struct nb nb;
/* --max-queues, put over the file's by configured() */
static unsigned opt_max_queues;
static int opt_max_queues_given;

enum { OPT_MAX_QUEUES = 256 };

static const struct option options[] = {
	{ "max-queues", required_argument, NULL, OPT_MAX_QUEUES },
	{ NULL, 0, NULL, 0 },
};

static int
on_option(struct xud *x, int c, const char *optarg)
{
	char err[128];

	if (c != OPT_MAX_QUEUES)
		return XUD_OPT_UNKNOWN;
	if (nb_settings_max_queues("--max-queues", optarg, &opt_max_queues,
	    err, sizeof(err)) < 0) {
		fprintf(stderr, "netbackd: %s\n", err);
		return 2;
	}
	opt_max_queues_given = 1;
	return 0;
}

static int
configured(struct xud *x)
{
	if (opt_max_queues_given)
		nb.set.max_queues = opt_max_queues;
	return 0;
}

static void
setup(struct xud *x)
{
	int r;

	nb.xs = x->xs;
	nb.base = xud_base(x);
	nb.self = xstore_own_domid(x->xs);
	nb.max_queues = nb_settings_queues(&nb.set,
	    sysconf(_SC_NPROCESSORS_ONLN));
	if ((r = gnt_open(0, &nb.gnt)) < 0)
		fatalx("cannot open the grant device: %s", strerror(-r));
	if ((r = evtchn_open(nb.base, &nb.ev)) < 0)
		fatalx("cannot open the event channel device: %s",
		    strerror(-r));
	if ((r = scan_start(&nb)) < 0)
		fatalx("cannot watch our backend/vif: %s", strerror(-r));
}

static void
started(struct xud *x)
{
	log_info("serving /local/domain/%u/backend/vif, up to %u queues "
	    "a vif", nb.self, nb.max_queues);
}

static void
teardown(struct xud *x)
{
	scan_stop(&nb);
	evtchn_close(nb.ev);
	gnt_close(nb.gnt);
}

static const struct xud_daemon netbackd = {
	.name = "netbackd",
	.config = SYSCONFDIR "/xud/netbackd.conf",
	.control = RUNSTATEDIR "/netbackd/control",
	.conf_item = nb_settings_item,
	.conf_print = nb_settings_print,
	.options = options,
	.option = on_option,
	.synopsis = " [--max-queues=N]",
	.usage =
	    "      --max-queues=N queues a vif may have: 1.." NB_MAX_QUEUES_S
	    ", or auto\n"
	    "                     (one per CPU, up to " NB_MAX_QUEUES_S
	    "; the default)\n",
	.configured = configured,
	.setup = setup,
	.started = started,
	.teardown = teardown,
	.status = status_print,
};

int
main(int argc, char **argv)
{
	/*
	 * Before any event_base: each vif queue runs on a thread of its
	 * own (queue.c), which wakes the main loop (a protocol violation)
	 * and is woken from it (a new rate, stop): libevent's locks and
	 * cross-thread notification, on every base made from here on.
	 */
	if (evthread_use_pthreads() < 0) {
		fprintf(stderr, "netbackd: cannot set up libevent's "
		    "threading\n");
		return 1;
	}
	nb_settings_default(&nb.set);
	return xud_main(&netbackd, &nb, &nb.set, argc, argv);
}
