/*
 * A vif's xenbus life. Frontend keys are read once at connect and
 * validated before anything is mapped; a frontend that does not follow
 * netif.h is refused (Closing, through xenbus_be's failed rule) with
 * one rate-limited line, and served again when it starts over.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>

#include "domlog.h"
#include "log.h"
#include "ratelimit.h"
#include "xenbus_be.h"
#include "xstore.h"
#include "netbackd.h"
#include "credit.h"
#include "fekeys.h"
#include "queue.h"
#include "tap.h"
#include "vif.h"

/* One log limiter per domain, however many vifs it has (domlog.h). */
struct nb_dom {
	struct nb_dom *next;
	uint32_t domid;
	unsigned refs;
	struct domlog dl;
};

static struct nb_dom *
dom_get(struct nb *nb, uint32_t domid)
{
	struct nb_dom *d;

	for (d = nb->doms; d; d = d->next)
		if (d->domid == domid) {
			d->refs++;
			return d;
		}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->domid = domid;
	d->refs = 1;
	domlog_init(&d->dl, rl_now_ns());
	d->next = nb->doms;
	nb->doms = d;
	return d;
}

static void
dom_put(struct nb *nb, struct nb_dom *d)
{
	if (d == NULL || --d->refs)
		return;
	for (struct nb_dom **pp = &nb->doms; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	free(d);
}

#define vif_log(v, prio, ...) \
	log_dom_rl(&(v)->dom->dl, prio, (v)->domid, NULL, __VA_ARGS__)

static int
be_write(struct vif *v, const char *key, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", v->be_path, key);
	return xstore_write(v->nb->xs, XBT_NULL, path, val);
}

static int
vif_features(struct xbe_dev *d, void *arg)
{
	/* What we offer, and multi-queue-max-queues. */
	static const char *const feat[][2] = {
		{ "feature-rx-copy", "1" },
		{ "feature-rx-flip", "0" },
		{ "feature-sg", "1" },
		{ "feature-rx-notify", "1" },
		{ "feature-gso-tcpv4", "1" },
		{ "feature-gso-tcpv6", "1" },
		{ "feature-ipv6-csum-offload", "1" },
		{ "feature-split-event-channels", "1" },
	};
	struct vif *v = arg;
	char nq[16], path[256];
	uint64_t old;
	int r;

	if (v->tap_fd < 0) {
		if ((r = tap_open(v->name)) < 0) {
			/* the frontend's restarts retry: limited */
			vif_log(v, LOG_WARNING, "%s: cannot create the TAP "
			    "device: %s", v->name, strerror(-r));
			return r;
		}
		v->tap_fd = r;
	}
	for (size_t i = 0; i < sizeof(feat) / sizeof(feat[0]); i++)
		if ((r = be_write(v, feat[i][0], feat[i][1])) < 0) {
			log_warnc(r, "%s: cannot write %s", v->name,
			    feat[i][0]);
			return r;
		}
	/*
	 * A frontend found connected when we start took what an earlier
	 * netbackd offered (perhaps more than we do now: a restart with
	 * a lower --max-queues). It is served as it is; the new offer is
	 * for its next connection.
	 */
	snprintf(path, sizeof(path), "%s/multi-queue-max-queues",
	    v->be_path);
	if (xstore_read_uint(v->nb->xs, XBT_NULL, path, NB_MAX_QUEUES,
	    &old) < 0)
		old = 0;
	v->offered = old > v->nb->max_queues ? (unsigned)old :
	    v->nb->max_queues;
	snprintf(nq, sizeof(nq), "%u", v->nb->max_queues);
	if ((r = be_write(v, "multi-queue-max-queues", nq)) < 0) {
		log_warnc(r, "%s: cannot write multi-queue-max-queues",
		    v->name);
		return r;
	}
	return 0;
}

/* fekeys_get over the frontend's directory in xenstore. */
static int
fe_get(void *arg, const char *key, uint64_t max, uint64_t *out)
{
	struct vif *v = arg;
	char path[256];

	snprintf(path, sizeof(path), "%s/%s",
	    xbe_dev_info(v->be)->fe_path, key);
	return xstore_read_uint(v->nb->xs, XBT_NULL, path, max, out);
}

/*
 * The toolstack's "ip" (Qubes: the client's addresses) turns on
 * anti-spoofing; a value that does not parse refuses the vif rather
 * than serve it unchecked.
 */
static int
read_spoof(struct vif *v)
{
	char path[256], *mac = NULL, *ip = NULL;
	int r;

	snprintf(path, sizeof(path), "%s/ip", v->be_path);
	if (xstore_read(v->nb->xs, XBT_NULL, path, &ip, NULL) == 0) {
		snprintf(path, sizeof(path), "%s/mac", v->be_path);
		xstore_read(v->nb->xs, XBT_NULL, path, &mac, NULL);
	}
	r = spoof_init(&v->spoof, mac, ip);
	if (r < 0)
		vif_log(v, LOG_WARNING, "%s: not served: the toolstack's "
		    "mac \"%s\" or ip \"%s\" does not parse", v->name,
		    mac ? mac : "", ip ? ip : "");
	free(mac);
	free(ip);
	return r;
}

/*
 * The toolstack's "rate" (xl's rate=): a limit on the guest's transmit,
 * for each of its queues (as the kernel's netback: each queue's thread
 * owns its credit, nothing shared to lock); absent: none. Read at
 * connect, where a value that does not parse refuses the vif (like ip)
 * rather than serve it unlimited, and again whenever it changes while connected (the scan's
 * watch sees it: vif_rate_changed), as the kernel's netback does.
 */
static int
read_rate(struct vif *v, uint64_t *bytes, uint64_t *usec, char **text)
{
	char path[256];
	int r;

	*bytes = *usec = 0;
	*text = NULL;
	snprintf(path, sizeof(path), "%s/rate", v->be_path);
	if ((r = xstore_read(v->nb->xs, XBT_NULL, path, text, NULL)) < 0)
		return r == -ENOENT ? 0 : r;
	return credit_parse(*text, bytes, usec);
}

static int
connect_rate(struct vif *v)
{
	uint64_t bytes, usec;
	char *s;
	int r;

	if ((r = read_rate(v, &bytes, &usec, &s)) == -EINVAL)
		vif_log(v, LOG_WARNING, "%s: not served: the toolstack's "
		    "rate \"%s\" does not parse", v->name, s);
	free(s);
	if (r == -EINVAL)
		return r;
	if (r < 0)
		bytes = usec = 0;	/* unreadable is absent, as before */
	v->said_rate = 0;
	v->rate_bytes = bytes;
	v->rate_usec = usec;
	return 0;
}

void
vif_rate_changed(struct vif *v)
{
	uint64_t bytes, usec;
	char *s;
	int r;

	if (v->nq == 0)
		return;		/* read at the next connect */
	r = read_rate(v, &bytes, &usec, &s);
	if (r == -EINVAL) {
		/* one line while the value stays bad */
		if (!v->said_rate)
			vif_log(v, LOG_WARNING, "%s: the toolstack's new rate "
			    "\"%s\" does not parse; keeping the old limit",
			    v->name, s);
		v->said_rate = 1;
		free(s);
		return;
	}
	free(s);
	if (r < 0 || (bytes == v->rate_bytes && usec == v->rate_usec)) {
		v->said_rate = r < 0 && v->said_rate;
		return;		/* unreadable: kept; or no change */
	}
	v->said_rate = 0;
	v->rate_bytes = bytes;
	v->rate_usec = usec;
	for (unsigned i = 0; i < v->nq; i++)
		queue_credit_changed(v->q[i], bytes, usec);
	if (bytes)
		vif_log(v, LOG_INFO, "%s: rate now %" PRIu64 " bytes per %"
		    PRIu64 " us", v->name, bytes, usec);
	else
		vif_log(v, LOG_INFO, "%s: rate limit removed", v->name);
}

/*
 * From a queue's thread: only the wakeup (the main loop is built with
 * evthread locks, netbackd.c), the vif decides on its own thread.
 */
static void
vif_queue_failed(void *arg)
{
	struct vif *v = arg;

	event_active(v->fail_ev, 0, 0);
}

/*
 * From a fresh event: xbe_dev_fail disconnects (and may free v). A
 * wakeup from queues since stopped (a disconnect came first) finds no
 * failure and does nothing.
 */
static void
on_fail(evutil_socket_t fd, short what, void *arg)
{
	struct vif *v = arg;
	const char *reason = NULL;

	for (unsigned i = 0; i < v->nq && reason == NULL; i++)
		reason = queue_failure(v->q[i]);
	if (reason == NULL)
		return;
	v->c.hostile++;
	v->said_hostile = 1;
	vif_log(v, LOG_WARNING, "%s: frontend broke the protocol (%s); "
	    "disconnecting", v->name, reason);
	xbe_dev_fail(v->be);
}

/* The queues and their extra fds on the TAP; NULLs and -1s are fine. */
static void
stop_queues(struct vif *v)
{
	for (unsigned i = 0; i < NB_MAX_QUEUES; i++) {
		queue_stop(v->q[i]);
		v->q[i] = NULL;
		if (i > 0)
			tap_close(v->qtap[i], 0);
		v->qtap[i] = -1;
	}
	v->nq = 0;
}

static int
vif_connect(struct xbe_dev *d, void *arg)
{
	struct vif *v = arg;
	struct queue_keys k[NB_MAX_QUEUES];
	struct queue_env env = {
		.domid = v->domid, .self = v->nb->self, .name = v->name,
		.spoof = &v->spoof,
		.failed = vif_queue_failed, .arg = v,
	};
	const char *why;
	char copies[80] = "";
	unsigned nq, i;
	int r;

	if ((r = read_spoof(v)) < 0 || (r = connect_rate(v)) < 0)
		return r;
	env.rate_bytes = v->rate_bytes;
	env.rate_usec = v->rate_usec;
	if ((why = fekeys_read(fe_get, v, v->offered, k, &nq)) != NULL) {
		v->c.hostile++;
		vif_log(v, LOG_WARNING, "%s: refusing the frontend: %s",
		    v->name, why);
		return -EPROTO;
	}
	v->qtap[0] = v->tap_fd;
	for (i = 0; i < nq; i++) {
		if (i > 0 && (r = v->qtap[i] = tap_open(v->name)) < 0)
			break;
		env.tap_fd = v->qtap[i];
		env.index = i;
		env.c = &v->qc[i];
		if ((r = queue_start(&env, &k[i], &v->q[i])) < 0) {
			v->q[i] = NULL;
			break;
		}
	}
	if (i < nq) {
		stop_queues(v);
		vif_log(v, LOG_WARNING, "%s: cannot connect queue %u: %s",
		    v->name, i, strerror(-r));
		return r;
	}
	v->nq = nq;
	v->said_hostile = 0;
	v->c.connects++;
	/* (all its queues try alike; the first says how it went) */
	if ((r = queue_copy_path(v->q[0])) < 0)
		snprintf(copies, sizeof(copies), ", copies through gntdev: %s",
		    strerror(-r));
	vif_log(v, LOG_INFO, "%s connected (%u queue%s, %s%s%s%s%s%s%s)",
	    v->name, nq, nq > 1 ? "s" : "",
	    k[0].sg ? "sg" : "no sg",
	    k[0].port_tx != k[0].port_rx ? ", split" : "",
	    k[0].csum_blank ? ", csum offload" : "",
	    k[0].rx_gso & 1u << XEN_NETIF_GSO_TYPE_TCPV4 ? ", tso4" : "",
	    k[0].rx_gso & 1u << XEN_NETIF_GSO_TYPE_TCPV6 ? ", tso6" : "",
	    v->rate_bytes ? ", rate limited" : "", copies);
	return 0;
}

static void
vif_disconnect(struct xbe_dev *d, void *arg)
{
	struct vif *v = arg;

	stop_queues(v);
	if (!v->said_hostile)
		vif_log(v, LOG_INFO, "%s disconnected", v->name);
}

static void
vif_removed(struct xbe_dev *d, void *arg)
{
	struct vif *v = arg;

	vif_log(v, LOG_INFO, "%s removed by the toolstack", v->name);
	vif_free(v, 1);
}

static const struct xbe_ops vif_ops = {
	vif_features, vif_connect, vif_disconnect, vif_removed,
};

int
vif_new(struct nb *nb, uint32_t domid, unsigned devid, const char *be_path)
{
	struct vif *v;
	int r = -ENOMEM;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return -ENOMEM;
	v->nb = nb;
	v->domid = domid;
	v->devid = devid;
	v->tap_fd = -1;
	v->offered = nb->max_queues;
	for (unsigned i = 0; i < NB_MAX_QUEUES; i++)
		v->qtap[i] = -1;
	snprintf(v->name, sizeof(v->name), "vif%u.%u", domid, devid);
	if ((v->be_path = strdup(be_path)) == NULL ||
	    (v->dom = dom_get(nb, domid)) == NULL ||
	    (v->fail_ev = event_new(nb->base, -1, 0, on_fail, v)) == NULL)
		goto fail;
	v->next = nb->vifs;
	nb->vifs = v;
	nb->nvifs++;
	/* The toolstack's hotplug script reports hotplug-status. */
	if ((r = xbe_dev_new(nb->xs, be_path, 1, &vif_ops, v, &v->be)) < 0) {
		v->be = NULL;
		vif_free(v, 1);
		return r;
	}
	/* the watches fired at registration evaluate it */
	return 0;
fail:
	free(v->be_path);
	if (v->fail_ev)
		event_free(v->fail_ev);
	dom_put(nb, v->dom);
	free(v);
	return r;
}

void
vif_free(struct vif *v, int gone)
{
	struct nb *nb = v->nb;

	for (struct vif **pp = &nb->vifs; *pp; pp = &(*pp)->next)
		if (*pp == v) {
			*pp = v->next;
			nb->nvifs--;
			break;
		}
	xbe_dev_free(v->be);	/* disconnects a connected one */
	stop_queues(v);
	tap_close(v->tap_fd, gone);
	event_free(v->fail_ev);
	dom_put(nb, v->dom);
	free(v->be_path);
	free(v);
}

int
vif_state(const struct vif *v)
{
	return v->be ? xbe_dev_state(v->be) : -1;
}
