/*
 * What the netif (xen/io/netif.h) tx and rx engines share, free of I/O:
 * the grant-copy op they batch, the ops a caller passes in, and the
 * response push / notify decision over a ring's four shared indices.
 * Each shared index is read once per use, into a local, and fenced; the
 * engines keep their own copies of the indices they own. Nothing here
 * maps, copies grants, binds or logs: the caller does, through the ops.
 */
#ifndef XUD_NETRING_H
#define XUD_NETRING_H

#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/io/netif.h>

/* A full fence; a caller with a cheaper one may define it first. */
#ifndef netring_mb
#define netring_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

/* Guest pages are always 4 KiB on the ring, whatever our page size. */
#define NETRING_PAGE 4096u
/* Slots of a one-page tx or rx ring (both round down to 256). */
#define NETRING_TX_SIZE __CONST_RING_SIZE(netif_tx, NETRING_PAGE)
#define NETRING_RX_SIZE __CONST_RING_SIZE(netif_rx, NETRING_PAGE)

/*
 * Grant refs Xen reserves for the toolstack (GNTTAB_NR_RESERVED_ENTRIES):
 * no netfront grants them for packets.
 */
#define NETRING_GREF_FIRST 8u

/* One grant copy between a guest page and our memory. */
enum netring_dir {
	NETRING_FROM_GUEST,	/* tx: guest page -> local */
	NETRING_TO_GUEST,	/* rx: local -> guest page */
};
struct netring_copy {
	uint32_t gref;
	uint16_t offset;	/* in the guest's page */
	uint16_t len;
	uint8_t dir;		/* enum netring_dir */
	uint8_t *local;
	int16_t status;		/* the copier sets it: 0 or a negative error */
};

/*
 * What the caller does for an engine. copy performs n ops (the daemon:
 * one xengnttab_grant_copy) and sets each op's status; a non-zero return
 * marks every op failed. The engines never call anything else.
 */
struct netring_tx_pkt;
struct netring_ops {
	int (*copy)(void *ctx, struct netring_copy *ops, unsigned n);
	/*
	 * tx: a packet whose bytes are in our memory; returns the status
	 * its slots get (NETIF_RSP_OKAY, or NETIF_RSP_DROPPED to count it
	 * as dropped).
	 */
	int (*tx_packet)(void *ctx, const struct netring_tx_pkt *pkt);
	void *ctx;
	/*
	 * tx, optional (NULL: every packet): may a packet of len bytes,
	 * parsed and not yet consumed, be taken now? 0 leaves it, and
	 * what follows it, on the ring, and the poll ends there: a rate
	 * limit, whose caller polls again when credit comes.
	 */
	int (*tx_admit)(void *ctx, uint32_t len);
};

/*
 * The four indices at the head of every shared ring page; netif_tx_sring
 * and netif_rx_sring both begin with them.
 */
struct netring_idx {
	RING_IDX req_prod, req_event;
	RING_IDX rsp_prod, rsp_event;
};

/*
 * The backend's own indices. The shared copies are the guest's to
 * scribble on, so we keep ours and never read them back.
 */
struct netring_back {
	void *sring;
	RING_IDX req_cons;	/* the next request to read */
	RING_IDX rsp_prod_pvt;	/* the next response slot to write */
	RING_IDX rsp_pushed;	/* what the frontend has been shown */
};

/*
 * Attaches at the page's current rsp_prod: 0 on a fresh ring, where a
 * restarted backend left off otherwise.
 */
void netring_back_attach(struct netring_back *b, void *sring);

/*
 * Reads req_prod once and returns how many requests are posted beyond
 * req_cons (their slots may be read after this), or -EPROTO when that
 * is more than a ring of size slots.
 */
int netring_back_posted(const struct netring_back *b, RING_IDX size);

/*
 * Publishes the responses written up to rsp_prod_pvt and returns 1 when
 * the frontend asked to be notified of them
 * (RING_PUSH_RESPONSES_AND_CHECK_NOTIFY).
 */
int netring_back_push(struct netring_back *b);

/*
 * After the engine found no more requests at req_cons: arms req_event
 * and looks again, returning 1 when requests arrived meanwhile
 * (RING_FINAL_CHECK_FOR_REQUESTS). The caller then polls again rather
 * than waiting for an event that will not come.
 */
int netring_back_final_check(const struct netring_back *b);
/*
 * The same from seen instead of req_cons: 1 when requests past seen are
 * posted, otherwise req_event is armed for the next one. For a
 * packet only partly posted, which is no work until more comes.
 */
int netring_back_wait_past(const struct netring_back *b, RING_IDX seen);

#endif
