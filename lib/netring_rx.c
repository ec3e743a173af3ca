/* The netif rx engine: plan a packet into posted slots, copy, respond. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "netring_rx.h"

#define RX_MASK (NETRING_RX_SIZE - 1)

int
netring_rx_init(struct netring_rx *r, void *sring,
		const struct netring_rx_cfg *cfg, struct netring_copy *batch,
		unsigned batch_max)
{
	if (batch_max < NETRING_RX_MAX_SLOTS)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->sring = sring;
	r->cfg = *cfg;
	r->batch = batch;
	r->batch_max = batch_max;
	netring_back_attach(&r->b, sring);
	return 0;
}

static int
fail(struct netring_rx *r, const char *reason)
{
	r->reason = reason;
	return -EPROTO;
}

/* Writes the queued responses into their requests' slots. */
static void
respond(struct netring_rx *r, const struct netring_rx_pend *q)
{
	union netif_rx_sring_entry *e = &r->sring->ring[r->b.rsp_prod_pvt++ &
	    RX_MASK];

	if (q->extra) {
		struct netif_extra_info x = {
			.type = XEN_NETIF_EXTRA_TYPE_GSO,
		};

		x.u.gso.size = q->gso_size;
		x.u.gso.type = q->gso_type;
		memcpy(e, &x, sizeof(x));
		return;
	}
	e->rsp = (struct netif_rx_response){
		.id = q->id, .offset = 0, .flags = q->flags,
		.status = q->status,
	};
}

/* Copies the batch and answers every queued slot. */
static void
flush_batch(struct netring_rx *r, const struct netring_ops *ops)
{
	int failed = 0;

	if (r->nr_ops) {
		if (ops->copy(ops->ctx, r->batch, r->nr_ops) != 0)
			for (unsigned k = 0; k < r->nr_ops; k++)
				r->batch[k].status = -1;
		r->stats.batches++;
	}
	for (unsigned k = 0; k < r->nr_pend; k++) {
		struct netring_rx_pend *q = &r->pend[k];

		if (q->nr_ops) {	/* a packet's first slot */
			failed = 0;
			for (unsigned j = 0; j < q->nr_ops; j++)
				failed |= r->batch[q->first_op + j].status != 0;
			if (failed)
				r->stats.errors++;
		}
		if (failed && !q->extra)
			q->status = NETIF_RSP_ERROR;
		respond(r, q);
	}
	r->nr_ops = r->nr_pend = 0;
}

/* How many requests are posted beyond ours, or -EPROTO. */
static int
posted(struct netring_rx *r)
{
	int n = netring_back_posted(&r->b, NETRING_RX_SIZE);

	return n < 0 ? fail(r, "rx: producer more than a ring ahead") : n;
}

int
netring_rx_queue(struct netring_rx *r, const struct netring_rx_pkt *p,
		 const struct netring_ops *ops)
{
	unsigned pages = (p->len + NETRING_PAGE - 1) / NETRING_PAGE;
	unsigned gso = p->gso_type != XEN_NETIF_GSO_TYPE_NONE;
	unsigned need = pages + gso, first, k, slot;
	struct netif_rx_request req[NETRING_RX_MAX_SLOTS];
	int have;

	if (p->len == 0 || p->len > XEN_NETIF_MAX_TX_SIZE)
		return -EINVAL;
	if ((pages > 1 && !r->cfg.sg) ||
	    (gso && (p->gso_type >= 8 * sizeof(r->cfg.gso_types) ||
	    !(r->cfg.gso_types & 1u << p->gso_type) || !p->gso_size)) ||
	    (p->flags & NETRXF_csum_blank && !r->cfg.csum_blank))
		return -EMSGSIZE;
	if ((have = posted(r)) < 0)
		return have;
	if ((unsigned)have < need) {
		/* wake us when the rest is posted (feature-rx-notify) */
		r->sring->req_event = r->b.req_cons + need;
		netring_mb();
		if ((have = posted(r)) < 0)
			return have;
		if ((unsigned)have < need)
			return -ENOBUFS;
	}
	for (k = 0; k < need; k++) {
		req[k] = *(volatile struct netif_rx_request *)
		    &r->sring->ring[(r->b.req_cons + k) & RX_MASK].req;
		if (k == 1 && gso)
			continue;	/* the extra's slot: id unused */
		if (req[k].gref < NETRING_GREF_FIRST ||
		    (r->cfg.max_gref && req[k].gref >= r->cfg.max_gref))
			return fail(r, "rx: grant ref out of range");
		if (r->cfg.id_limit && req[k].id >= r->cfg.id_limit)
			return fail(r, "rx: request id out of range");
	}
	if (r->nr_ops + pages > r->batch_max ||
	    r->nr_pend + need > NETRING_RX_SIZE)
		flush_batch(r, ops);
	first = r->nr_pend;
	for (k = 0, slot = 0; k < need; k++) {
		struct netring_rx_pend *q = &r->pend[r->nr_pend++];
		uint32_t off = slot * NETRING_PAGE;
		uint32_t len = p->len - off < NETRING_PAGE ? p->len - off :
		    NETRING_PAGE;

		memset(q, 0, sizeof(*q));
		if (k == 1 && gso) {
			q->extra = 1;
			q->gso_type = p->gso_type;
			q->gso_size = p->gso_size;
			continue;
		}
		q->id = req[k].id;
		q->status = (int16_t)len;
		if (slot + 1 < pages)
			q->flags |= NETRXF_more_data;
		if (slot == 0)
			q->flags |= (gso ? NETRXF_extra_info : 0) | (p->flags &
			    (NETRXF_csum_blank | NETRXF_data_validated));
		r->batch[r->nr_ops++] = (struct netring_copy){
			.gref = req[k].gref, .offset = 0, .len = (uint16_t)len,
			.dir = NETRING_TO_GUEST,
			.local = (uint8_t *)(uintptr_t)(p->data + off),
		};
		slot++;
	}
	r->pend[first].first_op = (uint16_t)(r->nr_ops - pages);
	r->pend[first].nr_ops = (uint16_t)pages;
	r->b.req_cons += need;
	r->stats.packets++;
	r->stats.bytes += p->len;
	return 0;
}

void
netring_rx_flush(struct netring_rx *r, const struct netring_ops *ops,
		 int *notify)
{
	flush_batch(r, ops);
	*notify = netring_back_push(&r->b);
}
