/*
 * One queue of a connected vif: its tx and rx rings mapped from the
 * frontend's grants, its event channel(s), and the TAP pumped through
 * lib/netring's engines, all on a thread of the queue's own
 * (qthread.h). The queue never decides about the vif: a protocol
 * violation stops the queue and is reported upward through env.failed,
 * once.
 *
 * Memory is fixed per queue: the engines' arrays (a ring each), a tx
 * buffer of QUEUE_TX_BUF bytes and an rx arena of QUEUE_RX_ARENA. The
 * two are pages granted to ourselves where the gntalloc device lets
 * us (the grant copies then go to Xen directly: lib/gcopy.h), plain
 * memory copied through gntdev otherwise.
 */
#ifndef NETBACKD_QUEUE_H
#define NETBACKD_QUEUE_H

#include <stdint.h>
#include <xenevtchn.h>
#include <xen/xen.h>
#include <xen/io/netif.h>

struct nb_counters;
struct spoof;
struct queue;

#define QUEUE_TX_BUF (256u * 1024)
#define QUEUE_RX_ARENA (256u * 1024)

struct queue_env {
	uint32_t domid;
	uint32_t self;		/* our own domid (lib/gcopy's grantee) */
	int tap_fd;
	const char *name;	/* the vif's, for the thread's name */
	unsigned index;		/* the queue's number in the vif */
	/* the vif's counters for this queue: the queue goes on from their
	   values and publishes to them (counters.h) */
	struct nb_counters *c;
	const struct spoof *spoof;	/* the guest's addresses */
	/* the rate key's limit at connect, 0 bytes: none. The queue has
	   a credit of its own at that rate, as the kernel's netback
	   gives each queue one (queue_credit_changed changes it). */
	uint64_t rate_bytes, rate_usec;
	/*
	 * A protocol violation stopped the queue: called from the queue's
	 * thread, once, to wake the vif (which asks queue_failure on its
	 * own thread and decides): it must be thread-safe and do nothing
	 * more, such as event_active on the main loop.
	 */
	void (*failed)(void *arg);
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

/*
 * Maps, binds and starts the queue's thread, with its own event loop,
 * event channel and grant handles (libxenevtchn says a handle must not
 * be shared by threads, libxengnttab says nothing of threads: one of
 * each per queue, and nothing of the data path shared). 0 or -errno.
 */
int queue_start(const struct queue_env *env, const struct queue_keys *k,
		struct queue **out);
/*
 * From the main thread: the rate key's new limit (0 bytes: none),
 * applied by the queue's thread to its credit; a tx side waiting for
 * credit looks again then, rather than when the old limit would have
 * given it.
 */
void queue_credit_changed(struct queue *q, uint64_t bytes, uint64_t usec);
/* Why the queue stopped for a protocol violation, or NULL. Any thread. */
const char *queue_failure(const struct queue *q);
/* 0 when the queue's copies go to Xen directly, or -errno: why they
   go through gntdev. */
int queue_copy_path(const struct queue *q);
/* Its thread's Linux id. Any thread. */
/* The CPU its thread follows its interrupts to (irqcpu.h), or -1. */
int queue_cpu(const struct queue *q);
int queue_tid(const struct queue *q);
/* Stops and joins its thread, then unbinds, unmaps, frees (the vif's
   counters have the queue's last values then); NULL is fine. */
void queue_stop(struct queue *q);

#endif
