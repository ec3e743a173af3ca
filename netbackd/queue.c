/*
 * A vif queue: the tx engine feeds the TAP, the TAP feeds the rx engine.
 *
 * tx: an event (or our own "again" event after a long burst, so that
 * a busy tx side cannot hold the queue's loop from its rx side) polls
 * the ring until the engine finds nothing and the final check agrees,
 * or the rate key's credit runs out (then a timer polls again).
 *
 * rx: frames are read from the TAP into an arena and queued into the
 * guest's posted requests; the engine's batches are copied when the
 * arena fills and at the end of the burst, then the responses pushed.
 * A frame the guest has no requests for yet is held (the engine armed
 * req_event): the TAP is not read again until the guest posts, so the
 * kernel's queue, not us, absorbs what the guest does not take.
 *
 * All of it runs on the queue's thread, over handles and a credit of
 * its own; what other threads reach is the rate box (new limits in),
 * the published counters, and the failure reason (out).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <event2/event.h>
#include <linux/if_tun.h>

#include "evtchn.h"
#include "gcopy.h"
#include "grant.h"
#include "netring_rx.h"
#include "netring_tx.h"
#include "ratelimit.h"
#include "copier.h"
#include "qthread.h"
#include "ratebox.h"
#include "credit.h"
#include "counters.h"
#include "irqcpu.h"
#include "queue.h"
#include "spoof.h"
#include "tap.h"
#include "vnethdr.h"

#define TX_BATCH 128u
#define RX_BATCH 128u
/* One read: a header and the largest netif packet, and one byte to
 * tell a larger frame (cut short by the read) from it. */
#define RX_READ (TAP_HDR + XEN_NETIF_MAX_TX_SIZE + 1u)
#define RX_BURST 64
#define TX_ROUNDS 16
/* Wakeups between looks at where the queue's interrupts arrive. */
#define FOLLOW_EVERY 256u
#define FOLLOW_FIRST 16u
/* Hypercall ops for a batch: a local side split in two at most. */
#define GCOPY_OPS (2u * (TX_BATCH > RX_BATCH ? TX_BATCH : RX_BATCH))

struct queue {
	struct queue_env env;
	char name[16];		/* the thread's, and its interrupts' */
	struct event_base *base;
	struct gnt *g;
	struct gcopy *gc;	/* owns tx_buf and arena, or NULL */
	int gc_err;		/* why not, then */
	struct evtchn *e;
	struct qthread *th;
	struct nb_counters c;	/* ours; published to env.c */
	struct credit credit;
	struct ratebox box;	/* from queue_credit_changed */
	const char *failure;	/* atomic: set once, by hostile() */
	void *tx_page, *rx_page;
	evtchn_port_t port_tx, port_rx;
	int bound_tx, bound_rx, dead, reading;
	int rate_wait;		/* tx waits for credit_ev */
	/* The thread follows the queue's interrupts (irqcpu.h): it looks
	   every FOLLOW_EVERY wakeups while following, and stops for
	   good when it cannot (no names in sysfs, an affinity refused). */
	int following, irqs_found;
	unsigned wakeups;
	int cpu;		/* atomic: where it runs since, or -1 */
	struct irqcpu ic;
	cpu_set_t allowed;	/* the thread's CPUs before the first move */
	struct copier cp;
	struct netring_ops ops;
	struct netring_tx tx;
	struct netring_rx rx;
	struct netring_copy tx_batch[TX_BATCH], rx_batch[RX_BATCH];
	uint8_t *tx_buf, *arena;
	size_t used;
	size_t held;		/* a frame (header included) at arena[0] */
	struct event *tap_ev, *again_ev, *credit_ev, *rate_ev;
};

static int
q_copy(void *ctx, struct netring_copy *ops, unsigned n)
{
	struct queue *q = ctx;

	return copier_copy(&q->cp, ops, n);
}

