/*
 * unikernel/rt/netfront_io.c, netfront's data path, over rings in memory:
 * this test plays the backend (honest, then hostile) on the shared rings
 * and the granted pages, and fakes the event channel.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "unikernel/rt/evtchn.h"
#include "unikernel/rt/netfront.h"

#define PORT 9u

static unsigned sent, unregistered;
int
ev_send(evtchn_port_t port)
{
	CHECK_EQ(port, PORT);
	sent++;
	return 0;
}

void
ev_unregister(evtchn_port_t port)
{
	CHECK_EQ(port, PORT);
	unregistered++;
}

static struct netfront nf;
static uint8_t pages[2 + NF_TX_BUFS + NF_RX_BUFS][NETRING_PAGE]
	__attribute__((aligned(4096)));

/* What rx() got. */
static uint8_t got[NETRING_PAGE];
static size_t got_len;
static unsigned got_frames, batches;
static int scribble = -1;	/* rx() rewrites this buffer meanwhile */

static void
test_rx_cb(void *arg, const void *frame, size_t len)
{
	CHECK(arg == &nf);
	for (unsigned i = 0; i < NF_RX_BUFS; i++)
		CHECK(frame != nf.rxb[i].page);	/* a copy, not the page */
	if (scribble >= 0)
		memset(nf.rxb[scribble].page, 0xee, NETRING_PAGE);
	memcpy(got, frame, len);
	got_len = len;
	got_frames++;
}

static void
test_batch_cb(void *arg)
{
	CHECK(arg == &nf);
	batches++;
}

/* A connected netfront as nf_open leaves it, minus xenbus and grants. */
static void
setup(void)
{
	struct nf_config cfg = { test_rx_cb, test_batch_cb, &nf };

	memset(&nf, 0, sizeof(nf));
	memset(pages, 0, sizeof(pages));
	nf.cfg = cfg;
	nf.port = PORT;
	nf.txs = (struct netif_tx_sring *)pages[0];
	nf.rxs = (struct netif_rx_sring *)pages[1];
	netring_front_init(&nf.tx, nf.txs, NETRING_TX_SIZE);
	netring_front_init(&nf.rx, nf.rxs, NETRING_RX_SIZE);
	netring_front_ids_init(&nf.tx_ids, NF_TX_BUFS);
	netring_front_ids_init(&nf.rx_ids, NF_RX_BUFS);
	for (unsigned i = 0; i < NF_TX_BUFS; i++)
		nf.txb[i] = (struct nf_buf){ pages[2 + i], 100 + i };
	for (unsigned i = 0; i < NF_RX_BUFS; i++)
		nf.rxb[i] = (struct nf_buf){ pages[2 + NF_TX_BUFS + i], 200 + i };
	sent = unregistered = got_frames = batches = 0;
	got_len = 0;
	scribble = -1;
	nf_rx_refill(&nf);
}

/* The backend's own cursors. */
static RING_IDX be_rx_req, be_rx_rsp, be_tx_req, be_tx_rsp;

static void
be_reset(void)
{
	be_rx_req = be_rx_rsp = be_tx_req = be_tx_rsp = 0;
}

/* Answers the next posted rx request with a frame (status len). */
static uint16_t be_last_id;
static void
be_rx(const void *data, int16_t len, uint16_t offset, uint16_t flags)
{
	struct netif_rx_request req;
	struct netif_rx_response *rsp;

	CHECK(nf.rxs->req_prod != be_rx_req);
	req = nf.rxs->ring[be_rx_req++ % NETRING_RX_SIZE].req;
	CHECK_EQ(req.gref, 200 + req.id);
	be_last_id = req.id;
	if (len > 0 && data)
		memcpy(nf.rxb[req.id].page + offset, data, (size_t)len);
	rsp = &nf.rxs->ring[be_rx_rsp++ % NETRING_RX_SIZE].rsp;
	*rsp = (struct netif_rx_response){ .id = req.id, .offset = offset,
					   .flags = flags, .status = len };
	nf.rxs->rsp_prod = be_rx_rsp;
}

