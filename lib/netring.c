/* The response push and notify decision shared by the netif engines. */
#include "config.h"

#include "netring.h"

static volatile struct netring_idx *
idx(void *sring)
{
	return (volatile struct netring_idx *)sring;
}

int
netring_push_responses(void *sring, RING_IDX old, RING_IDX new)
{
	volatile struct netring_idx *ix = idx(sring);
	RING_IDX event;

	netring_mb();		/* responses before the index that publishes them */
	ix->rsp_prod = new;
	netring_mb();		/* index before reading the frontend's event */
	event = ix->rsp_event;
	return (RING_IDX)(new - event) < (RING_IDX)(new - old);
}

int
netring_final_check(void *sring, RING_IDX req_cons)
{
	volatile struct netring_idx *ix = idx(sring);

	if (ix->req_prod != req_cons)
		return 1;
	ix->req_event = req_cons + 1;
	netring_mb();		/* event armed before the last look */
	return ix->req_prod != req_cons;
}
