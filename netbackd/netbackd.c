/*
 * netbackd: a userspace Xen network backend (netback) with TAP devices.
 *
 * So far only the daemon's frame exists, the skeleton's: options, config
 * check, detaching, the loop, domain tracking and readiness. The vif
 * backends and the data path come with netbackd's own issue (plan in
 * ../shared/next/): its settings here, the vifs in setup and dom_ops,
 * their counters in a status text behind a control socket (--status).
 */
#include "config.h"

#include "skel.h"

static const struct xud_daemon netbackd = {
	.name = "netbackd",
	.config = SYSCONFDIR "/xud/netbackd.conf",
};

int
main(int argc, char **argv)
{
	return xud_main(&netbackd, NULL, NULL, argc, argv);
}
