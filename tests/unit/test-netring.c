/*
 * lib/netring_tx and lib/netring_rx over rings in memory: a test
 * frontend writes slots as netif.h lays them out, a test copier copies
 * between our memory and fake granted pages and records each batch.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "netring_rx.h"
#include "netring_tx.h"

/* ring.h's frontend macros want the kernel's fences. */
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define wmb() mb()
#define rmb() mb()

#define GREF0 8u		/* the first grant ref a guest may use */
#define NPAGES 80u

/* The guest's granted pages: gref GREF0 + k is pages[k]. */
static uint8_t pages[NPAGES][NETRING_PAGE];

/* What the copier saw. */
static unsigned copy_calls, copy_ops;
static int copy_fail_gref = -1;

static int
test_copy(void *ctx, struct netring_copy *ops, unsigned n)
{
	(void)ctx;
	copy_calls++;
	for (unsigned k = 0; k < n; k++) {
		struct netring_copy *op = &ops[k];
		uint8_t *g;

		copy_ops++;
		CHECK(op->gref >= GREF0 && op->gref < GREF0 + NPAGES);
		CHECK(op->offset + op->len <= NETRING_PAGE);
		if (op->gref < GREF0 || op->gref >= GREF0 + NPAGES ||
		    (int)op->gref == copy_fail_gref) {
			op->status = -1;
			continue;
		}
		g = pages[op->gref - GREF0] + op->offset;
		if (op->dir == NETRING_FROM_GUEST)
			memcpy(op->local, g, op->len);
		else
			memcpy(g, op->local, op->len);
		op->status = 0;
	}
	return 0;
}

/* What the TAP got. */
static unsigned nr_rx_pkts;
static uint8_t last_pkt[XEN_NETIF_MAX_TX_SIZE];
static struct netring_tx_pkt last;
static int tx_verdict = NETIF_RSP_OKAY;

static int
test_tx_packet(void *ctx, const struct netring_tx_pkt *p)
{
	(void)ctx;
	nr_rx_pkts++;
	last = *p;
	memcpy(last_pkt, p->data, p->len);
	return tx_verdict;
}

static const struct netring_ops ops = {
	.copy = test_copy, .tx_packet = test_tx_packet,
};

/* The test frontend's tx ring. */
static union {
	struct netif_tx_sring s;
	uint8_t page[NETRING_PAGE];
} txpage;
static struct netif_tx_front_ring front;
static struct netring_tx tx;
static struct netring_copy batch[64];
static uint8_t txbuf[2 * XEN_NETIF_MAX_TX_SIZE];

static void
tx_setup(unsigned max_slots)
{
	struct netring_tx_cfg cfg = {
		.max_slots = max_slots, .max_gref = GREF0 + NPAGES,
		.id_limit = NETRING_TX_SIZE,
		.gso_types = 1u << XEN_NETIF_GSO_TYPE_TCPV4 |
		    1u << XEN_NETIF_GSO_TYPE_TCPV6,
	};

	memset(&txpage, 0, sizeof(txpage));
	SHARED_RING_INIT(&txpage.s);
	FRONT_RING_INIT(&front, &txpage.s, NETRING_PAGE);
	CHECK_EQ(netring_tx_init(&tx, &txpage.s, &cfg, batch, 64, txbuf,
	    sizeof(txbuf)), 0);
	copy_calls = copy_ops = nr_rx_pkts = 0;
	copy_fail_gref = -1;
	tx_verdict = NETIF_RSP_OKAY;
}

static void
put_req(uint32_t gref, uint16_t off, uint16_t flags, uint16_t id,
	uint16_t size)
{
	struct netif_tx_request *r =
	    RING_GET_REQUEST(&front, front.req_prod_pvt++);

	*r = (struct netif_tx_request){ .gref = gref, .offset = off,
	    .flags = flags, .id = id, .size = size };
}

