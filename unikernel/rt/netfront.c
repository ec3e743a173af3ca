/*
 * Setting netfront up: the vif's nodes, the pages granted to the backend,
 * the event channel, and the xenbus handshake. The data path is
 * netfront_io.c's.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "evtchn.h"
#include "fmt.h"
#include "hypercall.h"
#include "netfront.h"
#include "page.h"
#include "xs_client.h"

int
nf_parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned v = 0;

		for (int k = 0; k < 2; k++) {
			char c = *s++;

			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v |= (unsigned)(c - 'A' + 10);
			else
				return -EINVAL;
		}
		mac[i] = (uint8_t)v;
		if (*s++ != (i == 5 ? '\0' : ':'))
			return -EINVAL;
	}
	return 0;
}

/* A page of ours, granted to the backend. */
static int
nf_page(struct netfront *nf, int readonly, uint8_t **page, grant_ref_t *ref)
{
	int r;

	if ((*page = page_alloc()) == NULL)
		return -ENOMEM;
	r = gnttab_grant((domid_t)nf->xb.backend_id, *page, readonly);
	if (r < 0)
		return r;
	*ref = (grant_ref_t)r;
	return 0;
}

static int
nf_read_node(const char *dir, const char *key, char *buf, size_t cap)
{
	char path[XBF_PATH_MAX];

	if (fmt_snprintf(path, sizeof(path), "%s/%s", dir, key) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	return xs_read(0, path, buf, cap);
}

static int
nf_setup(struct netfront *nf)
{
	struct evtchn_alloc_unbound op = {
		.dom = DOMID_SELF, .remote_dom = (domid_t)nf->xb.backend_id };
	uint8_t *p;
	int r;

	if ((r = gnttab_init()) < 0)
		return r;
	if ((r = nf_page(nf, 0, &p, &nf->tx_ref)) < 0)
		return r;
	nf->txs = (struct netif_tx_sring *)p;
	netring_front_init(&nf->tx, p, NETRING_TX_SIZE);
	if ((r = nf_page(nf, 0, &p, &nf->rx_ref)) < 0)
		return r;
	nf->rxs = (struct netif_rx_sring *)p;
	netring_front_init(&nf->rx, p, NETRING_RX_SIZE);
	netring_front_ids_init(&nf->tx_ids, NF_TX_BUFS);
	netring_front_ids_init(&nf->rx_ids, NF_RX_BUFS);
	for (unsigned i = 0; i < NF_TX_BUFS; i++)
		if ((r = nf_page(nf, 1, &nf->txb[i].page, &nf->txb[i].ref)) < 0)
			return r;
	for (unsigned i = 0; i < NF_RX_BUFS; i++)
		if ((r = nf_page(nf, 0, &nf->rxb[i].page, &nf->rxb[i].ref)) < 0)
			return r;
	if ((r = (int)hc_event_channel_op(EVTCHNOP_alloc_unbound, &op)) < 0)
		return r;
	nf->port = op.port;
	return ev_register(nf->port, nf_event, nf);
}

static int
nf_connect(struct netfront *nf)
{
	char txref[12], rxref[12], port[12];
	struct xbf_kv kv[] = {
		{ "tx-ring-ref", txref },
		{ "rx-ring-ref", rxref },
		{ "event-channel", port },
		{ "request-rx-copy", "1" },
		{ "feature-rx-notify", "1" },
		/* we check every checksum: the backend must fill them in */
		{ "feature-no-csum-offload", "1" },
		{ "feature-sg", "0" },
		{ "feature-gso-tcpv4", "0" },
	};
	uint64_t t;
	int r;

	fmt_snprintf(txref, sizeof(txref), "%u", (unsigned)nf->tx_ref);
	fmt_snprintf(rxref, sizeof(rxref), "%u", (unsigned)nf->rx_ref);
	fmt_snprintf(port, sizeof(port), "%u", (unsigned)nf->port);
	/* The toolstack wrote Initialising, and xbf_open took it as ours
	   (xbf_switch refuses a move to where we are); from Unknown, or an
	   earlier run's Closed, we say it, as the move's start. */
	if (nf->xb.state != XenbusStateInitialising &&
	    (r = xbf_switch(&nf->xb, XenbusStateInitialising)) < 0)
		return r;
	t = tm_now() + NF_CONNECT_TIMEOUT_S * TM_S;
	r = xbf_wait_backend(&nf->xb, 1u << XenbusStateInitWait |
			     1u << XenbusStateConnected, t);
	if (r < 0)
		return r;
	/* rx buffers posted before the backend looks at the ring */
	nf_rx_refill(nf);
	r = xbf_publish(&nf->xb, kv, sizeof(kv) / sizeof(kv[0]),
			XenbusStateConnected);
	if (r < 0)
		return r;
	t = tm_now() + NF_CONNECT_TIMEOUT_S * TM_S;
	r = xbf_wait_backend(&nf->xb, 1u << XenbusStateConnected, t);
	return r < 0 ? r : 0;
}

int
nf_open(struct netfront *nf, const char *node, const struct nf_config *cfg)
{
	char mac[24];
	int r;

	memset(nf, 0, sizeof(*nf));
	nf->cfg = *cfg;
	if ((r = xbf_open(&nf->xb, node)) < 0)
		return r;
	r = nf_read_node(node, "mac", mac, sizeof(mac));
	if (r == -ERANGE || (r >= 0 && nf_parse_mac(mac, nf->mac) < 0))
		return -EPROTO;
	if (r < 0)
		return r;
	r = nf_read_node(nf->xb.backend, "ip", nf->ip, sizeof(nf->ip));
	if (r == -ERANGE)
		return -EPROTO;
	if (r < 0)
		nf->ip[0] = '\0';
	if ((r = nf_setup(nf)) < 0)
		return r;
	return nf_connect(nf);
}
