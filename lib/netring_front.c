/* The frontend's side of a netif ring's indices, and its checks. */
#include "config.h"

#include <errno.h>

#include "netring_front.h"

static volatile struct netring_idx *
idx(const struct netring_front *f)
{
	return (volatile struct netring_idx *)f->sring;
}

void
netring_front_init(struct netring_front *f, void *sring, RING_IDX size)
{
	f->sring = sring;
	f->size = size;
	f->req_prod_pvt = f->req_pushed = f->rsp_cons = 0;
	idx(f)->req_prod = idx(f)->rsp_prod = 0;
	idx(f)->req_event = idx(f)->rsp_event = 1;
}

unsigned
netring_front_free(const struct netring_front *f)
{
	return f->size - (RING_IDX)(f->req_prod_pvt - f->rsp_cons);
}

int
netring_front_next_req(struct netring_front *f)
{
	if (netring_front_free(f) == 0)
		return -ENOSPC;
	return (int)(f->req_prod_pvt++ & (f->size - 1));
}

int
netring_front_push(struct netring_front *f)
{
	RING_IDX old = f->req_pushed, new = f->req_prod_pvt, event;

	if (new == old)
		return 0;
	netring_mb();		/* the requests before the index */
	idx(f)->req_prod = new;
	f->req_pushed = new;
	netring_mb();		/* the index before the backend's event */
	event = idx(f)->req_event;
	return (RING_IDX)(new - event) < (RING_IDX)(new - old);
}

int
netring_front_responses(const struct netring_front *f)
{
	RING_IDX prod = idx(f)->rsp_prod;

	netring_mb();		/* the index before the slots it covers */
	if ((RING_IDX)(prod - f->rsp_cons) >
	    (RING_IDX)(f->req_pushed - f->rsp_cons))
		return -EPROTO;
	return (int)(prod - f->rsp_cons);
}

unsigned
netring_front_take_rsp(struct netring_front *f)
{
	return f->rsp_cons++ & (f->size - 1);
}

int
netring_front_final_check(struct netring_front *f)
{
	idx(f)->rsp_event = f->rsp_cons + 1;
	netring_mb();		/* the event armed before the last look */
	return idx(f)->rsp_prod != f->rsp_cons;
}

void
netring_front_ids_init(struct netring_front_ids *ids, unsigned limit)
{
	for (unsigned i = 0; i < NETRING_FRONT_IDS; i++)
		ids->busy[i] = 0;
	ids->limit = limit < NETRING_FRONT_IDS ? limit : NETRING_FRONT_IDS;
	ids->nbusy = 0;
}

int
netring_front_id_take(struct netring_front_ids *ids)
{
	for (unsigned i = 0; i < ids->limit; i++) {
		if (!ids->busy[i]) {
			ids->busy[i] = 1;
			ids->nbusy++;
			return (int)i;
		}
	}
	return -ENOSPC;
}

int
netring_front_id_done(struct netring_front_ids *ids, uint32_t id)
{
	if (id >= ids->limit || !ids->busy[id])
		return -EPROTO;
	ids->busy[id] = 0;
	ids->nbusy--;
	return 0;
}

int
netring_front_rx_len(const struct netif_rx_response *rsp)
{
	if (rsp->flags & (NETRXF_more_data | NETRXF_extra_info))
		return -EPROTO;
	if (rsp->status <= 0)
		return -EIO;
	if ((uint32_t)rsp->offset + (uint32_t)rsp->status > NETRING_PAGE)
		return -EPROTO;
	return rsp->status;
}