static void
put_extra(uint8_t type, uint8_t flags, uint8_t gso_type, uint16_t gso_size)
{
	struct netif_extra_info x = { .type = type, .flags = flags };

	x.u.gso.type = gso_type;
	x.u.gso.size = gso_size;
	memcpy(RING_GET_REQUEST(&front, front.req_prod_pvt++), &x, sizeof(x));
}

static void
push(void)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
	(void)notify;
}

/* Fills a guest page with a pattern that names its page and offset. */
static void
fill(unsigned k)
{
	for (unsigned i = 0; i < NETRING_PAGE; i++)
		pages[k][i] = (uint8_t)(k * 7 + i);
}

static int
poll_tx(int *notify)
{
	int n = netring_tx_poll(&tx, &ops, notify);

	return n;
}

/* The responses from the frontend's side, in order. */
static int
get_rsp(uint16_t *id, int16_t *status)
{
	struct netif_tx_response *r;

	if (!RING_HAS_UNCONSUMED_RESPONSES(&front))
		return 0;
	r = RING_GET_RESPONSE(&front, front.rsp_cons++);
	*id = r->id;
	*status = r->status;
	return 1;
}

static void
test_tx_single(void)
{
	int notify;
	uint16_t id;
	int16_t st;

	tx_setup(XEN_NETIF_NR_SLOTS_MIN);
	fill(0);
	put_req(GREF0, 100, NETTXF_csum_blank, 5, 60);
	push();
	CHECK_EQ(poll_tx(&notify), 1);
	CHECK_EQ(notify, 1);
	CHECK_EQ(copy_calls, 1);
	CHECK_EQ(copy_ops, 1);
	CHECK_EQ(nr_rx_pkts, 1);
	CHECK_EQ(last.len, 60);
	CHECK_EQ(last.flags, NETTXF_csum_blank);
	CHECK_EQ(last.gso_type, XEN_NETIF_GSO_TYPE_NONE);
	CHECK(memcmp(last_pkt, pages[0] + 100, 60) == 0);
	CHECK(get_rsp(&id, &st));
	CHECK_EQ(id, 5);
	CHECK_EQ(st, NETIF_RSP_OKAY);
	CHECK(!get_rsp(&id, &st));
	CHECK_EQ(tx.stats.packets, 1);
	CHECK_EQ(tx.stats.bytes, 60);
	/* nothing new: no copy, no notify; then the final check arms */
	CHECK_EQ(poll_tx(&notify), 0);
	CHECK_EQ(notify, 0);
	CHECK_EQ(copy_calls, 1);
	CHECK_EQ(netring_tx_final_check(&tx), 0);
	CHECK_EQ(txpage.s.req_event, tx.b.req_cons + 1);
	put_req(GREF0, 0, 0, 6, 60);
	push();
	CHECK_EQ(netring_tx_final_check(&tx), 1);
}

/* Three slots, GSO extra, data_validated; the first slot holds 1000. */
static void
put_multi(uint16_t first_size, uint8_t extra_type, uint8_t gso_type)
{
	put_req(GREF0 + 1, 3000,
	    NETTXF_more_data | NETTXF_extra_info | NETTXF_data_validated, 1,
	    first_size);
	put_extra(extra_type, 0, gso_type, 1448);
	put_req(GREF0 + 2, 0, NETTXF_more_data, 2, 4096);
	put_req(GREF0 + 3, 10, 0, 3, 500);
	push();
}

