/* The backend's side of a netif ring's indices, shared by both engines. */
#include "config.h"

#include <errno.h>

#include "netring.h"

static volatile struct netring_idx *
idx(const struct netring_back *b)
{
	return (volatile struct netring_idx *)b->sring;
}

void
netring_back_attach(struct netring_back *b, void *sring)
{
	b->sring = sring;
	b->rsp_pushed = idx(b)->rsp_prod;
	b->req_cons = b->rsp_prod_pvt = b->rsp_pushed;
}

int
netring_back_posted(const struct netring_back *b, RING_IDX size)
{
	RING_IDX prod = idx(b)->req_prod;

	netring_mb();		/* the index before the slots it covers */
	if ((RING_IDX)(prod - b->req_cons) > size)
		return -EPROTO;
	return (int)(prod - b->req_cons);
}

int
netring_back_push(struct netring_back *b)
{
	RING_IDX old = b->rsp_pushed, new = b->rsp_prod_pvt, event;

	if (new == old)
		return 0;
	/* the responses before the index that publishes them */
	netring_mb();
	idx(b)->rsp_prod = new;
	b->rsp_pushed = new;
	netring_mb();		/* index before reading the frontend's event */
	event = idx(b)->rsp_event;
	return (RING_IDX)(new - event) < (RING_IDX)(new - old);
}

int
netring_back_wait_past(const struct netring_back *b, RING_IDX seen)
{
	if (idx(b)->req_prod != seen)
		return 1;
	idx(b)->req_event = seen + 1;
	netring_mb();		/* event armed before the last look */
	return idx(b)->req_prod != seen;
}

int
netring_back_final_check(const struct netring_back *b)
{
	return netring_back_wait_past(b, b->req_cons);
}
