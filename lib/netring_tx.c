/* The netif tx engine: parse, batch-copy, deliver, respond. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "netring_tx.h"

#define TX_MASK (NETRING_TX_SIZE - 1)

/* A packet parsed but not yet batched. */
struct parsed {
	struct netring_tx_pkt pkt;
	struct netring_seg segs[NETRING_TX_MAX_SLOTS];
	RING_IDX slots;
};

int
netring_tx_init(struct netring_tx *t, void *sring,
		const struct netring_tx_cfg *cfg, struct netring_copy *batch,
		unsigned batch_max, uint8_t *buf, size_t buf_len)
{
	if (cfg->max_slots < XEN_NETIF_NR_SLOTS_MIN ||
	    cfg->max_slots > NETRING_TX_MAX_SLOTS ||
	    batch_max < cfg->max_slots || buf_len < XEN_NETIF_MAX_TX_SIZE)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->sring = sring;
	t->cfg = *cfg;
	t->batch = batch;
	t->batch_max = batch_max;
	t->buf = buf;
	t->buf_len = buf_len;
	netring_back_attach(&t->b, sring);
	return 0;
}

static void
copy_req(const struct netring_tx *t, RING_IDX i, struct netif_tx_request *req)
{
	*req = *(volatile struct netif_tx_request *)
	    &t->sring->ring[i & TX_MASK].req;
}

/* An extra-info slot overlays a request: read its bytes once. */
static void
copy_extra(const struct netring_tx *t, RING_IDX i, struct netif_extra_info *x)
{
	const volatile uint8_t *src =
	    (const volatile uint8_t *)&t->sring->ring[i & TX_MASK];
	uint8_t b[sizeof(*x)];
	size_t k;

	for (k = 0; k < sizeof(b); k++)
		b[k] = src[k];
	memcpy(x, b, sizeof(*x));
}

static int
fail(struct netring_tx *t, const char *reason)
{
	t->reason = reason;
	return -EPROTO;
}

static int
check_slot(struct netring_tx *t, const struct netif_tx_request *req)
{
	if (req->gref < NETRING_GREF_FIRST ||
	    (t->cfg.max_gref && req->gref >= t->cfg.max_gref))
		return fail(t, "tx: grant ref out of range");
	if (t->cfg.id_limit && req->id >= t->cfg.id_limit)
		return fail(t, "tx: request id out of range");
	return 0;
}

/* Extra-info slots after the first; returns the next index or -EPROTO. */
static int
parse_extras(struct netring_tx *t, RING_IDX *i, RING_IDX prod,
	     struct netring_tx_pkt *p)
{
	struct netif_extra_info x;
	uint8_t more;

	do {
		if (*i == prod)
			return 0;
		copy_extra(t, (*i)++, &x);
		if (++p->nr_extra >= XEN_NETIF_EXTRA_TYPE_MAX)
			return fail(t, "tx: too many extra info slots");
		if (x.type == XEN_NETIF_EXTRA_TYPE_NONE ||
		    x.type >= XEN_NETIF_EXTRA_TYPE_MAX)
			return fail(t, "tx: bad extra info type");
		if (x.type == XEN_NETIF_EXTRA_TYPE_GSO) {
			if (x.u.gso.type >= 8 * sizeof(t->cfg.gso_types) ||
			    !(t->cfg.gso_types & (1u << x.u.gso.type)))
				return fail(t, "tx: GSO type not offered");
			if (x.u.gso.size == 0)
				return fail(t, "tx: GSO size 0");
			p->gso_type = x.u.gso.type;
			p->gso_size = x.u.gso.size;
		}
		/* well-formed mcast and hash extras: nothing for us */
		more = x.flags & XEN_NETIF_EXTRA_FLAG_MORE;
	} while (more);
	return 1;
}

/*
 * Parses the packet at req_cons. Returns 1 with *out filled, 0 when the
 * frontend has not produced all of it yet, or -EPROTO.
 */
static int
parse(struct netring_tx *t, RING_IDX prod, struct parsed *out)
{
	struct netring_tx_pkt *p = &out->pkt;
	struct netif_tx_request first, req;
	RING_IDX i = t->b.req_cons;
	unsigned rest = 0, n = 1;
	uint16_t flags;
	int rc;

	memset(p, 0, sizeof(*p));
	if (i == prod)
		return 0;
	copy_req(t, i++, &first);
	if ((rc = check_slot(t, &first)) < 0)
		return rc;
	if (first.flags & NETTXF_extra_info &&
	    (rc = parse_extras(t, &i, prod, p)) <= 0)
		return rc;
	out->segs[0] = (struct netring_seg){ first.gref, first.offset, 0,
	    first.id };
	for (flags = first.flags; flags & NETTXF_more_data; flags = req.flags) {
		if (n >= t->cfg.max_slots)
			return fail(t, "tx: too many slots");
		if (i == prod)
			return 0;
		copy_req(t, i++, &req);
		if ((rc = check_slot(t, &req)) < 0)
			return rc;
		if ((unsigned)req.offset + req.size > NETRING_PAGE)
			return fail(t, "tx: slot crosses its page");
		if (req.size > first.size - rest)
			return fail(t, "tx: slots larger than the packet");
		rest += req.size;
		out->segs[n++] = (struct netring_seg){ req.gref, req.offset,
		    req.size, req.id };
	}
	out->segs[0].len = first.size - rest;
	if ((unsigned)first.offset + out->segs[0].len > NETRING_PAGE)
		return fail(t, "tx: first slot crosses its page");
	p->len = first.size;
	p->nr_segs = n;
	p->flags = first.flags & (NETTXF_csum_blank | NETTXF_data_validated);
	p->status = p->len < NETRING_TX_MIN_LEN ? NETIF_RSP_ERROR :
	    NETIF_RSP_OKAY;
	out->slots = i - t->b.req_cons;
	return 1;
}

