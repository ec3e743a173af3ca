/*
 * A vif's xenbus life. Frontend keys are read once at connect and
 * validated before anything is mapped; a frontend that does not follow
 * netif.h is refused (Closing, through xenbus_be's failed rule) with
 * one rate-limited line, and served again when it starts over.
 */
#include "config.h"

#include <errno.h>
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
	/* What we offer; the rest (multi-queue) is absent, so a
	   frontend does not use it. */
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
	return 0;
}

/* A frontend key: -ENOENT when absent, -ERANGE above max. */
static int
fe_uint(struct vif *v, const char *key, uint64_t max, uint64_t *out)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s",
	    xbe_dev_info(v->be)->fe_path, key);
	return xstore_read_uint(v->nb->xs, XBT_NULL, path, max, out);
}

static int
fe_flag(struct vif *v, const char *key)
{
	uint64_t x;

	return fe_uint(v, key, 1, &x) == 0 && x == 1;
}

/* The frontend's keys; a reason for refusing it, or NULL. */
static const char *
read_keys(struct vif *v, struct queue_keys *k)
{
	uint64_t tx, rx, p, p2, nq;

	memset(k, 0, sizeof(*k));
	if (fe_uint(v, "multi-queue-num-queues", 0xffff, &nq) == 0 &&
	    nq != 1)
		return "multi-queue-num-queues not offered";
	if (fe_uint(v, "tx-ring-ref", UINT32_MAX, &tx) < 0 ||
	    fe_uint(v, "rx-ring-ref", UINT32_MAX, &rx) < 0)
		return "no valid tx-ring-ref and rx-ring-ref";
	if (fe_uint(v, "event-channel", UINT32_MAX, &p) == 0) {
		p2 = p;
	} else if (fe_uint(v, "event-channel-tx", UINT32_MAX, &p) == 0 &&
	    fe_uint(v, "event-channel-rx", UINT32_MAX, &p2) == 0) {
		if (p == p2)
			return "event-channel-tx and -rx are one port";
	} else {
		return "no valid event-channel";
	}
	if (!fe_flag(v, "request-rx-copy"))
		return "no request-rx-copy (rx-flip is not supported)";
	/* the rx engine waits on req_event for requests: the frontend
	   must notify (Linux's netback requires it too) */
	if (!fe_flag(v, "feature-rx-notify"))
		return "no feature-rx-notify";
	k->tx_ref = (uint32_t)tx;
	k->rx_ref = (uint32_t)rx;
	k->port_tx = (evtchn_port_t)p;
	k->port_rx = (evtchn_port_t)p2;
	k->sg = fe_flag(v, "feature-sg");
	k->csum_blank = !fe_flag(v, "feature-no-csum-offload");
	if (fe_flag(v, "feature-gso-tcpv4"))
		k->rx_gso |= 1u << XEN_NETIF_GSO_TYPE_TCPV4;
	if (fe_flag(v, "feature-gso-tcpv6"))
		k->rx_gso |= 1u << XEN_NETIF_GSO_TYPE_TCPV6;
	return NULL;
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

static void
vif_hostile(void *arg, const char *reason)
{
	struct vif *v = arg;

	v->c.hostile++;
	v->said_hostile = 1;
	vif_log(v, LOG_WARNING, "%s: frontend broke the protocol (%s); "
	    "disconnecting", v->name, reason);
	event_active(v->fail_ev, 0, 0);
}

/* From a fresh event: xbe_dev_fail disconnects (and may free v). */
static void
on_fail(evutil_socket_t fd, short what, void *arg)
{
	struct vif *v = arg;

	if (v->q)
		xbe_dev_fail(v->be);
}

static int
vif_connect(struct xbe_dev *d, void *arg)
{
	struct vif *v = arg;
	struct queue_keys k;
	const char *why;
	struct queue_env env = {
		.g = v->nb->gnt, .e = v->nb->ev, .base = v->nb->base,
		.domid = v->domid, .tap_fd = v->tap_fd, .c = &v->c,
		.spoof = &v->spoof, .hostile = vif_hostile, .arg = v,
	};
	int r;

	if ((r = read_spoof(v)) < 0)
		return r;
	if ((why = read_keys(v, &k)) != NULL) {
		v->c.hostile++;
		vif_log(v, LOG_WARNING, "%s: refusing the frontend: %s",
		    v->name, why);
		return -EPROTO;
	}
	if ((r = queue_start(&env, &k, &v->q)) < 0) {
		v->q = NULL;
		vif_log(v, LOG_WARNING, "%s: cannot connect: %s", v->name,
		    strerror(-r));
		return r;
	}
	v->said_hostile = 0;
	v->c.connects++;
	vif_log(v, LOG_INFO, "%s connected (%s%s%s%s%s)", v->name,
	    k.sg ? "sg" : "no sg", k.port_tx != k.port_rx ? ", split" : "",
	    k.csum_blank ? ", csum offload" : "",
	    k.rx_gso & 1u << XEN_NETIF_GSO_TYPE_TCPV4 ? ", tso4" : "",
	    k.rx_gso & 1u << XEN_NETIF_GSO_TYPE_TCPV6 ? ", tso6" : "");
	return 0;
}

static void
vif_disconnect(struct xbe_dev *d, void *arg)
{
	struct vif *v = arg;

	queue_stop(v->q);
	v->q = NULL;
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
	queue_stop(v->q);
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