static int
q_tx_packet(void *ctx, const struct netring_tx_pkt *p)
{
	struct queue *q = ctx;
	struct virtio_net_hdr h;

	switch (spoof_check(q->env.spoof, p->data, p->len)) {
	case SPOOF_OK:
		break;
	case SPOOF_MAC:
		q->c.tx_drop_mac++;
		return NETIF_RSP_DROPPED;
	case SPOOF_IP:
		q->c.tx_drop_ip++;
		return NETIF_RSP_DROPPED;
	default:
		q->c.tx_drop_proto++;
		return NETIF_RSP_DROPPED;
	}
	if (vnethdr_from_tx(p->data, p->len, p->flags, p->gso_type,
	    p->gso_size, &h) < 0) {
		q->c.tx_drop_csum++;
		return NETIF_RSP_DROPPED;
	}
	if (tap_write(q->env.tap_fd, &h, p->data, p->len) < 0) {
		q->c.tx_drop_tap++;
		return NETIF_RSP_DROPPED;
	}
	q->c.tx_gso += p->gso_type != XEN_NETIF_GSO_TYPE_NONE;
	return NETIF_RSP_OKAY;
}

/*
 * The rate key: a packet the vif's credit does not cover stays on the
 * ring, and the tx side sleeps on a timer until credit comes (the
 * guest's notifications meanwhile are not looked at).
 */
static int
q_tx_admit(void *ctx, uint32_t len)
{
	struct queue *q = ctx;
	struct timeval tv;
	uint64_t wait;

	if (!credit_limited(&q->credit))
		return 1;	/* (no clock read a packet) */
	if ((wait = credit_take(&q->credit, len, rl_now_ns())) == 0)
		return 1;
	wait = (wait + 999) / 1000;	/* us, rounded up */
	tv.tv_sec = (time_t)(wait / 1000000);
	tv.tv_usec = (suseconds_t)(wait % 1000000);
	evtimer_add(q->credit_ev, &tv);
	q->rate_wait = 1;
	q->c.tx_rate_deferred++;
	return 0;
}

/* Adds the engines' counts to ours, and lets --status see them. */
static void
account(struct queue *q)
{
	struct nb_counters *c = &q->c;

	c->tx_packets += q->tx.stats.packets;
	c->tx_bytes += q->tx.stats.bytes;
	c->tx_errors += q->tx.stats.errors;
	c->tx_batches += q->tx.stats.batches;
	c->rx_packets += q->rx.stats.packets;
	c->rx_bytes += q->rx.stats.bytes;
	c->rx_errors += q->rx.stats.errors;
	c->rx_batches += q->rx.stats.batches;
	memset(&q->tx.stats, 0, sizeof(q->tx.stats));
	memset(&q->rx.stats, 0, sizeof(q->rx.stats));
	counters_publish(q->env.c, c);
}

static void
set_reading(struct queue *q, int on)
{
	if (on == q->reading)
		return;
	if (on)
		event_add(q->tap_ev, NULL);
	else
		event_del(q->tap_ev);
	q->reading = on;
}

/*
 * Once: stop, and wake the vif, which reads the reason on its thread
 * (released here, acquired by queue_failure) and disconnects.
 */
static void
hostile(struct queue *q, const char *reason)
{
	if (q->dead)
		return;
	q->dead = 1;
	set_reading(q, 0);
	__atomic_store_n(&q->failure, reason ? reason : "protocol error",
	    __ATOMIC_RELEASE);
	q->env.failed(q->env.arg);
}

static void
tx_service(struct queue *q)
{
	for (int round = 0; round < TX_ROUNDS; round++) {
		int notify = 0, n;

		n = netring_tx_poll(&q->tx, &q->ops, &notify);
		account(q);
		if (notify)
			evtchn_notify(q->e, q->port_tx);
		if (n < 0) {
			hostile(q, q->tx.reason);
			return;
		}
		if (q->rate_wait)
			return;		/* on_credit polls again */
		if (n == 0 && !netring_tx_final_check(&q->tx))
			return;
	}
	event_active(q->again_ev, 0, 0);
}

/* Queues one frame at arena+off (n bytes with its header): the
 * engine's answer, -ENOBUFS when the guest has no room yet. */
