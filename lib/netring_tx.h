/*
 * The backend's tx engine (guest -> host) over a netif_tx_sring, free of
 * I/O. Each poll reads req_prod once and refuses more than a ring of
 * requests; each slot is copied once into local memory and validated
 * there (grant ref, id, offset + size within the page, the slots adding
 * up to the first slot's size, slot and extra-info counts, extra types).
 * A frontend that breaks the protocol gets -EPROTO and a reason, and
 * nothing of the bad packet is copied or delivered: the caller
 * disconnects the vif. Memory is fixed by the ring's size.
 */
#ifndef XUD_NETRING_TX_H
#define XUD_NETRING_TX_H

#include "netring.h"

/* The most data slots per packet a configuration may allow. */
#define NETRING_TX_MAX_SLOTS 64u
/* An Ethernet header: shorter packets get NETIF_RSP_ERROR, not -EPROTO. */
#define NETRING_TX_MIN_LEN 14u

/* One slot's piece of a packet, as the frontend granted it. */
struct netring_seg {
	uint32_t gref;
	uint16_t offset;
	uint16_t len;
	uint16_t id;
};

/* A packet handed to ops->tx_packet, its bytes already in our memory. */
struct netring_tx_pkt {
	const struct netring_seg *segs;
	uint8_t *data;
	uint16_t len;
	uint16_t nr_segs;
	uint16_t flags;		/* NETTXF_csum_blank, NETTXF_data_validated */
	uint8_t gso_type;	/* XEN_NETIF_GSO_TYPE_*, NONE without GSO */
	uint16_t gso_size;
	/* the engine's own: */
	uint8_t nr_extra;
	int16_t status;
	uint16_t first_op, nr_ops;
};

struct netring_tx_cfg {
	/* data slots a packet may have, XEN_NETIF_NR_SLOTS_MIN and up to
	   NETRING_TX_MAX_SLOTS */
	unsigned max_slots;
	/* grant refs must be below it (the guest's table size); 0: no bound */
	uint32_t max_gref;
	/* ids must be below it; 0: any id */
	uint32_t id_limit;
	/* GSO types advertised: bits (1u << XEN_NETIF_GSO_TYPE_TCPV4) ... */
	unsigned gso_types;
};

struct netring_tx_stats {
	uint64_t packets, bytes, errors, dropped, batches;
};

struct netring_tx {
	struct netring_back b;
	struct netif_tx_sring *sring;
	struct netring_tx_cfg cfg;
	struct netring_copy *batch;
	unsigned batch_max, nr_ops, nr_pkts, nr_segs;
	uint8_t *buf;
	size_t buf_len, buf_used;
	const char *reason;	/* why the last poll returned -EPROTO */
	int partial;		/* the last poll ended at a packet only */
	RING_IDX partial_at;	/* partly posted, up to this req_prod */
	struct netring_tx_stats stats;
	struct netring_tx_pkt pkts[NETRING_TX_SIZE];
	struct netring_seg segs[NETRING_TX_SIZE];
};

/*
 * Attaches to a mapped ring page at its current rsp_prod (0 on a fresh
 * ring; where a restarted backend left off otherwise). batch holds
 * batch_max >= cfg->max_slots copy ops and buf at least
 * XEN_NETIF_MAX_TX_SIZE bytes; both stay the caller's. -EINVAL when
 * they or cfg are out of range.
 */
int netring_tx_init(struct netring_tx *t, void *sring,
		    const struct netring_tx_cfg *cfg,
		    struct netring_copy *batch, unsigned batch_max,
		    uint8_t *buf, size_t buf_len);

/*
 * Consumes the complete packets the frontend has produced: copies them
 * in batches (one ops->copy per batch), hands each to ops->tx_packet,
 * and writes one response per slot (NETIF_RSP_NULL for extra info).
 * *notify is set to 1 when the frontend must be kicked. A packet
 * ops->tx_admit refuses ends the poll, left on the ring. Returns the
 * packets consumed, or -EPROTO with t->reason; responses for the good
 * packets before the bad one are still pushed.
 */
int netring_tx_poll(struct netring_tx *t, const struct netring_ops *ops,
		    int *notify);

/*
 * See netring_back_final_check(): 1 when the caller must poll again.
 * After a poll that ended at a packet whose slots are not all posted,
 * only a request past those counts: the packet alone is no work (a
 * frontend that never finishes it would otherwise keep us polling).
 */
int netring_tx_final_check(struct netring_tx *t);

#endif