static void
test_tx_multi_gso(void)
{
	int notify;
	uint16_t id;
	int16_t st;

	tx_setup(XEN_NETIF_NR_SLOTS_MIN);
	fill(1), fill(2), fill(3);
	put_multi(1000 + 4096 + 500, XEN_NETIF_EXTRA_TYPE_GSO,
	    XEN_NETIF_GSO_TYPE_TCPV6);
	CHECK_EQ(poll_tx(&notify), 1);
	CHECK_EQ(copy_calls, 1);
	CHECK_EQ(copy_ops, 3);
	CHECK_EQ(last.len, 5596);
	CHECK_EQ(last.nr_segs, 3);
	CHECK_EQ(last.segs[0].len, 1000);
	CHECK_EQ(last.gso_type, XEN_NETIF_GSO_TYPE_TCPV6);
	CHECK_EQ(last.gso_size, 1448);
	CHECK_EQ(last.flags, NETTXF_data_validated);
	CHECK(memcmp(last_pkt, pages[1] + 3000, 1000) == 0);
	CHECK(memcmp(last_pkt + 1000, pages[2], 4096) == 0);
	CHECK(memcmp(last_pkt + 5096, pages[3] + 10, 500) == 0);
	/* one response per slot, the extra's NULL */
	CHECK(get_rsp(&id, &st) && id == 1 && st == NETIF_RSP_OKAY);
	CHECK(get_rsp(&id, &st) && st == NETIF_RSP_NULL);
	CHECK(get_rsp(&id, &st) && id == 2 && st == NETIF_RSP_OKAY);
	CHECK(get_rsp(&id, &st) && id == 3 && st == NETIF_RSP_OKAY);
	CHECK(!get_rsp(&id, &st));
}

/*
 * Half a packet is left for the next poll, not taken as an error; and it
 * is no work for the final check either (a frontend that never posts
 * the rest would keep the backend polling), which waits for the next
 * request.
 */
static void
test_tx_partial(void)
{
	int notify;

	tx_setup(XEN_NETIF_NR_SLOTS_MIN);
	put_req(GREF0, 0, NETTXF_more_data, 1, 100);
	push();
	CHECK_EQ(poll_tx(&notify), 0);
	CHECK_EQ(copy_calls, 0);
	CHECK_EQ(netring_tx_final_check(&tx), 0);
	CHECK_EQ(txpage.s.req_event, txpage.s.req_prod + 1);
	CHECK_EQ(poll_tx(&notify), 0);
	CHECK_EQ(netring_tx_final_check(&tx), 0);
	put_req(GREF0 + 1, 0, 0, 2, 40);
	push();
	CHECK_EQ(netring_tx_final_check(&tx), 1);
	CHECK_EQ(poll_tx(&notify), 1);
	CHECK_EQ(last.len, 100);
	CHECK_EQ(last.segs[0].len, 60);
}

/* Many packets, one copy call per batch of 64 ops. */
static void
test_tx_batching(void)
{
	int notify;

	tx_setup(XEN_NETIF_NR_SLOTS_MIN);
	for (unsigned k = 0; k < 200; k++)
		put_req(GREF0 + k % NPAGES, 0, 0, (uint16_t)k, 1500);
	push();
	CHECK_EQ(poll_tx(&notify), 200);
	CHECK_EQ(copy_ops, 200);
	CHECK_EQ(copy_calls, 4);	/* 64 + 64 + 64 + 8 */
	CHECK_EQ(tx.stats.batches, 4);
	CHECK_EQ(notify, 1);
}

/* A failed copy or a refused packet: its slots say so, nothing fatal. */
static void
test_tx_errors(void)
{
	int notify;
	uint16_t id;
	int16_t st;

	tx_setup(XEN_NETIF_NR_SLOTS_MIN);
	copy_fail_gref = GREF0 + 1;
	put_req(GREF0 + 1, 0, 0, 1, 100);
	put_req(GREF0, 0, 0, 2, 10);	/* runt */
	push();
	CHECK_EQ(poll_tx(&notify), 2);
	CHECK_EQ(nr_rx_pkts, 0);
	CHECK(get_rsp(&id, &st) && id == 1 && st == NETIF_RSP_ERROR);
	CHECK(get_rsp(&id, &st) && id == 2 && st == NETIF_RSP_ERROR);
	CHECK_EQ(tx.stats.errors, 2);
	tx_verdict = NETIF_RSP_DROPPED;
	put_req(GREF0, 0, 0, 3, 100);
	push();
	CHECK_EQ(poll_tx(&notify), 1);
	CHECK(get_rsp(&id, &st) && id == 3 && st == NETIF_RSP_DROPPED);
	CHECK_EQ(tx.stats.dropped, 1);
}