static int
rx_one(struct queue *q, size_t off, size_t n)
{
	struct virtio_net_hdr h;
	struct netring_rx_pkt p = {
		.data = q->arena + off + TAP_HDR,
		.len = (uint32_t)(n - TAP_HDR),
	};
	int r;

	memcpy(&h, q->arena + off, sizeof(h));
	p.flags = vnethdr_rx_flags(&h);
	if (n - TAP_HDR > XEN_NETIF_MAX_TX_SIZE ||
	    vnethdr_rx_gso(&h, &p.gso_type, &p.gso_size) < 0) {
		q->c.rx_drop_size++;
		return 0;
	}
	/* (the TAP's offloads follow the frontend's: a partial checksum
	   or GSO it does not take is from before, and dropped) */
	r = netring_rx_queue(&q->rx, &p, &q->ops);
	if (r == -EMSGSIZE || r == -EINVAL) {
		q->c.rx_drop_size++;
		return 0;
	}
	if (r == 0)
		q->c.rx_gso += p.gso_type != XEN_NETIF_GSO_TYPE_NONE;
	return r;
}

static void
rx_pump(struct queue *q)
{
	int notify = 0, r = 0;

	if (q->dead)
		return;
	if (q->held) {
		r = rx_one(q, 0, q->held);
		if (r == 0)
			q->used = (q->held + 15) & ~(size_t)15, q->held = 0;
	}
	for (int k = 0; r == 0 && k < RX_BURST; k++) {
		ssize_t n;

		if (QUEUE_RX_ARENA - q->used < RX_READ)
			break;	/* copy what is queued; the fd stays readable */
		n = read(q->env.tap_fd, q->arena + q->used, RX_READ);
		if (n < 0)
			break;	/* EAGAIN, or the device went away */
		if ((size_t)n <= TAP_HDR) {
			q->c.rx_drop_short++;
			continue;
		}
		if ((r = rx_one(q, q->used, (size_t)n)) == -ENOBUFS) {
			q->held = (size_t)n;	/* moved to 0 after the flush */
			q->c.rx_stalls++;
		} else if (r == 0) {
			q->used += ((size_t)n + 15) & ~(size_t)15;
		}
	}
	if (r == -EPROTO) {
		hostile(q, q->rx.reason);
		return;
	}
	netring_rx_flush(&q->rx, &q->ops, &notify);
	account(q);
	if (notify)
		evtchn_notify(q->e, q->port_rx);
	if (q->held && q->used)
		memmove(q->arena, q->arena + q->used, q->held);
	q->used = 0;
	set_reading(q, q->held == 0);
}

/* On the queue's thread: to the CPU where its interrupts arrive. */
static void
follow_interrupts(struct queue *q)
{
	cpu_set_t set;
	int cpu;

	/* (a first look soon: a queue that has just begun to move) */
	if (!q->following || (++q->wakeups != FOLLOW_FIRST &&
	    q->wakeups % FOLLOW_EVERY != 0))
		return;
	if (!q->irqs_found) {
		char action[32];

		snprintf(action, sizeof(action), "evtchn:%s", q->name);
		if (irqcpu_find(&q->ic, IRQCPU_SYSFS, action) <= 0 ||
		    pthread_getaffinity_np(pthread_self(), sizeof(q->allowed),
		    &q->allowed) != 0) {
			q->following = 0;
			return;
		}
		q->irqs_found = 1;
	}
	cpu = irqcpu_target(&q->ic, &q->allowed);
	if (cpu < 0 || cpu == __atomic_load_n(&q->cpu, __ATOMIC_RELAXED))
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* (refused: outside the cgroup's CPUs, or a filter) */
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0) {
		q->following = 0;
		return;
	}
	__atomic_store_n(&q->cpu, cpu, __ATOMIC_RELAXED);
}

static void
on_tap(evutil_socket_t fd, short what, void *arg)
{
	follow_interrupts(arg);
	rx_pump(arg);
}

static void
on_again(evutil_socket_t fd, short what, void *arg)
{
	struct queue *q = arg;

	if (!q->dead && !q->rate_wait)
		tx_service(q);
}

static void
on_credit(evutil_socket_t fd, short what, void *arg)
{
	struct queue *q = arg;

	q->rate_wait = 0;
	if (!q->dead)
		tx_service(q);
}

/* Woken by queue_credit_changed: the new limit, from our thread. */
static void
on_rate(evutil_socket_t fd, short what, void *arg)
{
	struct queue *q = arg;
	uint64_t bytes, usec;

	if (!ratebox_take(&q->box, &bytes, &usec))
		return;
	credit_set(&q->credit, bytes, usec, rl_now_ns());
	if (!q->rate_wait)
		return;
	evtimer_del(q->credit_ev);
	on_credit(-1, 0, q);
}