static void
respond(struct netring_tx *t, uint16_t id, int16_t status)
{
	struct netif_tx_response *r =
	    &t->sring->ring[t->b.rsp_prod_pvt++ & TX_MASK].rsp;

	r->id = id;
	r->status = status;
}

/* Copies the batch, delivers its packets and writes their responses. */
static void
flush(struct netring_tx *t, const struct netring_ops *ops)
{
	unsigned k, j;

	if (t->nr_ops) {
		if (ops->copy(ops->ctx, t->batch, t->nr_ops) != 0)
			for (k = 0; k < t->nr_ops; k++)
				t->batch[k].status = -1;
		t->stats.batches++;
	}
	for (k = 0; k < t->nr_pkts; k++) {
		struct netring_tx_pkt *p = &t->pkts[k];

		for (j = 0; j < p->nr_ops; j++)
			if (t->batch[p->first_op + j].status != 0)
				p->status = NETIF_RSP_ERROR;
		if (p->status == NETIF_RSP_OKAY) {
			p->status = ops->tx_packet(ops->ctx, p);
			if (p->status != NETIF_RSP_OKAY &&
			    p->status != NETIF_RSP_DROPPED)
				p->status = NETIF_RSP_ERROR;
		}
		if (p->status == NETIF_RSP_OKAY) {
			t->stats.packets++;
			t->stats.bytes += p->len;
		} else if (p->status == NETIF_RSP_DROPPED) {
			t->stats.dropped++;
		} else {
			t->stats.errors++;
		}
		respond(t, p->segs[0].id, p->status);
		for (j = 0; j < p->nr_extra; j++)
			respond(t, 0, NETIF_RSP_NULL);
		for (j = 1; j < p->nr_segs; j++)
			respond(t, p->segs[j].id, p->status);
	}
	t->nr_ops = t->nr_pkts = t->nr_segs = 0;
	t->buf_used = 0;
}

static int
fits(const struct netring_tx *t, const struct parsed *pp)
{
	return t->nr_ops + pp->pkt.nr_segs <= t->batch_max &&
	    t->buf_used + pp->pkt.len <= t->buf_len;
}

/* Moves a parsed packet into the batch, with its copy ops. */
static void
add(struct netring_tx *t, const struct parsed *pp)
{
	struct netring_tx_pkt *p = &t->pkts[t->nr_pkts++];
	struct netring_seg *segs = &t->segs[t->nr_segs];
	uint8_t *data = t->buf + t->buf_used;
	size_t off = 0;
	unsigned j;

	*p = pp->pkt;
	memcpy(segs, pp->segs, p->nr_segs * sizeof(*segs));
	t->nr_segs += p->nr_segs;
	p->segs = segs;
	p->data = data;
	p->first_op = t->nr_ops;
	if (p->status == NETIF_RSP_OKAY)
		for (j = 0; j < p->nr_segs; j++) {
			if (segs[j].len == 0)
				continue;
			t->batch[t->nr_ops++] = (struct netring_copy){
				.gref = segs[j].gref,
				.offset = segs[j].offset,
				.len = segs[j].len,
				.dir = NETRING_FROM_GUEST,
				.local = data + off,
			};
			off += segs[j].len;
		}
	p->nr_ops = t->nr_ops - p->first_op;
	t->buf_used += p->len;
	t->b.req_cons += pp->slots;
}

int
netring_tx_poll(struct netring_tx *t, const struct netring_ops *ops,
		int *notify)
{
	int posted = netring_back_posted(&t->b, NETRING_TX_SIZE);
	RING_IDX prod = t->b.req_cons + (RING_IDX)posted;
	struct parsed pp;
	int n = 0, rc = 0;

	t->partial = 0;
	if (posted < 0)
		rc = fail(t, "tx: producer more than a ring ahead");
	while (rc == 0 && (rc = parse(t, prod, &pp)) > 0) {
		/* (parsed again, from the ring, when admitted later) */
		if (ops->tx_admit && !ops->tx_admit(ops->ctx, pp.pkt.len)) {
			rc = 1;		/* a whole packet, left for later */
			break;
		}
		if (!fits(t, &pp))
			flush(t, ops);
		add(t, &pp);
		n++;
		rc = 0;
	}
	if (rc == 0 && t->b.req_cons != prod) {
		t->partial = 1;		/* parse saw only part of a packet */
		t->partial_at = prod;
	}
	flush(t, ops);
	*notify = netring_back_push(&t->b);
	return rc < 0 ? rc : n;
}

int
netring_tx_final_check(struct netring_tx *t)
{
	if (t->partial)
		return netring_back_wait_past(&t->b, t->partial_at);
	return netring_back_final_check(&t->b);
}