/*
 * Each malformed packet differs from an accepted one in the one field
 * its check looks at: run with bad = 0 it must pass, with bad = 1 it
 * must give -EPROTO with nothing copied, delivered or answered.
 */
enum bad {
	BAD_OFFSET, BAD_FIRST_OFFSET, BAD_SLOTS, BAD_PROD, BAD_EXTRA_TYPE,
	BAD_SIZE, BAD_GREF, BAD_GREF_LOW, BAD_ID, BAD_GSO_TYPE, BAD_GSO_SIZE,
	BAD_EXTRAS, BAD_N
};

static void
put_case(enum bad c, int bad)
{
	switch (c) {
	case BAD_OFFSET:
		put_req(GREF0, 0, NETTXF_more_data, 1, 200);
		put_req(GREF0 + 1, bad ? 4000 : 3996, 0, 2, 100);
		break;
	case BAD_FIRST_OFFSET:
		put_req(GREF0, bad ? 4000 : 3900, 0, 1, 100);
		break;
	case BAD_SLOTS:
		/* max_slots is 18 */
		for (unsigned k = 0; k < 18u + !!bad; k++)
			put_req(GREF0 + k, 0,
			    k + 1 < 18u + !!bad ? NETTXF_more_data : 0,
			    (uint16_t)k, k ? 10 : 1000);
		break;
	case BAD_PROD:
		put_req(GREF0, 0, 0, 1, 100);
		if (bad)
			front.req_prod_pvt = NETRING_TX_SIZE + 1;
		break;
	case BAD_EXTRA_TYPE:
		put_req(GREF0, 0, NETTXF_extra_info, 1, 100);
		put_extra(bad ? XEN_NETIF_EXTRA_TYPE_MAX :
		    XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, 0, 0);
		break;
	case BAD_SIZE:
		put_req(GREF0, 0, NETTXF_more_data, 1, 200);
		put_req(GREF0 + 1, 0, NETTXF_more_data, 2, 100);
		put_req(GREF0 + 2, 0, 0, 3, bad ? 101 : 100);
		break;
	case BAD_GREF:
		put_req(GREF0 + NPAGES - !bad, 0, 0, 1, 100);
		break;
	case BAD_GREF_LOW:
		put_req(bad ? GREF0 - 1 : GREF0, 0, 0, 1, 100);
		break;
	case BAD_ID:
		put_req(GREF0, 0, 0, NETRING_TX_SIZE - !bad, 100);
		break;
	case BAD_GSO_TYPE:
		put_req(GREF0, 0, NETTXF_extra_info, 1, 100);
		put_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0,
		    bad ? 3 : XEN_NETIF_GSO_TYPE_TCPV4, 50);
		break;
	case BAD_GSO_SIZE:
		put_req(GREF0, 0, NETTXF_extra_info, 1, 100);
		put_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, XEN_NETIF_GSO_TYPE_TCPV4,
		    bad ? 0 : 50);
		break;
	case BAD_EXTRAS:
		put_req(GREF0, 0, NETTXF_extra_info, 1, 100);
		for (unsigned k = 0; k < 4u + !!bad; k++)
			put_extra(XEN_NETIF_EXTRA_TYPE_MCAST_ADD,
			    k + 1 < 4u + !!bad ? XEN_NETIF_EXTRA_FLAG_MORE : 0,
			    0, 0);
		break;
	case BAD_N:
		break;
	}
	push();
}

