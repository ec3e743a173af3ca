/*
 * lib/pvcons against fake grant-table, foreign-memory and event-channel
 * drivers (the test's and fake-evtchn.c's definitions come before the Xen
 * libraries').
 * Shows the checks on ring-ref and port; that a secondary console is
 * mapped by grant only, never as a frame, even when its grant fails;
 * that a primary uses the reserved console grant and falls back to a
 * foreign map of the toolstack's frame; that a failed bind leaves nothing
 * mapped; and that disconnect releases both. pvcons_read is two
 * xstore_read_uint calls and pvcons_check, so the check is tested here.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <event2/event.h>

#include "check.h"
#include "fake-evtchn.h"
#include "grant.h"
#include "pvcons.h"

#define GUEST 5
#define BAD_PORT 99		/* binding it fails */

/* --- the fake drivers ------------------------------------------------- */

static char pages[4][4096];
static struct {
	int console_grant;	/* the toolstack set GNTTAB_RESERVED_CONSOLE */
	uint32_t granted;	/* the one other ref the guest granted */
	int grant_maps, grant_unmaps, foreign_maps, foreign_unmaps;
	xen_pfn_t foreign_gfn;
} hv;

struct xengntdev_handle { int unused; };
struct xenforeignmemory_handle { int unused; };

xengnttab_handle *
xengnttab_open(struct xentoollog_logger *logger, unsigned open_flags)
{
	(void)logger;
	(void)open_flags;
	return calloc(1, sizeof(xengnttab_handle));
}

int
xengnttab_close(xengnttab_handle *h)
{
	free(h);
	return 0;
}

void *
xengnttab_map_grant_ref(xengnttab_handle *h, uint32_t domid, uint32_t ref,
			int prot)
{
	(void)h;
	(void)prot;
	if (domid == GUEST && ref == 0 && hv.console_grant) {
		hv.grant_maps++;
		return pages[0];
	}
	if (domid == GUEST && ref != 0 && ref == hv.granted) {
		hv.grant_maps++;
		return pages[1];
	}
	errno = EINVAL;
	return NULL;
}

int
xengnttab_unmap(xengnttab_handle *h, void *addr, uint32_t count)
{
	(void)h;
	CHECK(addr == pages[0] || addr == pages[1]);
	CHECK_EQ(count, 1);
	hv.grant_unmaps++;
	return 0;
}

xenforeignmemory_handle *
xenforeignmemory_open(struct xentoollog_logger *logger, unsigned open_flags)
{
	(void)logger;
	(void)open_flags;
	return calloc(1, sizeof(xenforeignmemory_handle));
}

int
xenforeignmemory_close(xenforeignmemory_handle *h)
{
	free(h);
	return 0;
}

void *
xenforeignmemory_map(xenforeignmemory_handle *h, uint32_t dom, int prot,
		     size_t n, const xen_pfn_t arr[], int err[])
{
	(void)h;
	(void)prot;
	CHECK_EQ(dom, GUEST);
	CHECK_EQ(n, 1);
	hv.foreign_maps++;
	hv.foreign_gfn = arr[0];
	err[0] = 0;
	return pages[2];
}

int
xenforeignmemory_unmap(xenforeignmemory_handle *h, void *addr, size_t n)
{
	(void)h;
	CHECK(addr == pages[2]);
	CHECK_EQ(n, 1);
	hv.foreign_unmaps++;
	return 0;
}

/* Binding the guest's BAD_PORT fails; so does any other domain's. */
static int
refuse(uint32_t domid, evtchn_port_t remote)
{
	return domid != GUEST || remote == BAD_PORT;
}

/* --- the test ---------------------------------------------------------- */

static void
on_port(evtchn_port_t p, void *arg)
{
	(void)p;
	(void)arg;
}

static void
test_check(void)
{
	struct pvcons_keys k = { 0, 0 };

	CHECK_EQ(pvcons_check(PVCONS_SECONDARY, 8, 1, &k), 0);
	CHECK_EQ(k.ring_ref, 8);
	CHECK_EQ(k.port, 1);
	CHECK_EQ(pvcons_check(PVCONS_SECONDARY, UINT32_MAX, 131071, &k), 0);
	CHECK_EQ(k.port, 131071);
	/* the toolstack's reserved grants: the primary's and xenstore's */
	CHECK_EQ(pvcons_check(PVCONS_SECONDARY, 0, 3, &k), -EINVAL);
	CHECK_EQ(pvcons_check(PVCONS_SECONDARY, 1, 3, &k), -EINVAL);
	CHECK_EQ(pvcons_check(PVCONS_SECONDARY, 7, 3, &k), -EINVAL);
	CHECK_EQ(pvcons_check(PVCONS_SECONDARY, 1ULL << 32, 3, &k), -ERANGE);
	/* port 0 is never a channel; the FIFO ABI has 2^17 ports */
	CHECK_EQ(pvcons_check(PVCONS_SECONDARY, 8, 0, &k), -EINVAL);
	CHECK_EQ(pvcons_check(PVCONS_SECONDARY, 8, 131072, &k), -ERANGE);
	CHECK_EQ(pvcons_check(PVCONS_PRIMARY, 8, 1ULL << 32, &k), -ERANGE);
	CHECK_EQ(pvcons_check(PVCONS_PRIMARY, 8, 0, &k), -EINVAL);
	/* a primary's ring-ref is a frame number: any */
	CHECK_EQ(pvcons_check(PVCONS_PRIMARY, 0, 2, &k), 0);
	CHECK_EQ(pvcons_check(PVCONS_PRIMARY, 1ULL << 40, 2, &k), 0);
	CHECK_EQ(k.ring_ref, 1ULL << 40);
	/* failures leave k as it was */
	CHECK_EQ(pvcons_check(PVCONS_PRIMARY, 5, 0, &k), -EINVAL);
	CHECK_EQ(k.ring_ref, 1ULL << 40);
	CHECK_EQ(k.port, 2);
}