void
queue_credit_changed(struct queue *q, uint64_t bytes, uint64_t usec)
{
	if (q == NULL)
		return;
	ratebox_post(&q->box, bytes, usec);
	event_active(q->rate_ev, 0, 0);
}

const char *
queue_failure(const struct queue *q)
{
	return q ? __atomic_load_n(&q->failure, __ATOMIC_ACQUIRE) : NULL;
}

int
queue_copy_path(const struct queue *q)
{
	return q ? q->gc_err : -EINVAL;
}

int
queue_cpu(const struct queue *q)
{
	return q ? __atomic_load_n(&q->cpu, __ATOMIC_RELAXED) : -1;
}

int
queue_tid(const struct queue *q)
{
	return q ? qthread_tid(q->th) : 0;
}

static void
on_event(evtchn_port_t port, void *arg)
{
	struct queue *q = arg;

	if (q->dead)
		return;
	follow_interrupts(q);
	if (port == q->port_tx && !q->rate_wait)
		tx_service(q);
	if (!q->dead && port == q->port_rx && q->held)
		rx_pump(q);
}

/*
 * The tx buffer and the rx arena as pages granted to ourselves, for
 * lib/gcopy's hypercalls: 0, or why not (then they are plain memory,
 * copied through gntdev).
 */
static int
direct_buffers(struct queue *q)
{
	void *tx, *rx;
	int r;

	if ((r = gcopy_open(q->env.self, GCOPY_OPS, &q->gc)) < 0) {
		q->gc = NULL;
		return r;
	}
	if ((r = gcopy_alloc(q->gc, QUEUE_TX_BUF, &tx)) < 0 ||
	    (r = gcopy_alloc(q->gc, QUEUE_RX_ARENA, &rx)) < 0) {
		gcopy_close(q->gc);
		q->gc = NULL;
		return r;
	}
	q->tx_buf = tx;
	q->arena = rx;
	return 0;
}

static int
bind_port(struct queue *q, evtchn_port_t remote, evtchn_port_t *local,
	  int *bound)
{
	int r = evtchn_bind_interdomain(q->e, q->env.domid, remote,
	    on_event, q, local);

	*bound = r == 0;
	return r;
}

static unsigned
offloads(const struct queue_keys *k)
{
	unsigned f = 0;

	if (!k->csum_blank)
		return 0;
	f = TUN_F_CSUM;
	/* GSO packets are larger than a page: never without sg */
	if (k->sg && k->rx_gso & 1u << XEN_NETIF_GSO_TYPE_TCPV4)
		f |= TUN_F_TSO4;
	if (k->sg && k->rx_gso & 1u << XEN_NETIF_GSO_TYPE_TCPV6)
		f |= TUN_F_TSO6;
	return f;
}