static void
test_tx_malformed(void)
{
	static const char *const reasons[BAD_N] = {
		"tx: slot crosses its page", "tx: first slot crosses its page",
		"tx: too many slots", "tx: producer more than a ring ahead",
		"tx: bad extra info type", "tx: slots larger than the packet",
		"tx: grant ref out of range", "tx: grant ref out of range",
		"tx: request id out of range", "tx: GSO type not offered",
		"tx: GSO size 0", "tx: too many extra info slots",
	};

	for (int c = 0; c < BAD_N; c++) {
		int notify;
		uint16_t id;
		int16_t st;

		tx_setup(XEN_NETIF_NR_SLOTS_MIN);
		put_case(c, 0);
		CHECK_EQ(poll_tx(&notify), 1);
		CHECK_EQ(nr_rx_pkts, 1);

		tx_setup(XEN_NETIF_NR_SLOTS_MIN);
		put_case(c, 1);
		CHECK_EQ(poll_tx(&notify), -EPROTO);
		CHECK_STR(tx.reason, reasons[c]);
		CHECK_EQ(copy_calls, 0);
		CHECK_EQ(nr_rx_pkts, 0);
		CHECK(!get_rsp(&id, &st));
		if (copy_calls || nr_rx_pkts)
			fprintf(stderr, "case %d acted on bad data\n", c);
	}
}

/* Good packets before a bad one are delivered and answered. */
/* A rate limit's admission: what it refuses stays on the ring, whole,
 * and goes on a later poll. */
static long admit_budget = -1;	/* bytes; -1: no limit */
static unsigned admit_calls;

static int
test_admit(void *ctx, uint32_t len)
{
	(void)ctx;
	admit_calls++;
	if (admit_budget >= 0 && len > (unsigned long)admit_budget)
		return 0;
	if (admit_budget >= 0)
		admit_budget -= len;
	return 1;
}

static void
test_tx_admit(void)
{
	const struct netring_ops aops = {
		.copy = test_copy, .tx_packet = test_tx_packet,
		.tx_admit = test_admit,
	};
	uint16_t id;
	int16_t st;
	int notify;

	tx_setup(XEN_NETIF_NR_SLOTS_MIN);
	fill(0);
	fill(1);
	/* 3 packets of 1000, then one of 5000 in 2 slots with GSO info */
	for (unsigned k = 0; k < 3; k++)
		put_req(GREF0, 0, 0, (uint16_t)k, 1000);
	put_req(GREF0, 0, NETTXF_more_data | NETTXF_extra_info, 3, 5000);
	put_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, XEN_NETIF_GSO_TYPE_TCPV4,
	    1448);
	put_req(GREF0 + 1, 0, 0, 4, 4096 - 10);
	push();
	admit_budget = 2500;
	CHECK_EQ(netring_tx_poll(&tx, &aops, &notify), 2);
	CHECK_EQ(nr_rx_pkts, 2);
	CHECK_EQ(admit_calls, 3);
	CHECK_EQ(tx.b.req_cons, 2);
	CHECK_EQ(txpage.s.rsp_prod, 2);
	/* the refused one is read again, whole, when admitted */
	admit_budget = 1000;
	CHECK_EQ(netring_tx_poll(&tx, &aops, &notify), 1);
	CHECK_EQ(tx.b.req_cons, 3);
	admit_budget = 4999;
	CHECK_EQ(netring_tx_poll(&tx, &aops, &notify), 0);
	CHECK_EQ(tx.b.req_cons, 3);
	CHECK_EQ(nr_rx_pkts, 3);
	admit_budget = -1;
	CHECK_EQ(netring_tx_poll(&tx, &aops, &notify), 1);
	CHECK_EQ(nr_rx_pkts, 4);
	CHECK_EQ(last.len, 5000);
	CHECK_EQ(last.nr_segs, 2);
	CHECK_EQ(last.gso_type, XEN_NETIF_GSO_TYPE_TCPV4);
	CHECK_EQ(memcmp(last_pkt, pages[0], 5000 - (4096 - 10)), 0);
	CHECK_EQ(memcmp(last_pkt + 5000 - (4096 - 10), pages[1], 4096 - 10),
	    0);
	CHECK_EQ(tx.b.req_cons, 6);
	/* one response per slot, in order: 0 1 2 3 (null) 4 */
	for (unsigned k = 0; k < 6; k++) {
		CHECK_EQ(get_rsp(&id, &st), 1);
		CHECK_EQ(st, k == 4 ? NETIF_RSP_NULL : NETIF_RSP_OKAY);
		if (k != 4)
			CHECK_EQ(id, k < 4 ? k : 4);
	}
	CHECK_EQ(get_rsp(&id, &st), 0);
	CHECK_EQ(tx.stats.packets, 4);
	admit_calls = 0;
}

