/*
 * lib/netring_front over rings in memory: this test plays the backend,
 * honest and hostile, writing the shared indices and slots as netif.h
 * lays them out.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "netring_front.h"

static union {
	struct netif_tx_sring tx;
	struct netif_rx_sring rx;
	uint8_t page[NETRING_PAGE];
} ring;

static void
test_fresh_ring(void)
{
	struct netring_front f;

	memset(&ring, 0xa5, sizeof(ring));
	netring_front_init(&f, &ring, NETRING_TX_SIZE);
	CHECK_EQ(ring.tx.req_prod, 0);
	CHECK_EQ(ring.tx.rsp_prod, 0);
	CHECK_EQ(ring.tx.req_event, 1);
	CHECK_EQ(ring.tx.rsp_event, 1);
	CHECK_EQ(netring_front_free(&f), NETRING_TX_SIZE);
	CHECK_EQ(netring_front_responses(&f), 0);
	/* nothing filled: nothing to publish, nobody to notify */
	CHECK_EQ(netring_front_push(&f), 0);
}

/* Requests fill the ring up to its size, then -ENOSPC until responses. */
static void
test_requests_and_notify(void)
{
	struct netring_front f;
	int slot;

	memset(&ring, 0, sizeof(ring));
	netring_front_init(&f, &ring, NETRING_RX_SIZE);
	for (unsigned i = 0; i < NETRING_RX_SIZE; i++) {
		slot = netring_front_next_req(&f);
		CHECK_EQ(slot, (int)i);
	}
	CHECK_EQ(netring_front_next_req(&f), -ENOSPC);
	CHECK_EQ(netring_front_free(&f), 0);
	/* the backend waits for request 1 (req_event = 1): notify */
	CHECK_EQ(netring_front_push(&f), 1);
	CHECK_EQ(ring.rx.req_prod, NETRING_RX_SIZE);

	/* the backend answers 3; we consume them and may post 3 more */
	ring.rx.rsp_prod = 3;
	CHECK_EQ(netring_front_responses(&f), 3);
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(netring_front_take_rsp(&f), i);
	CHECK_EQ(netring_front_free(&f), 3);
	/* the slots wrap round the ring */
	CHECK_EQ(netring_front_next_req(&f), 0);
	/* the backend is busy and asked for no event before req 1000 */
	ring.rx.req_event = 1000;
	CHECK_EQ(netring_front_push(&f), 0);
	CHECK_EQ(ring.rx.req_prod, NETRING_RX_SIZE + 1);
	/* ... now it waits for exactly the next one */
	ring.rx.req_event = NETRING_RX_SIZE + 2;
	CHECK(netring_front_next_req(&f) >= 0);
	CHECK_EQ(netring_front_push(&f), 1);
}

/* A backend that claims responses to requests we never made. */
static void
test_hostile_rsp_prod(void)
{
	struct netring_front f;

	memset(&ring, 0, sizeof(ring));
	netring_front_init(&f, &ring, NETRING_TX_SIZE);
	for (int i = 0; i < 4; i++)
		CHECK(netring_front_next_req(&f) >= 0);
	/* filled but not published: no response may exist yet */
	ring.tx.rsp_prod = 1;
	CHECK_EQ(netring_front_responses(&f), -EPROTO);
	netring_front_push(&f);
	ring.tx.rsp_prod = 4;
	CHECK_EQ(netring_front_responses(&f), 4);
	ring.tx.rsp_prod = 5;
	CHECK_EQ(netring_front_responses(&f), -EPROTO);
	/* going back is as bad (it wraps to a huge count) */
	ring.tx.rsp_prod = (RING_IDX)-1;
	CHECK_EQ(netring_front_responses(&f), -EPROTO);
	/* our own indices are untouched by what the backend wrote */
	CHECK_EQ(f.rsp_cons, 0);
	CHECK_EQ(netring_front_free(&f), NETRING_TX_SIZE - 4);
	/* a backend rewriting req_prod does not move ours */
	ring.tx.req_prod = 77;
	CHECK(netring_front_next_req(&f) >= 0);
	netring_front_push(&f);
	CHECK_EQ(ring.tx.req_prod, 5);
}

