/*
 * netfront's data path: rx responses copied once and checked, their
 * frames copied once out of the granted page and delivered, buffers
 * posted again; tx frames copied into a granted page; the tx pages taken
 * back. Free of setup, so a unit test drives it over rings in memory.
 */
#include <errno.h>
#include <string.h>

#include "evtchn.h"
#include "netfront.h"

/* What was copied out of shared memory is used, never read again. */
#define nf_barrier() __asm__ volatile("" ::: "memory")

/* Stops the vif for good: the backend broke the protocol. */
static void
nf_fail(struct netfront *nf, const char *why)
{
	if (nf->error)
		return;
	nf->error = -EPROTO;
	nf->why = why;
	ev_unregister(nf->port);
}

void
nf_rx_refill(struct netfront *nf)
{
	int id, slot;

	while (netring_front_free(&nf->rx) > 0 &&
	       (id = netring_front_id_take(&nf->rx_ids)) >= 0) {
		struct netif_rx_request req = { .id = (uint16_t)id,
						.gref = nf->rxb[id].ref };

		slot = netring_front_next_req(&nf->rx);
		nf->rxs->ring[slot].req = req;
	}
	if (netring_front_push(&nf->rx))
		ev_send(nf->port);
}

/* One response, copied once; its frame copied once, then delivered. */
static void
nf_rx_one(struct netfront *nf, unsigned slot)
{
	struct netif_rx_response rsp;
	int len;

	memcpy(&rsp, &nf->rxs->ring[slot].rsp, sizeof(rsp));
	nf_barrier();

	if (netring_front_id_done(&nf->rx_ids, rsp.id) < 0) {
		nf_fail(nf, "rx response with an id not posted");
		return;
	}
	len = netring_front_rx_len(&rsp);
	if (len == -EPROTO) {
		nf_fail(nf, "rx response beyond its page, or multi-slot");
		return;
	}
	if (len < 0) {
		nf->st.rx_err++;
		return;
	}
	memcpy(nf->frame, nf->rxb[rsp.id].page + rsp.offset, (size_t)len);
	nf_barrier();
	nf->st.rx++;
	nf->cfg.rx(nf->cfg.arg, nf->frame, (size_t)len);
}

static void
nf_rx(struct netfront *nf)
{
	for (;;) {
		int n = netring_front_responses(&nf->rx);

		if (n < 0) {
			nf_fail(nf, "rx rsp_prod beyond our requests");
			return;
		}
		while (n-- > 0 && !nf->error)
			nf_rx_one(nf, netring_front_take_rsp(&nf->rx));
		if (nf->error)
			return;
		nf_rx_refill(nf);
		if (!netring_front_final_check(&nf->rx))
			return;
	}
}

/*
 * Takes back tx pages the backend is done with. No tx event is asked
 * for: a page is reclaimed when the next frame needs one.
 */
static void
nf_tx_reclaim(struct netfront *nf)
{
	int n = netring_front_responses(&nf->tx);

	if (n < 0) {
		nf_fail(nf, "tx rsp_prod beyond our requests");
		return;
	}
	while (n-- > 0) {
		unsigned slot = netring_front_take_rsp(&nf->tx);
		struct netif_tx_response rsp;

		memcpy(&rsp, &nf->txs->ring[slot].rsp, sizeof(rsp));
		nf_barrier();

		if (netring_front_id_done(&nf->tx_ids, rsp.id) < 0) {
			nf_fail(nf, "tx response with an id not in flight");
			return;
		}
		if (rsp.status != NETIF_RSP_OKAY)
			nf->st.tx_err++;
	}
}

int
nf_tx(struct netfront *nf, const void *frame, size_t len)
{
	struct netif_tx_request req;
	int id, slot;

	if (nf->error)
		return nf->error;
	if (len == 0 || len > NETRING_PAGE)
		return -EINVAL;
	nf_tx_reclaim(nf);
	if (nf->error)
		return nf->error;
	if ((id = netring_front_id_take(&nf->tx_ids)) < 0) {
		nf->st.tx_full++;
		return -ENOSPC;
	}
	/* ids are fewer than slots: a free id means a free slot */
	slot = netring_front_next_req(&nf->tx);
	memcpy(nf->txb[id].page, frame, len);
	req = (struct netif_tx_request){ .gref = nf->txb[id].ref,
					 .offset = 0, .flags = 0,
					 .id = (uint16_t)id,
					 .size = (uint16_t)len };
	nf->txs->ring[slot].req = req;
	nf->st.tx++;
	if (netring_front_push(&nf->tx))
		ev_send(nf->port);
	return 0;
}

void
nf_event(evtchn_port_t port, void *arg)
{
	struct netfront *nf = arg;

	(void)port;
	nf_rx(nf);
	if (!nf->error)
		nf_tx_reclaim(nf);
	nf->cfg.batch(nf->cfg.arg);
}