static void
test_tx_good_then_bad(void)
{
	int notify;
	uint16_t id;
	int16_t st;

	tx_setup(XEN_NETIF_NR_SLOTS_MIN);
	put_req(GREF0, 0, 0, 1, 100);
	put_req(GREF0, 4000, 0, 2, 100);
	push();
	CHECK_EQ(poll_tx(&notify), -EPROTO);
	CHECK_EQ(nr_rx_pkts, 1);
	CHECK(get_rsp(&id, &st) && id == 1 && st == NETIF_RSP_OKAY);
	CHECK(!get_rsp(&id, &st));
	CHECK_EQ(notify, 1);
}

static void
test_tx_init(void)
{
	struct netring_tx_cfg cfg = { .max_slots = 17 };

	CHECK_EQ(netring_tx_init(&tx, &txpage.s, &cfg, batch, 64, txbuf,
	    sizeof(txbuf)), -EINVAL);
	cfg.max_slots = NETRING_TX_MAX_SLOTS + 1;
	CHECK_EQ(netring_tx_init(&tx, &txpage.s, &cfg, batch, 64, txbuf,
	    sizeof(txbuf)), -EINVAL);
	cfg.max_slots = 32;
	CHECK_EQ(netring_tx_init(&tx, &txpage.s, &cfg, batch, 16, txbuf,
	    sizeof(txbuf)), -EINVAL);
	CHECK_EQ(netring_tx_init(&tx, &txpage.s, &cfg, batch, 64, txbuf,
	    1000), -EINVAL);
	CHECK_EQ(NETRING_TX_SIZE, 256);
	CHECK_EQ(NETRING_RX_SIZE, 256);
}

/* The test frontend's rx ring. */
static union {
	struct netif_rx_sring s;
	uint8_t page[NETRING_PAGE];
} rxpage;
static struct netif_rx_front_ring rxfront;
static struct netring_rx rx;
static uint8_t pktdata[XEN_NETIF_MAX_TX_SIZE];

static void
rx_setup(int sg)
{
	struct netring_rx_cfg cfg = {
		.max_gref = GREF0 + NPAGES, .id_limit = NETRING_RX_SIZE,
		.sg = sg, .csum_blank = 1,
		.gso_types = 1u << XEN_NETIF_GSO_TYPE_TCPV4,
	};

	memset(&rxpage, 0, sizeof(rxpage));
	memset(pages, 0, sizeof(pages));
	SHARED_RING_INIT(&rxpage.s);
	FRONT_RING_INIT(&rxfront, &rxpage.s, NETRING_PAGE);
	CHECK_EQ(netring_rx_init(&rx, &rxpage.s, &cfg, batch, 64), 0);
	copy_calls = copy_ops = 0;
	copy_fail_gref = -1;
	for (unsigned i = 0; i < sizeof(pktdata); i++)
		pktdata[i] = (uint8_t)(i * 13 + i / 256);
}

