/*
 * netfront: the guest's end of a vif (device/vif/N), single queue, one
 * slot per packet (no feature-sg, no GSO, no checksum offload: every
 * frame we get carries its checksums). The ring indices, ids and
 * response checks are lib/netring_front.c's, pure; this file grants the
 * pages, binds the event channel and speaks xenbus through
 * xenbus_front.c.
 *
 * Received frames are copied out of their granted page before anyone
 * looks at them (the backend keeps the grant and may write the page
 * again), handed to rx() one by one, and then batch() runs once per
 * event. A backend that breaks the ring protocol gets nothing more from
 * us: the vif stops and nf->error says why.
 */
#ifndef XUD_UK_NETFRONT_H
#define XUD_UK_NETFRONT_H

#include <stddef.h>
#include <stdint.h>

#include "xen.h"
#include "gnttab.h"
#include "netring_front.h"
#include "xenbus_front.h"

/* Buffers posted for rx, and pages for tx: 96 pages (384 KiB) in all. */
#define NF_RX_BUFS 64
#define NF_TX_BUFS 32
/* The backend's `ip` key (Qubes), as read: one or more addresses. */
#define NF_IP_MAX 64
/* How long the backend may take to each of InitWait and Connected. */
#define NF_CONNECT_TIMEOUT_S 30

struct nf_config {
	void (*rx)(void *arg, const void *frame, size_t len);
	void (*batch)(void *arg);
	void *arg;
};

struct nf_buf {
	uint8_t *page;
	grant_ref_t ref;
};

struct nf_stats {
	uint64_t rx, rx_err, tx, tx_err, tx_full;
};

struct netfront {
	struct xbf xb;
	struct nf_config cfg;
	uint8_t mac[6];
	char ip[NF_IP_MAX];		/* the backend's ip key, "" if none */
	evtchn_port_t port;
	struct netif_tx_sring *txs;
	struct netif_rx_sring *rxs;
	grant_ref_t tx_ref, rx_ref;
	struct netring_front tx, rx;
	struct netring_front_ids tx_ids, rx_ids;
	struct nf_buf txb[NF_TX_BUFS], rxb[NF_RX_BUFS];
	uint8_t frame[NETRING_PAGE];	/* a received frame, copied once */
	struct nf_stats st;
	int error;			/* 0, or why the vif stopped */
	const char *why;
};

/*
 * Connects device node (e.g. "device/vif/0"): reads its mac and the
 * backend's ip, sets up both rings, posts the rx buffers, and waits
 * until the backend is Connected. -ENOENT when there is no such vif;
 * -EPROTO for a bad mac or backend; -ETIMEDOUT; -ENOMEM; -errno.
 */
int nf_open(struct netfront *nf, const char *node,
	    const struct nf_config *cfg);
/*
 * In a restored domain (uk_suspend returned 0): the same pages granted
 * anew, the rings emptied (frames in flight are lost, as on a wire), a
 * new event channel, and the xenbus handshake with the new backend.
 * The mac stays. 0 or as nf_open.
 */
int nf_resume(struct netfront *nf);
/*
 * Queues one frame (copied into a tx page): 0, -ENOSPC when every tx
 * page is in flight (the frame is lost, as on a wire), -EINVAL for a bad
 * length, or nf->error once the vif stopped.
 */
int nf_tx(struct netfront *nf, const void *frame, size_t len);

/*
 * The data path (netfront_io.c). nf_event is the port's handler: it
 * takes every rx response, posts the buffers again, takes back tx pages
 * and runs batch(). nf_rx_refill posts every free rx buffer (nf_open
 * does it once before connecting).
 */
void nf_event(evtchn_port_t port, void *arg);
void nf_rx_refill(struct netfront *nf);

/* "00:16:3e:01:02:03" exactly; 0 or -EINVAL. Pure. */
int nf_parse_mac(const char *s, uint8_t mac[6]);

#endif