int
queue_start(const struct queue_env *env, const struct queue_keys *k,
	    struct queue **out)
{
	const struct netring_tx_cfg tcfg = {
		.max_slots = NETRING_TX_MAX_SLOTS,
		.id_limit = NETRING_TX_SIZE,
		.gso_types = QUEUE_TX_GSO,
	};
	const struct netring_rx_cfg rcfg = {
		.id_limit = NETRING_RX_SIZE,
		.sg = k->sg,
		.csum_blank = k->csum_blank,
		.gso_types = k->rx_gso,
	};
	struct queue *q;
	int r;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return -ENOMEM;
	q->env = *env;
	/* (cut to a thread's name: "vif32767.0-q15" fits) */
	snprintf(q->name, sizeof(q->name), "%s-q%u", env->name, env->index);
	q->following = 1;
	q->cpu = -1;
	q->c = *env->c;		/* kept across connections */
	credit_init(&q->credit, env->rate_bytes, env->rate_usec,
	    rl_now_ns());
	ratebox_init(&q->box);
	q->ops = (struct netring_ops){ .copy = q_copy,
	    .tx_packet = q_tx_packet, .ctx = q, .tx_admit = q_tx_admit };
	if ((q->gc_err = direct_buffers(q)) < 0) {
		q->tx_buf = malloc(QUEUE_TX_BUF);
		q->arena = malloc(QUEUE_RX_ARENA);
	}
	if (q->tx_buf == NULL || q->arena == NULL ||
	    (q->base = event_base_new()) == NULL) {
		r = -ENOMEM;
		goto fail;
	}
	q->tap_ev = event_new(q->base, env->tap_fd, EV_READ | EV_PERSIST,
	    on_tap, q);
	q->again_ev = event_new(q->base, -1, 0, on_again, q);
	q->credit_ev = evtimer_new(q->base, on_credit, q);
	q->rate_ev = event_new(q->base, -1, 0, on_rate, q);
	r = -ENOMEM;
	if (q->tap_ev == NULL || q->again_ev == NULL ||
	    q->credit_ev == NULL || q->rate_ev == NULL)
		goto fail;
	if ((r = gnt_open(0, &q->g)) < 0) {
		q->g = NULL;
		goto fail;
	}
	if ((r = evtchn_open_named(q->base, q->name, &q->e)) < 0) {
		q->e = NULL;
		goto fail;
	}
	if ((r = copier_init(&q->cp, q->g, q->gc, (uint16_t)env->domid,
	    TX_BATCH > RX_BATCH ? TX_BATCH : RX_BATCH)) < 0)
		goto fail;
	if ((r = gnt_map(q->g, env->domid, &k->tx_ref, 1,
	    PROT_READ | PROT_WRITE, &q->tx_page)) < 0) {
		q->tx_page = NULL;
		goto fail;
	}
	if ((r = gnt_map(q->g, env->domid, &k->rx_ref, 1,
	    PROT_READ | PROT_WRITE, &q->rx_page)) < 0) {
		q->rx_page = NULL;
		goto fail;
	}
	if ((r = netring_tx_init(&q->tx, q->tx_page, &tcfg, q->tx_batch,
	    TX_BATCH, q->tx_buf, QUEUE_TX_BUF)) < 0 ||
	    (r = netring_rx_init(&q->rx, q->rx_page, &rcfg, q->rx_batch,
	    RX_BATCH)) < 0)
		goto fail;
	if ((r = bind_port(q, k->port_tx, &q->port_tx, &q->bound_tx)) < 0)
		goto fail;
	if (k->port_rx != k->port_tx) {
		if ((r = bind_port(q, k->port_rx, &q->port_rx,
		    &q->bound_rx)) < 0)
			goto fail;
	} else {
		q->port_rx = q->port_tx;
	}
	/* Partial checksums and TSO from the host only if it takes them. */
	if ((r = tap_offload(env->tap_fd, offloads(k))) < 0)
		goto fail;
	/* What the guest and the host sent before we were bound: the
	   thread's first round. */
	event_active(q->again_ev, 0, 0);
	set_reading(q, 1);
	event_active(q->tap_ev, EV_READ, 0);
	if ((r = qthread_start(q->base, q->name, &q->th)) < 0) {
		q->th = NULL;
		goto fail;
	}
	*out = q;
	return 0;
fail:
	queue_stop(q);
	return r;
}

void
queue_stop(struct queue *q)
{
	if (q == NULL)
		return;
	/* first: nothing of the queue runs after this */
	qthread_stop(q->th);
	if (q->tap_ev)
		event_free(q->tap_ev);
	if (q->again_ev)
		event_free(q->again_ev);
	if (q->credit_ev)
		event_free(q->credit_ev);
	if (q->rate_ev)
		event_free(q->rate_ev);
	if (q->bound_tx)
		evtchn_unbind(q->e, q->port_tx);
	if (q->bound_rx)
		evtchn_unbind(q->e, q->port_rx);
	tap_offload(q->env.tap_fd, 0);	/* whatever the next frontend takes */
	if (q->g) {
		gnt_unmap(q->g, q->tx_page, 1);
		gnt_unmap(q->g, q->rx_page, 1);
	}
	copier_fini(&q->cp);
	/* the thread, joined, published its last counts: ours are those */
	counters_publish(q->env.c, &q->c);
	evtchn_close(q->e);
	gnt_close(q->g);
	if (q->base)
		event_base_free(q->base);
	ratebox_fini(&q->box);
	if (q->gc) {
		gcopy_close(q->gc);	/* and with it tx_buf and arena */
	} else {
		free(q->tx_buf);
		free(q->arena);
	}
	free(q);
}
