/*
 * The backend's rx engine (host -> guest) over a netif_rx_sring, free
 * of I/O. A packet takes the frontend's posted requests in order, one
 * page each (several only with feature-sg), plus one for the GSO extra
 * info; each response goes in its request's slot. req_prod is read once
 * per packet and refused beyond a ring ahead; each request is copied
 * once and its grant ref and id validated; a bad one gives -EPROTO and
 * a reason, with nothing of the packet copied or answered. Copies are
 * batched: one ops->copy per batch. Memory is fixed by the ring's size.
 */
#ifndef XUD_NETRING_RX_H
#define XUD_NETRING_RX_H

#include "netring.h"

/* A packet for the guest. Its bytes stay valid until netring_rx_flush. */
struct netring_rx_pkt {
	const uint8_t *data;
	uint32_t len;		/* 1..XEN_NETIF_MAX_TX_SIZE */
	uint16_t flags;		/* NETRXF_csum_blank, NETRXF_data_validated */
	uint8_t gso_type;	/* XEN_NETIF_GSO_TYPE_*, NONE without GSO */
	uint16_t gso_size;
};

struct netring_rx_cfg {
	uint32_t max_gref;	/* grant refs below it; 0: no bound */
	uint32_t id_limit;	/* ids below it; 0: any */
	int sg;			/* the frontend's feature-sg */
	int csum_blank;		/* it takes NETRXF_csum_blank (no
				   feature-no-csum-offload) */
	unsigned gso_types;	/* its feature-gso-*: bits (1u << type) */
};

struct netring_rx_stats {
	uint64_t packets, bytes, errors, batches;
};

/* A response waiting for its batch to be copied. */
struct netring_rx_pend {
	uint16_t id, flags;
	int16_t status;		/* bytes in the slot */
	uint8_t extra;		/* the GSO extra info slot */
	uint8_t gso_type;
	uint16_t gso_size;
	uint16_t first_op, nr_ops; /* the packet's, on its first slot */
};

struct netring_rx {
	struct netring_back b;
	struct netif_rx_sring *sring;
	struct netring_rx_cfg cfg;
	struct netring_copy *batch;
	unsigned batch_max, nr_ops, nr_pend;
	const char *reason;	/* why the last call returned -EPROTO */
	struct netring_rx_stats stats;
	struct netring_rx_pend pend[NETRING_RX_SIZE];
};

/* The most slots a packet takes: 64 KiB of pages and a GSO extra. */
#define NETRING_RX_MAX_SLOTS \
	((XEN_NETIF_MAX_TX_SIZE + NETRING_PAGE - 1) / NETRING_PAGE + 1)

/*
 * Attaches to a mapped ring page at its current rsp_prod. batch holds
 * batch_max >= NETRING_RX_MAX_SLOTS copy ops and stays the caller's.
 */
int netring_rx_init(struct netring_rx *r, void *sring,
		    const struct netring_rx_cfg *cfg,
		    struct netring_copy *batch, unsigned batch_max);

/*
 * Plans one packet into the posted requests; copies of earlier packets
 * may be flushed to make room. Returns 0 when queued; -ENOBUFS when too
 * few requests are posted (nothing taken; req_event is armed for the
 * missing ones, so an event comes when they are); -EMSGSIZE when the
 * frontend cannot take it (larger than a page without feature-sg, a GSO
 * type it did not offer, csum_blank it refused): the caller drops it or
 * fixes it first; -EPROTO with r->reason for a hostile frontend.
 */
int netring_rx_queue(struct netring_rx *r, const struct netring_rx_pkt *p,
		     const struct netring_ops *ops);

/*
 * Copies what is queued, writes and pushes the responses; *notify is 1
 * when the frontend must be kicked.
 */
void netring_rx_flush(struct netring_rx *r, const struct netring_ops *ops,
		      int *notify);

#endif