/* Posts n requests: id 100 + k, page k. */
static void
post(unsigned n)
{
	int notify;

	for (unsigned k = 0; k < n; k++) {
		unsigned i = rxfront.req_prod_pvt;
		struct netif_rx_request *q = RING_GET_REQUEST(&rxfront, i);

		q->id = (uint16_t)(100 + i % 128);
		q->gref = GREF0 + i % NPAGES;
		rxfront.req_prod_pvt++;
	}
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&rxfront, notify);
	(void)notify;
}

static struct netif_rx_response
rx_rsp(unsigned i)
{
	return RING_GET_RESPONSE(&rxfront, i)[0];
}

/* The response in slot i, as a frontend reads it. */
#define CHECK_RX_RSP(i, id_, flags_, status_) do { \
	struct netif_rx_response q_ = rx_rsp(i); \
	CHECK_EQ(q_.id, id_); \
	CHECK_EQ(q_.offset, 0); \
	CHECK_EQ(q_.flags, flags_); \
	CHECK_EQ(q_.status, status_); \
} while (0)

static void
test_rx_single(void)
{
	struct netring_rx_pkt p = { .data = pktdata, .len = 100,
	    .flags = NETRXF_data_validated };
	int notify;

	rx_setup(0);
	post(4);
	CHECK_EQ(netring_rx_queue(&rx, &p, &ops), 0);
	CHECK_EQ(copy_calls, 0);	/* not before the flush */
	netring_rx_flush(&rx, &ops, &notify);
	CHECK_EQ(notify, 1);
	CHECK_EQ(copy_calls, 1);
	CHECK_EQ(rxpage.s.rsp_prod, 1);
	CHECK_RX_RSP(0, 100, NETRXF_data_validated, 100);
	CHECK(memcmp(pages[0], pktdata, 100) == 0);
	CHECK_EQ(rx.stats.packets, 1);
	/* larger than a page, and no feature-sg: the caller drops it */
	p.len = 5000;
	CHECK_EQ(netring_rx_queue(&rx, &p, &ops), -EMSGSIZE);
	CHECK_EQ(rx.b.req_cons, 1);
}

static void
test_rx_multi_gso(void)
{
	struct netring_rx_pkt p = { .data = pktdata, .len = 10000,
	    .flags = NETRXF_csum_blank, .gso_type = XEN_NETIF_GSO_TYPE_TCPV4,
	    .gso_size = 1448 };
	struct netif_extra_info x;
	int notify;

	rx_setup(1);
	post(1);
	post(1);
	post(5);
	CHECK_EQ(netring_rx_queue(&rx, &p, &ops), 0);
	netring_rx_flush(&rx, &ops, &notify);
	CHECK_EQ(copy_calls, 1);
	CHECK_EQ(copy_ops, 3);
	CHECK_EQ(rxpage.s.rsp_prod, 4);
	CHECK_RX_RSP(0, 100,
	    NETRXF_more_data | NETRXF_extra_info | NETRXF_csum_blank, 4096);
	memcpy(&x, RING_GET_RESPONSE(&rxfront, 1), sizeof(x));
	CHECK_EQ(x.type, XEN_NETIF_EXTRA_TYPE_GSO);
	CHECK_EQ(x.flags, 0);
	CHECK_EQ(x.u.gso.type, XEN_NETIF_GSO_TYPE_TCPV4);
	CHECK_EQ(x.u.gso.size, 1448);
	/* each response in its request's slot: ids and pages line up */
	CHECK_RX_RSP(2, 102, NETRXF_more_data, 4096);
	CHECK_RX_RSP(3, 103, 0, 10000 - 8192);
	CHECK(memcmp(pages[0], pktdata, 4096) == 0);
	CHECK(memcmp(pages[2], pktdata + 4096, 4096) == 0);
	CHECK(memcmp(pages[3], pktdata + 8192, 10000 - 8192) == 0);
	/* not offered: TCPv6 GSO, and csum_blank to one that refused it */
	p.gso_type = XEN_NETIF_GSO_TYPE_TCPV6;
	CHECK_EQ(netring_rx_queue(&rx, &p, &ops), -EMSGSIZE);
	p.gso_type = XEN_NETIF_GSO_TYPE_NONE;
	rx.cfg.csum_blank = 0;
	CHECK_EQ(netring_rx_queue(&rx, &p, &ops), -EMSGSIZE);
}

