/*
 * The frontend's side of a netif ring (xen/io/netif.h), free of I/O: we
 * produce requests and consume responses. The backend may be hostile to
 * a guest as much as a guest to dom0: its rsp_prod is read once per look,
 * fenced, and refused (-EPROTO) when it claims more responses than we
 * have requests outstanding; a response's id must be one we have in
 * flight, and an rx response's length must fit the page it names. We
 * keep our own indices and never read ours back from the shared page.
 * A netfront (the unikernel's rt/netfront.c) does the granting and the
 * event channel around it.
 */
#ifndef XUD_NETRING_FRONT_H
#define XUD_NETRING_FRONT_H

#include "netring.h"

struct netring_front {
	void *sring;
	RING_IDX size;		/* slots, a power of two */
	RING_IDX req_prod_pvt;	/* the next request slot we fill */
	RING_IDX req_pushed;	/* what the backend has been shown */
	RING_IDX rsp_cons;	/* the next response to read */
};

/*
 * Starts a fresh ring on sring, a zeroed page: the indices as
 * SHARED_RING_INIT leaves them. size is the ring's slot count
 * (NETRING_TX_SIZE or NETRING_RX_SIZE).
 */
void netring_front_init(struct netring_front *f, void *sring, RING_IDX size);

/* Request slots we may still fill (those not awaiting a response). */
unsigned netring_front_free(const struct netring_front *f);
/*
 * The index in ring[] of the next request slot, taken; -ENOSPC when every
 * slot awaits a response.
 */
int netring_front_next_req(struct netring_front *f);
/*
 * Publishes the requests filled so far and returns 1 when the backend
 * asked to be notified of them (RING_PUSH_REQUESTS_AND_CHECK_NOTIFY).
 */
int netring_front_push(struct netring_front *f);

/*
 * Reads rsp_prod once: how many responses wait at rsp_cons (their slots
 * may be read after this), or -EPROTO when the backend claims more than
 * the requests we published beyond rsp_cons.
 */
int netring_front_responses(const struct netring_front *f);
/* The index in ring[] of the response at rsp_cons, consumed. */
unsigned netring_front_take_rsp(struct netring_front *f);
/*
 * After the responses ran out: arms rsp_event and looks again; 1 when
 * responses came meanwhile (RING_FINAL_CHECK_FOR_RESPONSES), so the
 * caller reads again instead of waiting for an event that will not come.
 */
int netring_front_final_check(struct netring_front *f);

/* The ids of requests in flight: a response may only complete one. */
#define NETRING_FRONT_IDS 256u
struct netring_front_ids {
	uint8_t busy[NETRING_FRONT_IDS];
	unsigned limit;		/* ids are below it */
	unsigned nbusy;
};
/* ids 0 .. limit - 1 (at most NETRING_FRONT_IDS), all free. */
void netring_front_ids_init(struct netring_front_ids *ids, unsigned limit);
/* The lowest free id, now in flight; -ENOSPC when none is free. */
int netring_front_id_take(struct netring_front_ids *ids);
/* Completes id: 0, or -EPROTO for an id that is not in flight. */
int netring_front_id_done(struct netring_front_ids *ids, uint32_t id);

/*
 * Checks one rx response, copied out of the ring (a packet in one slot:
 * we offer neither feature-sg nor GSO). Returns the packet's length,
 * -EIO for an error status (that packet is lost, the ring is fine), or
 * -EPROTO for what no backend may send us: data beyond its page, a
 * follow-on slot (more_data) or extra info we never negotiated.
 */
int netring_front_rx_len(const struct netif_rx_response *rsp);

#endif
