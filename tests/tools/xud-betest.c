/*
 * xud-betest: a test backend for device type "xudtest", built on
 * lib/xenbus_be.c, lib/grant.c and lib/evtchn.c, for the lab case that
 * proves them on real Xen against xud-fetest in a guest.
 *
 *   xud-betest BACKEND-PATH
 *
 * Protocol: the frontend shares one page (ring-ref) and a port
 * (event-channel). On each event, the page holds a NUL-terminated
 * "ping <text>" at offset 0; the backend answers "pong <text>" at
 * offset 2048 and notifies. Prints one line per event it sees:
 *   features | connected <domid> | ping <text> | disconnected | removed
 * and exits 0 after "removed" (online=0 and the frontend gone).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "evtchn.h"
#include "grant.h"
#include "loop.h"
#include "xenbus_be.h"
#include "xstore.h"

#define MSG_MAX 256

struct betest {
	struct loop *loop;
	struct xstore *xs;
	struct evtchn *ev;
	struct gnt *gnt;
	struct xbe_dev *dev;
	char *page;
	evtchn_port_t port;
	int bound;
};

static void
on_event(evtchn_port_t port, void *arg)
{
	struct betest *b = arg;
	char msg[MSG_MAX];

	/* The guest may change the page while we read: copy, then check. */
	memcpy(msg, b->page, sizeof(msg));
	msg[sizeof(msg) - 1] = '\0';
	/* Binding marks the port pending: an empty page is no message. */
	if (msg[0] == '\0')
		return;
	if (strncmp(msg, "ping ", 5) != 0) {
		printf("garbage\n");
		return;
	}
	printf("ping %s\n", msg + 5);
	snprintf(b->page + 2048, MSG_MAX, "pong %s", msg + 5);
	evtchn_notify(b->ev, b->port);
}

static int
be_features(struct xbe_dev *d, void *arg)
{
	struct betest *b = arg;
	char path[512];

	snprintf(path, sizeof(path), "%s/feature-ping", xbe_dev_info(d)->be_path);
	printf("features\n");
	return xstore_write(b->xs, XBT_NULL, path, "1");
}

static int
be_connect(struct xbe_dev *d, void *arg)
{
	struct betest *b = arg;
	const struct xbe_dev_info *i = xbe_dev_info(d);
	char path[512];
	uint64_t ref, port;
	uint32_t r32;
	void *p;
	int r;

	snprintf(path, sizeof(path), "%s/ring-ref", i->fe_path);
	if ((r = xstore_read_uint(b->xs, XBT_NULL, path, UINT32_MAX, &ref)) < 0)
		return r;
	snprintf(path, sizeof(path), "%s/event-channel", i->fe_path);
	if ((r = xstore_read_uint(b->xs, XBT_NULL, path, UINT32_MAX,
	    &port)) < 0)
		return r;
	r32 = (uint32_t)ref;
	if ((r = gnt_map(b->gnt, i->fe_domid, &r32, 1, PROT_READ | PROT_WRITE,
	    &p)) < 0)
		return r;
	b->page = p;
	if ((r = evtchn_bind_interdomain(b->ev, i->fe_domid,
	    (evtchn_port_t)port, on_event, b, &b->port)) < 0) {
		gnt_unmap(b->gnt, b->page, 1);
		b->page = NULL;
		return r;
	}
	b->bound = 1;
	printf("connected %u\n", i->fe_domid);
	return 0;
}

static void
be_disconnect(struct xbe_dev *d, void *arg)
{
	struct betest *b = arg;

	if (b->bound)
		evtchn_unbind(b->ev, b->port);
	b->bound = 0;
	gnt_unmap(b->gnt, b->page, 1);
	b->page = NULL;
	printf("disconnected (grants mapped %u, ports %u)\n",
	    gnt_mapped(b->gnt), evtchn_count(b->ev));
}

static void
be_removed(struct xbe_dev *d, void *arg)
{
	struct betest *b = arg;

	printf("removed\n");
	loop_exit(b->loop);
}

int
main(int argc, char **argv)
{
	static const struct xbe_ops ops = { be_features, be_connect,
	    be_disconnect, be_removed };
	struct betest b = { 0 };
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: xud-betest BACKEND-PATH\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((r = loop_new(NULL, NULL, &b.loop)) < 0 ||
	    (r = xstore_open(loop_base(b.loop), &b.xs)) < 0 ||
	    (r = evtchn_open(loop_base(b.loop), &b.ev)) < 0 ||
	    (r = gnt_open(0, &b.gnt)) < 0 ||
	    (r = xbe_dev_new(b.xs, argv[1], 0, &ops, &b, &b.dev)) < 0) {
		fprintf(stderr, "xud-betest: %s\n", strerror(-r));
		return 1;
	}
	r = loop_run(b.loop);
	xbe_dev_free(b.dev);
	gnt_close(b.gnt);
	evtchn_close(b.ev);
	xstore_close(b.xs);
	loop_free(b.loop);
	return r < 0 ? 1 : 0;
}
