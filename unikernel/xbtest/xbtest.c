/*
 * xbtest: the frontend of xud-betest's test device "xudtest", so the lab
 * proves the runtime's grant table and xenbus frontend on real Xen
 * against lib/xenbus_be.c in dom0 (tests/xenlab/cases/unikernel-xenbus.sh).
 *
 * Each round: wait for the backend's InitWait; grant it a page and
 * offer a port; publish both with Initialised in one transaction; wait
 * for Connected; send "ping round-N" on the page and wait for "pong
 * round-N" at its offset 2048; check that ending access is refused while
 * the backend maps the page; close (Closing, the backend's Closing or
 * Closed, Closed), and check that ending access works once it let go.
 * Round 2 is a reconnect. data/xbtest: "ok <rounds>" or
 * "fail <step> <errno>". Command line: rounds=N (1..9, default 2).
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "control.h"
#include "entry.h"
#include "evtchn.h"
#include "fmt.h"
#include "gnttab.h"
#include "num.h"
#include "page.h"
#include "shutdown.h"
#include "xenbus_front.h"
#include "xs_client.h"

#define XBT_DEV "device/xudtest/0"
#define XBT_WAIT (30 * TM_S)

static struct xbf xbt_f;
static int xbt_event;
static const char *xbt_step = "";

static void
xbt_on_event(evtchn_port_t port, void *arg)
{
	xbt_event = 1;
}

static int
xbt_has_event(void *arg)
{
	return xbt_event;
}

/* The device's nodes are written after we boot: wait for them. */
static int
xbt_open(uint64_t deadline)
{
	char path[64];
	int r;

	if ((r = xs_watch(XBT_DEV "/backend", "xbt-dev")) < 0)
		return r;
	while ((r = xbf_open(&xbt_f, XBT_DEV)) == -ENOENT &&
	       (r = xs_watch_take("xbt-dev", path, sizeof(path),
				  deadline)) == 0)
		;
	xs_unwatch(XBT_DEV "/backend", "xbt-dev");
	return r;
}

/* Waits for the pong, reading the page into a copy after each event. */
static int
xbt_pong(const char *page, const char *want, uint64_t deadline)
{
	char got[64];

	for (;;) {
		/* Cleared first: an event after the look wakes the wait. */
		xbt_event = 0;
		memcpy(got, page + 2048, sizeof(got));
		got[sizeof(got) - 1] = '\0';
		if (strcmp(got, want) == 0)
			return 0;
		if (tm_wait(xbt_has_event, NULL, deadline) < 0)
			return -ETIMEDOUT;
	}
}

#define XBT_TRY(step, expr) do { \
	xbt_step = (step); \
	if ((r = (expr)) < 0) \
		goto out; \
} while (0)

static int
xbt_round(int n)
{
	uint64_t deadline = tm_now() + XBT_WAIT;
	char ref_s[12], port_s[12], want[32];
	struct xbf_kv kv[2] = { { "ring-ref", ref_s },
				{ "event-channel", port_s } };
	evtchn_port_t port;
	char *page = page_alloc();
	int r, ref = -1, bound = 0;
	domid_t be = (domid_t)xbt_f.backend_id;

	if (page == NULL)
		return -ENOMEM;
	XBT_TRY("backend InitWait", xbf_wait_backend(&xbt_f,
		1u << XenbusStateInitWait, deadline));
	XBT_TRY("grant", ref = gnttab_grant(be, page, 0));
	XBT_TRY("port", ev_alloc_unbound(be, &port));
	bound = 1;
	XBT_TRY("register port", ev_register(port, xbt_on_event, NULL));
	fmt_snprintf(ref_s, sizeof(ref_s), "%d", ref);
	fmt_snprintf(port_s, sizeof(port_s), "%u", port);
	XBT_TRY("publish", xbf_publish(&xbt_f, kv, 2, XenbusStateInitialised));
	XBT_TRY("backend Connected", xbf_wait_backend(&xbt_f,
		1u << XenbusStateConnected, deadline));
	XBT_TRY("Connected", xbf_switch(&xbt_f, XenbusStateConnected));

	fmt_snprintf(page, 64, "ping round-%d", n);
	fmt_snprintf(want, sizeof(want), "pong round-%d", n);
	ev_send(port);
	XBT_TRY("pong", xbt_pong(page, want, deadline));
	uk_printf("xbtest: round %d: %s\n", n, want);

	/* The backend maps the page: its grant must not end now. */
	xbt_step = "end access while mapped";
	if ((r = gnttab_end((grant_ref_t)ref)) != -EBUSY) {
		r = r == 0 ? -EPROTO : r;
		ref = -1;
		goto out;
	}
	XBT_TRY("Closing", xbf_switch(&xbt_f, XenbusStateClosing));
	XBT_TRY("backend Closing", xbf_wait_backend(&xbt_f,
		1u << XenbusStateClosing | 1u << XenbusStateClosed, deadline));
	XBT_TRY("Closed", xbf_switch(&xbt_f, XenbusStateClosed));
	XBT_TRY("backend Closed", xbf_wait_backend(&xbt_f,
		1u << XenbusStateClosed, deadline));
	/* It unmapped before it said Closing: the grant ends now. */
	XBT_TRY("end access", gnttab_end((grant_ref_t)ref));
	ref = -1;
	XBT_TRY("Initialising", xbf_switch(&xbt_f, XenbusStateInitialising));
out:
	if (bound) {
		ev_unregister(port);
		ev_close(port);
	}
	/* A page a peer may still map is never reused. */
	if (ref < 0)
		page_free(page);
	return r < 0 ? r : 0;
}

int
uk_main(const char *cmdline)
{
	char arg[8], val[64];
	uint32_t rounds = 2;
	int r;

	uk_printf("xbtest: xud unikernel running, cmdline '%s'\n", cmdline);
	if (cmdline_get(cmdline, "rounds", arg, sizeof(arg)) >= 0 &&
	    num_parse_u32(arg, 9, &rounds) < 0)
		uk_panic("xbtest: bad rounds=%s", arg);
	if ((r = ctl_watch()) < 0)
		uk_panic("xbtest: cannot watch control/shutdown: error %d", -r);
	xbt_step = "grant table";
	if ((r = gnttab_init()) == 0) {
		xbt_step = "device";
		r = xbt_open(tm_now() + XBT_WAIT);
	}
	for (uint32_t n = 1; r == 0 && n <= rounds; n++)
		r = xbt_round((int)n);
	if (r == 0)
		fmt_snprintf(val, sizeof(val), "ok %u", rounds);
	else
		fmt_snprintf(val, sizeof(val), "fail %s %d", xbt_step, -r);
	uk_printf("xbtest: %s\n", val);
	xs_write(0, "data/xbtest", val);
	xs_write(0, "data/ready", "1");
	ctl_features();
	ctl_serve("xbtest");
}