static void
test_final_check(void)
{
	struct netring_front f;

	memset(&ring, 0, sizeof(ring));
	netring_front_init(&f, &ring, NETRING_TX_SIZE);
	for (int i = 0; i < 2; i++)
		CHECK(netring_front_next_req(&f) >= 0);
	netring_front_push(&f);
	ring.tx.rsp_prod = 1;
	CHECK_EQ(netring_front_responses(&f), 1);
	netring_front_take_rsp(&f);
	/* nothing more: the event is armed for the next response */
	CHECK_EQ(netring_front_final_check(&f), 0);
	CHECK_EQ(ring.tx.rsp_event, 2);
	/* one came while we armed it: look again */
	ring.tx.rsp_prod = 2;
	CHECK_EQ(netring_front_final_check(&f), 1);
}

static void
test_ids(void)
{
	struct netring_front_ids ids;

	netring_front_ids_init(&ids, 4);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(netring_front_id_take(&ids), i);
	CHECK_EQ(netring_front_id_take(&ids), -ENOSPC);
	CHECK_EQ(netring_front_id_done(&ids, 2), 0);
	/* a second response for the same request */
	CHECK_EQ(netring_front_id_done(&ids, 2), -EPROTO);
	/* ids beyond the limit, and beyond any table */
	CHECK_EQ(netring_front_id_done(&ids, 4), -EPROTO);
	CHECK_EQ(netring_front_id_done(&ids, 0xffff), -EPROTO);
	CHECK_EQ(netring_front_id_done(&ids, UINT32_MAX), -EPROTO);
	CHECK_EQ(ids.nbusy, 3);
	CHECK_EQ(netring_front_id_take(&ids), 2);

	/* a limit above the table is cut to it */
	netring_front_ids_init(&ids, 100000);
	CHECK_EQ(ids.limit, NETRING_FRONT_IDS);
	for (unsigned i = 0; i < NETRING_FRONT_IDS; i++)
		CHECK(netring_front_id_take(&ids) >= 0);
	CHECK_EQ(netring_front_id_take(&ids), -ENOSPC);
	CHECK_EQ(netring_front_id_done(&ids, NETRING_FRONT_IDS), -EPROTO);
}

static void
test_rx_len(void)
{
	struct netif_rx_response r = { .id = 0, .offset = 0, .flags = 0,
				       .status = 60 };

	CHECK_EQ(netring_front_rx_len(&r), 60);
	r.status = 1514;
	r.flags = NETRXF_data_validated;
	CHECK_EQ(netring_front_rx_len(&r), 1514);
	/* up to the page's end, not beyond */
	r.offset = NETRING_PAGE - 1514;
	CHECK_EQ(netring_front_rx_len(&r), 1514);
	r.offset++;
	CHECK_EQ(netring_front_rx_len(&r), -EPROTO);
	r.offset = 0xffff;
	r.status = 0x7fff;
	CHECK_EQ(netring_front_rx_len(&r), -EPROTO);
	/* errors lose the packet, not the ring */
	r.offset = 0;
	r.status = NETIF_RSP_ERROR;
	CHECK_EQ(netring_front_rx_len(&r), -EIO);
	r.status = NETIF_RSP_DROPPED;
	CHECK_EQ(netring_front_rx_len(&r), -EIO);
	r.status = 0;
	CHECK_EQ(netring_front_rx_len(&r), -EIO);
	/* slots we never negotiated */
	r.status = 100;
	r.flags = NETRXF_more_data;
	CHECK_EQ(netring_front_rx_len(&r), -EPROTO);
	r.flags = NETRXF_extra_info;
	CHECK_EQ(netring_front_rx_len(&r), -EPROTO);
}

int
main(void)
{
	test_fresh_ring();
	test_requests_and_notify();
	test_hostile_rsp_prod();
	test_final_check();
	test_ids();
	test_rx_len();
	return CHECK_DONE();
}