/* The rx buffers are posted, the backend told, each id once. */
static void
test_posted(void)
{
	uint8_t seen[NF_RX_BUFS] = { 0 };

	setup();
	CHECK_EQ(nf.rxs->req_prod, NF_RX_BUFS);
	CHECK_EQ(sent, 1);
	for (unsigned i = 0; i < NF_RX_BUFS; i++) {
		struct netif_rx_request req = nf.rxs->ring[i].req;

		CHECK(req.id < NF_RX_BUFS);
		if (req.id < NF_RX_BUFS) {
			CHECK(!seen[req.id]);
			seen[req.id] = 1;
			CHECK_EQ(req.gref, 200 + req.id);
		}
	}
}

/* A frame is delivered as a copy, its buffer posted again. */
static void
test_rx_frames(void)
{
	uint8_t frame[1514];

	setup();
	be_reset();
	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7);
	/* the backend rewrites the page while we look: our copy holds */
	be_rx(frame, sizeof(frame), 0, NETRXF_data_validated);
	scribble = be_last_id;
	nf_event(PORT, &nf);
	scribble = -1;
	CHECK_EQ(got_frames, 1);
	CHECK_EQ(got_len, sizeof(frame));
	CHECK(memcmp(got, frame, sizeof(frame)) == 0);
	be_rx(frame + 3, 60, 2048, 0);
	nf_event(PORT, &nf);
	CHECK_EQ(got_frames, 2);
	CHECK_EQ(batches, 2);
	CHECK_EQ(got_len, 60);
	CHECK(memcmp(got, frame + 3, 60) == 0);
	CHECK_EQ(nf.st.rx, 2);
	/* both buffers went back: 64 posted again beyond the two answered */
	CHECK_EQ(nf.rxs->req_prod, NF_RX_BUFS + 2);
	/* and the next response is asked for */
	CHECK_EQ(nf.rxs->rsp_event, 3);
	CHECK_EQ(nf.error, 0);

	/* an error status loses that frame only */
	be_rx(NULL, NETIF_RSP_ERROR, 0, 0);
	nf_event(PORT, &nf);
	CHECK_EQ(got_frames, 2);
	CHECK_EQ(nf.st.rx_err, 1);
	CHECK_EQ(nf.error, 0);
	CHECK_EQ(nf.rxs->req_prod, NF_RX_BUFS + 3);

	/* a whole ring's worth, in rounds */
	for (unsigned round = 0; round < 20; round++) {
		for (unsigned k = 0; k < 50; k++)
			be_rx(frame, 100, 0, 0);
		nf_event(PORT, &nf);
	}
	CHECK_EQ(got_frames, 1002);
	CHECK_EQ(nf.error, 0);
	CHECK_EQ(nf.rx_ids.nbusy, NF_RX_BUFS);
}

/* The event breaks the vif after delivering frames good ones. */
static void
expect_broken(const char *what, unsigned frames)
{
	nf_event(PORT, &nf);
	if (nf.error != -EPROTO)
		fprintf(stderr, "not refused: %s\n", what);
	CHECK_EQ(nf.error, -EPROTO);
	CHECK(nf.why != NULL);
	CHECK_EQ(unregistered, 1);
	CHECK_EQ(got_frames, frames);
	/* and nothing more goes out */
	CHECK_EQ(nf_tx(&nf, "x", 1), -EPROTO);
}