/* Nothing mapped or bound, in the fakes and in lib's own counts. */
static void
check_none_held(struct pvcons *pc, struct gnt *g, struct evtchn *e)
{
	CHECK(pc->page == NULL);
	CHECK(!pc->bound);
	CHECK_EQ(gnt_mapped(g), 0);
	CHECK_EQ(evtchn_count(e), 0);
	CHECK_EQ(evtchn_handle(e)->nbound, 0);
	CHECK_EQ(hv.grant_maps, hv.grant_unmaps);
	CHECK_EQ(hv.foreign_maps, hv.foreign_unmaps);
}

static void
test_connect(struct event_base *base)
{
	struct pvcons pc = { 0 };
	struct pvcons_keys k;
	struct gnt *g, *g_noforeign;
	struct evtchn *e;

	CHECK_EQ(gnt_open(1, &g), 0);
	CHECK_EQ(gnt_open(0, &g_noforeign), 0);
	CHECK_EQ(evtchn_open(base, &e), 0);
	evtchn_handle(e)->next = 10;
	fake_evtchn_refuse = refuse;

	/* secondary, granted: mapped by grant, bound, notified */
	hv.granted = 100;
	CHECK_EQ(pvcons_check(PVCONS_SECONDARY, 100, 4, &k), 0);
	CHECK(!pvcons_is(&pc, &k));
	CHECK_EQ(pvcons_notify(&pc), -ENOTCONN);
	CHECK_EQ(pvcons_connect(&pc, g, e, GUEST, PVCONS_SECONDARY, &k,
	    on_port, NULL), 0);
	CHECK(pc.page == pages[1]);
	CHECK(pc.by_grant && pc.bound);
	CHECK_EQ(pc.local, 10);
	CHECK_EQ(pc.domid, GUEST);
	CHECK(pvcons_is(&pc, &k));
	CHECK_EQ(gnt_mapped(g), 1);
	CHECK_EQ(evtchn_count(e), 1);
	CHECK_EQ(pvcons_notify(&pc), 0);
	CHECK_EQ(evtchn_handle(e)->last_notified, 10);
	/* connected already: the caller disconnects first */
	CHECK_EQ(pvcons_connect(&pc, g, e, GUEST, PVCONS_SECONDARY, &k,
	    on_port, NULL), -EBUSY);
	CHECK(pc.page == pages[1]);
	pvcons_disconnect(&pc);
	check_none_held(&pc, g, e);
	CHECK_EQ(hv.grant_unmaps, 1);
	CHECK(!pvcons_is(&pc, &k));
	pvcons_disconnect(&pc);		/* twice is harmless */
	check_none_held(&pc, g, e);

	/* secondary whose grant fails: no foreign map of its ring-ref */
	hv.granted = 0;
	CHECK(pvcons_connect(&pc, g, e, GUEST, PVCONS_SECONDARY, &k,
	    on_port, NULL) < 0);
	CHECK_EQ(hv.foreign_maps, 0);
	check_none_held(&pc, g, e);

	/* primary with the toolstack's console grant: that, not the frame */
	hv.console_grant = 1;
	CHECK_EQ(pvcons_check(PVCONS_PRIMARY, 0x12345, 7, &k), 0);
	CHECK_EQ(pvcons_connect(&pc, g, e, GUEST, PVCONS_PRIMARY, &k,
	    on_port, NULL), 0);
	CHECK(pc.page == pages[0] && pc.by_grant);
	CHECK_EQ(hv.foreign_maps, 0);
	pvcons_disconnect(&pc);
	check_none_held(&pc, g, e);

	/* primary without it: the frame from xenstore, foreign-mapped */
	hv.console_grant = 0;
	CHECK_EQ(pvcons_connect(&pc, g, e, GUEST, PVCONS_PRIMARY, &k,
	    on_port, NULL), 0);
	CHECK(pc.page == pages[2] && !pc.by_grant && pc.bound);
	CHECK_EQ(hv.foreign_maps, 1);
	CHECK_EQ(hv.foreign_gfn, 0x12345);
	pvcons_disconnect(&pc);
	check_none_held(&pc, g, e);
	/* ... which needs the foreign-memory handle */
	CHECK_EQ(pvcons_connect(&pc, g_noforeign, e, GUEST, PVCONS_PRIMARY,
	    &k, on_port, NULL), -ENOTSUP);
	check_none_held(&pc, g_noforeign, e);

	/* the bind fails: the page mapped for it is let go */
	hv.granted = 100;
	CHECK_EQ(pvcons_check(PVCONS_SECONDARY, 100, BAD_PORT, &k), 0);
	CHECK_EQ(pvcons_connect(&pc, g, e, GUEST, PVCONS_SECONDARY, &k,
	    on_port, NULL), -EINVAL);
	check_none_held(&pc, g, e);
	CHECK(hv.grant_maps > 0);

	evtchn_close(e);
	gnt_close(g);
	gnt_close(g_noforeign);
}

int
main(void)
{
	struct event_base *base = event_base_new();

	CHECK(base != NULL);
	test_check();
	test_connect(base);
	event_base_free(base);
	return CHECK_DONE();
}
