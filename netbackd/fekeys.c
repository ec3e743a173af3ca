/* The frontend's keys of a vif, by netif.h's layout. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fekeys.h"

static int
flag(fekeys_get *get, void *arg, const char *key)
{
	uint64_t x;

	return get(arg, key, 1, &x) == 0 && x == 1;
}

/* One queue's rings and channels, under prefix ("" or "queue-N/"). */
static const char *
read_queue(fekeys_get *get, void *arg, const char *prefix,
	   struct queue_keys *k)
{
	char key[64];
	uint64_t tx, rx, p, p2;

#define KEY(name) (snprintf(key, sizeof(key), "%s%s", prefix, name), key)
	if (get(arg, KEY("tx-ring-ref"), UINT32_MAX, &tx) < 0 ||
	    get(arg, KEY("rx-ring-ref"), UINT32_MAX, &rx) < 0)
		return "no valid tx-ring-ref and rx-ring-ref";
	if (tx == rx)
		return "tx-ring-ref and rx-ring-ref are one grant";
	if (get(arg, KEY("event-channel"), UINT32_MAX, &p) == 0) {
		p2 = p;
	} else if (get(arg, KEY("event-channel-tx"), UINT32_MAX, &p) == 0 &&
	    get(arg, KEY("event-channel-rx"), UINT32_MAX, &p2) == 0) {
		if (p == p2)
			return "event-channel-tx and -rx are one port";
	} else {
		return "no valid event-channel";
	}
#undef KEY
	k->tx_ref = (uint32_t)tx;
	k->rx_ref = (uint32_t)rx;
	k->port_tx = (evtchn_port_t)p;
	k->port_rx = (evtchn_port_t)p2;
	return NULL;
}

/* Two queues sharing a ring or a port would serve one ring twice. */
static int
shared(const struct queue_keys *a, const struct queue_keys *b)
{
	return a->tx_ref == b->tx_ref || a->tx_ref == b->rx_ref ||
	    a->rx_ref == b->tx_ref || a->rx_ref == b->rx_ref ||
	    a->port_tx == b->port_tx || a->port_tx == b->port_rx ||
	    a->port_rx == b->port_tx || a->port_rx == b->port_rx;
}

const char *
fekeys_read(fekeys_get *get, void *arg, unsigned max_queues,
	    struct queue_keys *k, unsigned *nq)
{
	struct queue_keys f;
	const char *why;
	char prefix[32];
	uint64_t n = 1;
	int r;

	*nq = 0;
	memset(&f, 0, sizeof(f));
	/* absent: a frontend without multi-queue, one queue */
	if ((r = get(arg, "multi-queue-num-queues", UINT16_MAX, &n)) < 0 &&
	    r != -ENOENT)
		return "multi-queue-num-queues does not parse";
	if (n == 0)
		return "multi-queue-num-queues is 0";
	if (n > max_queues)
		return "more queues than multi-queue-max-queues";
	if (!flag(get, arg, "request-rx-copy"))
		return "no request-rx-copy (rx-flip is not supported)";
	/* the rx engine waits on req_event for requests: the frontend
	   must notify (Linux's netback requires it too) */
	if (!flag(get, arg, "feature-rx-notify"))
		return "no feature-rx-notify";
	f.sg = flag(get, arg, "feature-sg");
	f.csum_blank = !flag(get, arg, "feature-no-csum-offload");
	if (flag(get, arg, "feature-gso-tcpv4"))
		f.rx_gso |= 1u << XEN_NETIF_GSO_TYPE_TCPV4;
	if (flag(get, arg, "feature-gso-tcpv6"))
		f.rx_gso |= 1u << XEN_NETIF_GSO_TYPE_TCPV6;
	for (unsigned i = 0; i < n; i++) {
		k[i] = f;
		if (n == 1)
			prefix[0] = '\0';
		else
			snprintf(prefix, sizeof(prefix), "queue-%u/", i);
		if ((why = read_queue(get, arg, prefix, &k[i])) != NULL)
			return why;
		for (unsigned j = 0; j < i; j++)
			if (shared(&k[i], &k[j]))
				return "two queues share a ring or a port";
	}
	*nq = (unsigned)n;
	return NULL;
}
