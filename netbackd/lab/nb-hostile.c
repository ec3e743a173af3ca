/*
 * nb-hostile: a hostile netfront for the lab, run in a guest whose own
 * netfront is unloaded. It takes over device/vif/<devid> from the
 * guest's userspace: two pages shared with gntalloc for the tx and rx
 * rings, an event channel, the keys a netfront writes, Connected; once
 * the backend is Connected, it posts the first slot of a packet (more
 * data to come) and kicks, says so in data/nb-half ("posted"), and
 * waits for data/nb-go: half a packet must cost the backend nothing
 * while it waits (the case looks). Then the packet's next slot, which
 * crosses its page, and a kick. A conforming backend disconnects it
 * (Closing).
 *
 *   nb-hostile DEVID TIMEOUT-SECONDS
 *
 * Prints "disconnected" and exits 0 when the backend went to Closing,
 * non-zero otherwise (with what it saw).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>
#include <xen/xen.h>
#include <xen/io/netif.h>
#include <xen/io/xenbus.h>

#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define wmb() mb()
#define rmb() mb()

static struct xs_handle *xs;
static char fe[128], be[128];

static void
put(const char *key, unsigned v)
{
	char path[192], val[32];

	snprintf(path, sizeof(path), "%s/%s", fe, key);
	snprintf(val, sizeof(val), "%u", v);
	if (!xs_write(xs, XBT_NULL, path, val, strlen(val))) {
		fprintf(stderr, "nb-hostile: cannot write %s\n", path);
		exit(2);
	}
}

static int
be_state(void)
{
	char path[192], *v;
	unsigned len;
	int s;

	snprintf(path, sizeof(path), "%s/state", be);
	if ((v = xs_read(xs, XBT_NULL, path, &len)) == NULL)
		return -1;
	s = atoi(v);
	free(v);
	return s;
}

/* Polls for our own data/KEY (see below), 0 once it exists. */
static int
wait_key(const char *key, double secs)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	unsigned len;

	for (double t = 0; t < secs; t += 0.1) {
		char *v = xs_read(xs, XBT_NULL, key, &len);

		free(v);
		if (v != NULL)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Polls (see xlab-gxs: no watch thread in a static binary). */
static int
wait_be(int want, double secs)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	for (double t = 0; t < secs; t += 0.1) {
		if (be_state() == want)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

int
main(int argc, char **argv)
{
	xengntshr_handle *gs;
	xenevtchn_handle *xe;
	uint32_t refs[2];
	void *pages;
	netif_tx_sring_t *txs;
	netif_rx_sring_t *rxs;
	netif_tx_front_ring_t tx;
	struct netif_tx_request *req;
	xenevtchn_port_or_error_t port;
	char path[192], *v;
	unsigned len, devid;
	double secs;

	if (argc != 3) {
		fprintf(stderr, "usage: nb-hostile DEVID TIMEOUT\n");
		return 2;
	}
	devid = (unsigned)atoi(argv[1]);
	secs = atof(argv[2]);
	if ((xs = xs_open(0)) == NULL || (gs = xengntshr_open(NULL, 0)) ==
	    NULL || (xe = xenevtchn_open(NULL, 0)) == NULL) {
		perror("nb-hostile: open");
		return 2;
	}
	v = xs_read(xs, XBT_NULL, "domid", &len);
	snprintf(fe, sizeof(fe), "/local/domain/%s/device/vif/%u",
	    v ? v : "?", devid);
	free(v);
	snprintf(path, sizeof(path), "%s/backend", fe);
	if ((v = xs_read(xs, XBT_NULL, path, &len)) == NULL) {
		fprintf(stderr, "nb-hostile: no %s\n", path);
		return 2;
	}
	snprintf(be, sizeof(be), "%s", v);
	free(v);

	/* start over as a fresh frontend, then wait for InitWait */
	put("state", XenbusStateInitialising);
	if (wait_be(XenbusStateInitWait, secs) < 0) {
		printf("backend state %d, not InitWait\n", be_state());
		return 1;
	}
	pages = xengntshr_share_pages(gs, 0, 2, refs, 1);
	port = xenevtchn_bind_unbound_port(xe, 0);
	if (pages == NULL || port < 0) {
		perror("nb-hostile: share or bind");
		return 2;
	}
	txs = pages;
	rxs = (void *)((char *)pages + 4096);
	SHARED_RING_INIT(txs);
	SHARED_RING_INIT(rxs);
	FRONT_RING_INIT(&tx, txs, 4096);
	put("tx-ring-ref", refs[0]);
	put("rx-ring-ref", refs[1]);
	put("event-channel", (unsigned)port);
	put("request-rx-copy", 1);
	put("feature-rx-notify", 1);
	put("state", XenbusStateConnected);
	if (wait_be(XenbusStateConnected, secs) < 0) {
		printf("backend state %d, not Connected\n", be_state());
		return 1;
	}

	/* half a packet: its first slot, more data to come, never sent */
	req = RING_GET_REQUEST(&tx, tx.req_prod_pvt);
	req->gref = refs[1];
	req->offset = 0;
	req->size = 1000;
	req->flags = NETTXF_more_data;
	req->id = 1;
	tx.req_prod_pvt++;
	RING_PUSH_REQUESTS(&tx);
	xenevtchn_notify(xe, (evtchn_port_t)port);
	if (!xs_write(xs, XBT_NULL, "data/nb-half", "posted", 6) ||
	    wait_key("data/nb-go", secs) < 0) {
		printf("no data/nb-go\n");
		return 1;
	}

	/* its next slot runs past the end of its page */
	req = RING_GET_REQUEST(&tx, tx.req_prod_pvt);
	req->gref = refs[1];
	req->offset = 4000;
	req->size = 200;
	req->flags = 0;
	req->id = 2;
	tx.req_prod_pvt++;
	RING_PUSH_REQUESTS(&tx);
	xenevtchn_notify(xe, (evtchn_port_t)port);
	if (wait_be(XenbusStateClosing, secs) < 0) {
		printf("backend state %d, not Closing\n", be_state());
		return 1;
	}
	printf("disconnected\n");
	return 0;
}
