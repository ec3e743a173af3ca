/*
 * xud-domwatch: prints lib/domains.c's view of the domains, one line per
 * event, for lab cases that check domain tracking on real Xen:
 *   added <domid> <name> <state>
 *   changed <domid> <old-state> <new-state> [<shutdown-reason>]
 *   removed <domid>
 * Runs until SIGTERM. -r N: rescan every N ms (pause is only seen then).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>

#include "domains.h"
#include "loop.h"
#include "xstore.h"

static void
added(const struct dom_info *d, void *arg)
{
	printf("added %u %s %s\n", d->domid, d->name[0] ? d->name : "-",
	    dom_state_name(d->state));
}

static void
changed(const struct dom_info *d, const struct dom_info *old, void *arg)
{
	printf("changed %u %s %s", d->domid, dom_state_name(old->state),
	    dom_state_name(d->state));
	if (d->state == DOM_SHUTDOWN || d->state == DOM_CRASHED)
		printf(" %s", dom_shutdown_reason_name(d->shutdown_reason));
	printf("\n");
}

static void
removed(const struct dom_info *d, void *arg)
{
	printf("removed %u\n", d->domid);
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	dom_tracker_rescan(arg);
}

int
main(int argc, char **argv)
{
	static const struct dom_ops ops = { added, changed, removed };
	struct loop *l;
	struct xstore *xs;
	struct dom_tracker *dt;
	struct event *tick = NULL;
	long every = 0;
	int c, r;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c != 'r') {
			fprintf(stderr, "usage: xud-domwatch [-r ms]\n");
			return 2;
		}
		every = strtol(optarg, NULL, 10);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((r = loop_new(NULL, NULL, &l)) < 0 ||
	    (r = xstore_open(loop_base(l), &xs)) < 0 ||
	    (r = dom_tracker_new(xs, &ops, NULL, &dt)) < 0) {
		fprintf(stderr, "xud-domwatch: %s\n", strerror(-r));
		return 1;
	}
	if (every > 0) {
		struct timeval tv = { every / 1000, (every % 1000) * 1000 };

		tick = event_new(loop_base(l), -1, EV_PERSIST, on_tick, dt);
		event_add(tick, &tv);
	}
	printf("ready\n");
	r = loop_run(l);
	if (tick)
		event_free(tick);
	dom_tracker_free(dt);
	xstore_close(xs);
	loop_free(l);
	return r < 0 ? 1 : 0;
}
