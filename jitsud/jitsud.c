/*
 * jitsud: just-in-time summoning of unikernels on DNS queries.
 *
 * So far only the daemon's frame exists, the skeleton's: options, config
 * check, detaching, the loop, domain tracking and readiness. The DNS
 * server and the summoning come with jitsud's own issue (plan in
 * ../shared/next/): its settings here, its listeners in setup (socket
 * activation), its unprivileged DNS process in spawn.
 */
#include "config.h"

#include "skel.h"

static const struct xud_daemon jitsud = {
	.name = "jitsud",
	.config = SYSCONFDIR "/xud/jitsud.conf",
};

int
main(int argc, char **argv)
{
	return xud_main(&jitsud, NULL, NULL, argc, argv);
}
