/*
 * libFuzzer target: a hostile netfront's tx and rx rings through the
 * engines. The input is a program for the guest: write slots, move
 * req_prod (to anything), poll tx, queue and flush rx packets; the guest
 * also rewrites slots while our copier runs, as a real one may between
 * and during calls. The engines must never copy outside a granted page
 * or our buffers, never deliver a packet whose pieces do not add up, and
 * answer exactly what they consumed.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "netring_rx.h"
#include "netring_tx.h"

static union {
	struct netif_tx_sring s;
	uint8_t page[NETRING_PAGE];
} ring;
static struct netring_tx tx;
static struct netring_copy batch[NETRING_TX_MAX_SLOTS];
static uint8_t buf[XEN_NETIF_MAX_TX_SIZE + 1000];
static union {
	struct netif_rx_sring s;
	uint8_t page[NETRING_PAGE];
} rxring;
static struct netring_rx rx;
static uint8_t pktdata[XEN_NETIF_MAX_TX_SIZE];
static struct fuzz_in in;
static uint32_t max_gref;

/* The guest rewrites one slot (any 12 bytes: request or extra info). */
static void
guest_write_slot(void)
{
	size_t len;
	const uint8_t *p = fuzz_bytes(&in, sizeof(ring.s.ring[0]), &len);
	uint8_t slot = fuzz_u8(&in);

	memcpy(&ring.s.ring[slot % NETRING_TX_SIZE], p, len);
}

static int
copy(void *ctx, struct netring_copy *ops, unsigned n)
{
	(void)ctx;
	FUZZ_CHECK(n > 0 && n <= NETRING_TX_MAX_SLOTS);
	if (fuzz_u8(&in) & 1) {
		size_t len;
		const uint8_t *p = fuzz_bytes(&in, 8, &len);

		memcpy(&rxring.s.ring[fuzz_u8(&in) % NETRING_RX_SIZE], p, len);
	}
	for (unsigned k = 0; k < n; k++) {
		FUZZ_CHECK(ops[k].gref >= NETRING_GREF_FIRST);
		FUZZ_CHECK(max_gref == 0 || ops[k].gref < max_gref);
		FUZZ_CHECK(ops[k].len > 0);
		FUZZ_CHECK(ops[k].offset + ops[k].len <= NETRING_PAGE);
		if (ops[k].dir == NETRING_TO_GUEST) {
			FUZZ_CHECK(ops[k].offset == 0);
			FUZZ_CHECK(ops[k].local >= pktdata && ops[k].local +
			    ops[k].len <= pktdata + sizeof(pktdata));
		} else {
			FUZZ_CHECK(ops[k].dir == NETRING_FROM_GUEST);
			FUZZ_CHECK(ops[k].local >= buf &&
			    ops[k].local + ops[k].len <= buf + sizeof(buf));
			memset(ops[k].local, 0xa5, ops[k].len);
		}
		ops[k].status = fuzz_u8(&in) == 0xff ? -1 : 0;
	}
	if (fuzz_u8(&in) & 1)
		guest_write_slot();
	return 0;
}

static int
packet(void *ctx, const struct netring_tx_pkt *p)
{
	unsigned sum = 0;

	(void)ctx;
	FUZZ_CHECK(p->nr_segs >= 1 && p->nr_segs <= tx.cfg.max_slots);
	for (unsigned k = 0; k < p->nr_segs; k++) {
		FUZZ_CHECK(p->segs[k].offset + p->segs[k].len <= NETRING_PAGE);
		sum += p->segs[k].len;
	}
	FUZZ_CHECK(sum == p->len && p->len >= NETRING_TX_MIN_LEN);
	FUZZ_CHECK(p->data >= buf && p->data + p->len <= buf + sizeof(buf));
	for (unsigned k = 0; k < p->len; k++)
		FUZZ_CHECK(p->data[k] == 0xa5);
	if (p->gso_type != XEN_NETIF_GSO_TYPE_NONE)
		FUZZ_CHECK(p->gso_size > 0 &&
		    tx.cfg.gso_types & 1u << p->gso_type);
	return fuzz_u8(&in) == 0xfe ? NETIF_RSP_DROPPED : NETIF_RSP_OKAY;
}