/* Too few requests: nothing taken, req_event armed for the rest. */
static void
test_rx_nobufs(void)
{
	struct netring_rx_pkt p = { .data = pktdata, .len = 5000 };
	int notify;

	rx_setup(1);
	post(1);
	CHECK_EQ(netring_rx_queue(&rx, &p, &ops), -ENOBUFS);
	CHECK_EQ(rx.b.req_cons, 0);
	CHECK_EQ(rxpage.s.req_event, 2);
	post(1);
	CHECK_EQ(netring_rx_queue(&rx, &p, &ops), 0);
	netring_rx_flush(&rx, &ops, &notify);
	CHECK_EQ(rx_rsp(1).status, 5000 - 4096);
}

/* 100 packets: one copy call per 64 ops; a failed copy says ERROR. */
static void
test_rx_batching(void)
{
	struct netring_rx_pkt p = { .data = pktdata, .len = 1500 };
	int notify;

	rx_setup(0);
	post(100);
	copy_fail_gref = GREF0 + 70;
	for (unsigned k = 0; k < 100; k++)
		CHECK_EQ(netring_rx_queue(&rx, &p, &ops), 0);
	netring_rx_flush(&rx, &ops, &notify);
	CHECK_EQ(copy_calls, 2);
	CHECK_EQ(rx.stats.batches, 2);
	CHECK_EQ(rxpage.s.rsp_prod, 100);
	CHECK_EQ(rx_rsp(69).status, 1500);
	CHECK_EQ(rx_rsp(70).status, NETIF_RSP_ERROR);
	CHECK_EQ(rx.stats.errors, 1);
	CHECK_EQ(notify, 1);
}

/* As for tx: each bad request differs from an accepted one. */
static void
test_rx_malformed(void)
{
	static const char *const reasons[] = {
		"rx: grant ref out of range", "rx: grant ref out of range",
		"rx: request id out of range",
		"rx: producer more than a ring ahead",
	};

	for (unsigned c = 0; c < 4; c++)
		for (int bad = 0; bad < 2; bad++) {
			struct netring_rx_pkt p = { .data = pktdata,
			    .len = 6000 };
			struct netif_rx_request *q;
			int notify;

			rx_setup(1);
			post(2);
			q = RING_GET_REQUEST(&rxfront, 1);
			if (c == 0)
				q->gref = bad ? GREF0 + NPAGES :
				    GREF0 + NPAGES - 1;
			else if (c == 1)
				q->gref = bad ? GREF0 - 1 : GREF0;
			else if (c == 2)
				q->id = bad ? NETRING_RX_SIZE :
				    NETRING_RX_SIZE - 1;
			else if (bad)
				rxpage.s.req_prod = NETRING_RX_SIZE + 1;
			CHECK_EQ(netring_rx_queue(&rx, &p, &ops),
			    bad ? -EPROTO : 0);
			netring_rx_flush(&rx, &ops, &notify);
			CHECK_EQ(copy_calls, bad ? 0 : 1);
			CHECK_EQ(rxpage.s.rsp_prod, bad ? 0 : 2);
			if (bad)
				CHECK_STR(rx.reason, reasons[c]);
		}
}

int
main(void)
{
	test_tx_init();
	test_tx_single();
	test_tx_multi_gso();
	test_tx_partial();
	test_tx_batching();
	test_tx_errors();
	test_tx_malformed();
	test_tx_good_then_bad();
	test_tx_admit();
	test_rx_single();
	test_rx_multi_gso();
	test_rx_nobufs();
	test_rx_batching();
	test_rx_malformed();
	return CHECK_DONE();
}
