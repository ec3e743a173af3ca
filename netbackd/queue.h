/*
 * One queue of a connected vif: its tx and rx rings mapped from the
 * frontend's grants, its event channel(s), and the TAP pumped through
 * lib/netring's engines. The queue never decides about the vif: a
 * protocol violation stops the queue and is reported upward through
 * env.hostile, once.
 *
 * Memory is fixed per queue: the engines' arrays (a ring each), a tx
 * buffer of QUEUE_TX_BUF bytes and an rx arena of QUEUE_RX_ARENA.
 */
#ifndef NETBACKD_QUEUE_H
#define NETBACKD_QUEUE_H

#include <stdint.h>
#include <xenevtchn.h>
#include <xen/xen.h>
#include <xen/io/netif.h>

struct event_base;
struct evtchn;
struct gnt;
struct credit;
struct nb_counters;
struct spoof;
struct queue;

#define QUEUE_TX_BUF (256u * 1024)
#define QUEUE_RX_ARENA (256u * 1024)

struct queue_env {
	struct gnt *g;
	struct evtchn *e;
	struct event_base *base;
	uint32_t domid;
	int tap_fd;
	struct nb_counters *c;
	const struct spoof *spoof;	/* the guest's addresses */
	/* the vif's rate limit, shared; NULL: none ever (a credit with
	   no limit can get one while running: queue_credit_changed) */
	struct credit *credit;
	/* A protocol violation: the queue is stopped, the vif decides. */
	void (*hostile)(void *arg, const char *reason);
	void *arg;
};

/* What the frontend wrote (validated by the caller's reader). */
struct queue_keys {
	uint32_t tx_ref, rx_ref;
	evtchn_port_t port_tx, port_rx;	/* equal unless split */
	int sg;			/* its feature-sg: multi-slot rx */
	int csum_blank;		/* no feature-no-csum-offload */
	unsigned rx_gso;	/* its feature-gso-*: bits (1u << type) */
};

/* The GSO types we take from guests (and advertise). */
#define QUEUE_TX_GSO (1u << XEN_NETIF_GSO_TYPE_TCPV4 | \
		      1u << XEN_NETIF_GSO_TYPE_TCPV6)

int queue_start(const struct queue_env *env, const struct queue_keys *k,
		struct queue **out);
/*
 * The shared credit's limit changed: a tx side waiting for credit
 * looks again now, rather than when the old limit would have given it.
 */
void queue_credit_changed(struct queue *q);
/* Unbinds, unmaps, frees; NULL is fine. */
void queue_stop(struct queue *q);

#endif