static const struct netring_ops ops = { .copy = copy, .tx_packet = packet };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netring_tx_cfg cfg;
	struct netring_rx_cfg rcfg;
	int notify, rc;

	in = (struct fuzz_in){ data, size };
	memset(&ring, 0, sizeof(ring));
	cfg.max_slots = XEN_NETIF_NR_SLOTS_MIN + fuzz_u8(&in) %
	    (NETRING_TX_MAX_SLOTS - XEN_NETIF_NR_SLOTS_MIN + 1);
	cfg.max_gref = max_gref = fuzz_u8(&in) & 1 ? fuzz_u32(&in) : 0;
	cfg.id_limit = fuzz_u8(&in) & 1 ? NETRING_TX_SIZE : 0;
	cfg.gso_types = fuzz_u8(&in);
	ring.s.rsp_prod = fuzz_u8(&in) & 1 ? fuzz_u32(&in) : 0;
	if (netring_tx_init(&tx, &ring.s, &cfg, batch, NETRING_TX_MAX_SLOTS,
	    buf, sizeof(buf)) != 0)
		abort();
	memset(&rxring, 0, sizeof(rxring));
	rcfg = (struct netring_rx_cfg){ .max_gref = max_gref,
	    .id_limit = cfg.id_limit, .sg = cfg.max_slots & 1,
	    .csum_blank = cfg.max_slots & 2, .gso_types = cfg.gso_types };
	if (netring_rx_init(&rx, &rxring.s, &rcfg, batch, NETRING_TX_MAX_SLOTS)
	    != 0)
		abort();
	while (in.left > 0) {
		switch (fuzz_u8(&in) % 8) {
		case 0:
			guest_write_slot();
			break;
		case 1:
			ring.s.req_prod = tx.b.req_cons + fuzz_u8(&in);
			break;
		case 2:
			ring.s.req_prod = fuzz_u32(&in);
			ring.s.rsp_event = fuzz_u32(&in);
			break;
		case 3: {
			RING_IDX cons = tx.b.req_cons;

			rc = netring_tx_poll(&tx, &ops, &notify);
			FUZZ_CHECK(tx.b.rsp_prod_pvt == tx.b.req_cons);
			FUZZ_CHECK(ring.s.rsp_prod == tx.b.rsp_prod_pvt);
			FUZZ_CHECK(tx.b.req_cons - cons <= NETRING_TX_SIZE);
			if (rc < 0) {
				/* the caller disconnects: nothing after */
				FUZZ_CHECK(rc == -EPROTO && tx.reason);
				return 0;
			}
			FUZZ_CHECK((unsigned)rc <= tx.b.req_cons - cons);
			(void)netring_tx_final_check(&tx);
			break;
		}
		case 4: {
			size_t len;
			const uint8_t *p = fuzz_bytes(&in, 8, &len);

			memcpy(&rxring.s.ring[fuzz_u8(&in) % NETRING_RX_SIZE],
			    p, len);
			break;
		}
		case 5:
			rxring.s.req_prod = fuzz_u8(&in) & 1 ? fuzz_u32(&in) :
			    rx.b.req_cons + fuzz_u8(&in);
			break;
		case 6: {
			struct netring_rx_pkt p = { .data = pktdata };
			RING_IDX cons = rx.b.req_cons;

			p.len = fuzz_u32(&in) % (XEN_NETIF_MAX_TX_SIZE + 2);
			p.flags = fuzz_u8(&in) & (NETRXF_csum_blank |
			    NETRXF_data_validated);
			p.gso_type = fuzz_u8(&in) % 4;
			p.gso_size = (uint16_t)fuzz_u32(&in);
			rc = netring_rx_queue(&rx, &p, &ops);
			if (rc == -EPROTO) {
				FUZZ_CHECK(rx.reason);
				return 0;
			}
			FUZZ_CHECK(rc == 0 || rc == -ENOBUFS ||
			    rc == -EMSGSIZE || rc == -EINVAL);
			if (rc != 0)
				FUZZ_CHECK(rx.b.req_cons == cons);
			else
				FUZZ_CHECK(rx.b.req_cons - cons >= 1 &&
				    rx.b.req_cons - cons <=
				    NETRING_RX_MAX_SLOTS);
			break;
		}
		case 7:
			netring_rx_flush(&rx, &ops, &notify);
			FUZZ_CHECK(rx.b.rsp_prod_pvt == rx.b.req_cons);
			FUZZ_CHECK(rxring.s.rsp_prod == rx.b.rsp_prod_pvt);
			break;
		}
	}
	return 0;
}
