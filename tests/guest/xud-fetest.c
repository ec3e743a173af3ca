/*
 * xud-fetest: the frontend of device type "xudtest", played from a
 * guest's userspace with lib/gfront.c (gntalloc, evtchn, xenbus).
 *
 *   xud-fetest DEVICE-DIR ROUNDS
 *
 * Each round: wait for the backend's InitWait, share a page and a port,
 * go Initialised, wait for Connected, send "ping <round>" and wait for
 * "pong <round>", then close (Closing, wait for the backend's Closed,
 * Closed) — so round 2 is a reconnect. Exit 0 if every round worked.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/io/xenbus.h>

#include "gfront.h"

#define T 30000		/* ms for each wait */

static int
die(const char *what, int r)
{
	fprintf(stderr, "xud-fetest: %s: %s\n", what, strerror(-r));
	return 1;
}

static int
round_trip(struct gfront *f, const char *dir, const char *be, int n)
{
	char buf[64], want[64];
	uint32_t ref;
	evtchn_port_t port;
	char *page;
	void *p;
	int r;

	if ((r = gfront_wait_int(f, be, "state", XenbusStateInitWait, T)) < 0)
		return die("backend InitWait", r);
	if ((r = gfront_share(f, 1, &ref, &p)) < 0)
		return die("share page", r);
	page = p;
	if ((r = gfront_port(f, &port)) < 0)
		return die("alloc port", r);
	snprintf(buf, sizeof(buf), "%u", ref);
	gfront_write(f, dir, "ring-ref", buf);
	snprintf(buf, sizeof(buf), "%u", port);
	gfront_write(f, dir, "event-channel", buf);
	snprintf(buf, sizeof(buf), "%d", XenbusStateInitialised);
	gfront_write(f, dir, "state", buf);
	if ((r = gfront_wait_int(f, be, "state", XenbusStateConnected, T)) < 0)
		return die("backend Connected", r);
	snprintf(buf, sizeof(buf), "%d", XenbusStateConnected);
	gfront_write(f, dir, "state", buf);

	snprintf(page, 256, "ping round-%d", n);
	snprintf(want, sizeof(want), "pong round-%d", n);
	gfront_notify(f, port);
	for (;;) {
		if ((r = gfront_wait(f, T)) < 0)
			return die("wait for pong", r);
		if (strcmp(page + 2048, want) == 0)
			break;
	}
	printf("xud-fetest: round %d: %s\n", n, page + 2048);

	snprintf(buf, sizeof(buf), "%d", XenbusStateClosing);
	gfront_write(f, dir, "state", buf);
	if ((r = gfront_wait_int(f, be, "state", XenbusStateClosing, T)) < 0 &&
	    (r = gfront_wait_int(f, be, "state", XenbusStateClosed, T)) < 0)
		return die("backend Closing", r);
	snprintf(buf, sizeof(buf), "%d", XenbusStateClosed);
	gfront_write(f, dir, "state", buf);
	if ((r = gfront_wait_int(f, be, "state", XenbusStateClosed, T)) < 0)
		return die("backend Closed", r);
	gfront_unbind(f, port);
	gfront_unshare(f, page);
	/* Like a driver reloading: start over from Initialising. */
	snprintf(buf, sizeof(buf), "%d", XenbusStateInitialising);
	gfront_write(f, dir, "state", buf);
	return 0;
}

int
main(int argc, char **argv)
{
	struct gfront *f;
	char be[256];
	long be_id;
	int rounds, r;

	if (argc != 3) {
		fprintf(stderr, "usage: xud-fetest DEVICE-DIR ROUNDS\n");
		return 2;
	}
	rounds = atoi(argv[2]);
	/* The backend is in dom0; backend-id below only confirms it. */
	if ((r = gfront_open(0, &f)) < 0)
		return die("open", r);
	if ((r = gfront_read_int(f, argv[1], "backend-id", &be_id)) < 0)
		return die("backend-id", r);
	if (be_id != 0) {
		fprintf(stderr, "xud-fetest: backend in dom%ld, not dom0\n",
		    be_id);
		return 1;
	}
	if ((r = gfront_read(f, argv[1], "backend", be, sizeof(be))) < 0)
		return die("backend", r);
	for (int n = 1; n <= rounds; n++)
		if (round_trip(f, argv[1], be, n) != 0)
			return 1;
	gfront_close(f);
	return 0;
}