static void
test_rx_hostile(void)
{
	struct netif_rx_response *rsp;

	/* a response to a buffer twice */
	setup();
	be_reset();
	be_rx("abc", 3, 0, 0);
	rsp = &nf.rxs->ring[be_rx_rsp++].rsp;
	*rsp = nf.rxs->ring[0].rsp;
	nf.rxs->rsp_prod = be_rx_rsp;
	expect_broken("a duplicate rx id", 1);	/* the good one first */

	/* an id we never posted */
	setup();
	be_reset();
	nf.rxs->ring[0].rsp = (struct netif_rx_response){ .id = NF_RX_BUFS,
							  .status = 60 };
	nf.rxs->rsp_prod = 1;
	expect_broken("an rx id beyond the buffers", 0);

	/* more responses than requests */
	setup();
	nf.rxs->rsp_prod = NF_RX_BUFS + 1;
	expect_broken("rx rsp_prod beyond the requests", 0);

	/* data beyond the page, and slots we never negotiated */
	setup();
	be_reset();
	be_rx(NULL, 200, NETRING_PAGE - 100, 0);
	expect_broken("rx data beyond its page", 0);
	setup();
	be_reset();
	be_rx("abc", 3, 0, NETRXF_more_data);
	expect_broken("rx more_data", 0);
}

/* The backend takes the next tx request and answers it. */
static struct netif_tx_request
be_tx(int16_t status)
{
	struct netif_tx_request req;

	CHECK(nf.txs->req_prod != be_tx_req);
	req = nf.txs->ring[be_tx_req++ % NETRING_TX_SIZE].req;
	nf.txs->ring[be_tx_rsp++ % NETRING_TX_SIZE].rsp =
		(struct netif_tx_response){ .id = req.id, .status = status };
	nf.txs->rsp_prod = be_tx_rsp;
	return req;
}

static void
test_tx(void)
{
	uint8_t frame[1514];
	struct netif_tx_request req;
	unsigned before;

	setup();
	be_reset();
	memset(frame, 0x42, sizeof(frame));
	before = sent;
	CHECK_EQ(nf_tx(&nf, frame, 60), 0);
	CHECK_EQ(sent, before + 1);	/* the backend waits for request 1 */
	req = be_tx(NETIF_RSP_OKAY);
	CHECK_EQ(req.size, 60);
	CHECK_EQ(req.offset, 0);
	CHECK_EQ(req.flags, 0);
	CHECK(req.id < NF_TX_BUFS);
	CHECK_EQ(req.gref, 100 + req.id);
	CHECK(memcmp(nf.txb[req.id].page, frame, 60) == 0);

	/* every tx page in flight: the next frame is lost, not queued */
	for (unsigned i = 0; i < NF_TX_BUFS; i++)
		CHECK_EQ(nf_tx(&nf, frame, sizeof(frame)), 0);
	CHECK_EQ(nf_tx(&nf, frame, sizeof(frame)), -ENOSPC);
	CHECK_EQ(nf.st.tx_full, 1);
	/* one answered (with an error): its page is free again */
	be_tx(NETIF_RSP_ERROR);
	CHECK_EQ(nf_tx(&nf, frame, sizeof(frame)), 0);
	CHECK_EQ(nf.st.tx_err, 1);
	CHECK_EQ(nf_tx(&nf, frame, 0), -EINVAL);
	CHECK_EQ(nf_tx(&nf, frame, NETRING_PAGE + 1), -EINVAL);
	CHECK_EQ(nf.error, 0);

	/* a tx response for a page not in flight */
	setup();
	be_reset();
	CHECK_EQ(nf_tx(&nf, frame, 60), 0);
	req = be_tx(NETIF_RSP_OKAY);
	nf.txs->ring[be_tx_rsp++].rsp =
		(struct netif_tx_response){ .id = req.id };
	nf.txs->rsp_prod = be_tx_rsp;
	CHECK_EQ(nf_tx(&nf, frame, 60), -EPROTO);
	CHECK_EQ(unregistered, 1);

	/* tx responses beyond the requests */
	setup();
	nf.txs->rsp_prod = 1;
	CHECK_EQ(nf_tx(&nf, frame, 60), -EPROTO);
}

int
main(void)
{
	test_posted();
	test_rx_frames();
	test_rx_hostile();
	test_tx();
	return CHECK_DONE();
}
