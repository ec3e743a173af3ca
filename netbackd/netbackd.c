/*
 * netbackd: a userspace Xen network backend (netback) with TAP devices.
 * See netbackd(8).
 *
 * This file is the table of contents; the frame (options, config,
 * detach, loop, xenstore, readiness) is lib/skel.c. scan.c finds the
 * backend/vif devices to serve, vif.c is one device's xenbus life,
 * queue.c its rings pumped through lib/netring's engines, copier.c the
 * batched grant copies, tap.c the host side, vnethdr.c the checksum
 * flags between them, status.c the counters.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "evtchn.h"
#include "grant.h"
#include "log.h"
#include "skel.h"
#include "xstore.h"
#include "netbackd.h"
#include "scan.h"
#include "status.h"

static struct nb nb;

static void
setup(struct xud *x)
{
	long cpus;
	int r;

	nb.xs = x->xs;
	nb.base = xud_base(x);
	nb.self = xstore_own_domid(x->xs);
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	nb.max_queues = cpus < 1 ? 1 : cpus > NB_MAX_QUEUES ? NB_MAX_QUEUES :
	    (unsigned)cpus;
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
	.setup = setup,
	.started = started,
	.teardown = teardown,
	.status = status_print,
};

int
main(int argc, char **argv)
{
	return xud_main(&netbackd, &nb, NULL, argc, argv);
}
