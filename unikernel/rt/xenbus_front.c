/* A xenbus frontend over xs_client.c. */
#include <errno.h>
#include <string.h>

#include "fmt.h"
#include "xen.h"
#include "num.h"
#include "xenbus_front.h"
#include "xs_client.h"

/* A path under dir, or -ENAMETOOLONG. */
static int
xbf_path(char *buf, size_t cap, const char *dir, const char *key)
{
	int n = fmt_snprintf(buf, cap, "%s/%s", dir, key);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int
xbf_open(struct xbf *f, const char *node)
{
	char path[XBF_PATH_MAX], val[16];
	int r;

	memset(f, 0, sizeof(*f));
	if (strlen(node) >= sizeof(f->node))
		return -ENAMETOOLONG;
	memcpy(f->node, node, strlen(node) + 1);
	f->state = XenbusStateUnknown;
	if ((r = xbf_path(path, sizeof(path), node, "backend")) < 0)
		return r;
	r = xs_read(0, path, f->backend, sizeof(f->backend));
	if (r == -ERANGE)
		return -ENAMETOOLONG;
	if (r < 0)
		return r;
	if (f->backend[0] != '/')
		return -EPROTO;
	if ((r = xbf_path(path, sizeof(path), node, "backend-id")) < 0 ||
	    (r = xs_read(0, path, val, sizeof(val))) < 0)
		return r == -ERANGE ? -EPROTO : r;
	if (num_parse_u32(val, DOMID_FIRST_RESERVED - 1, &f->backend_id) < 0)
		return -EPROTO;
	/* Where the toolstack (or an earlier run of ours) left our state. */
	if ((r = xbf_path(path, sizeof(path), node, "state")) < 0)
		return r;
	r = xs_read(0, path, val, sizeof(val));
	if (r >= 0 && xbstate_parse(val, (size_t)r, &f->state) < 0)
		return -EPROTO;
	if (r < 0 && r != -ENOENT)
		return r == -ERANGE ? -EPROTO : r;
	fmt_snprintf(f->token, sizeof(f->token), "xbf:%s", node);
	if ((r = xbf_path(path, sizeof(path), f->backend, "state")) < 0)
		return r;
	return xs_watch(path, f->token);
}

void
xbf_close(struct xbf *f)
{
	char path[XBF_PATH_MAX];

	if (xbf_path(path, sizeof(path), f->backend, "state") == 0)
		xs_unwatch(path, f->token);
}

static int
xbf_write_state(struct xbf *f, uint32_t tx, int state)
{
	char path[XBF_PATH_MAX], val[4];

	if (xbf_path(path, sizeof(path), f->node, "state") < 0)
		return -ENAMETOOLONG;
	fmt_snprintf(val, sizeof(val), "%d", state);
	return xs_write(tx, path, val);
}

int
xbf_publish(struct xbf *f, const struct xbf_kv *kv, unsigned n, int state)
{
	char path[XBF_PATH_MAX];
	int r = -EAGAIN;

	if (!xbstate_may(XBSTATE_FRONTEND, f->state, state))
		return -EINVAL;
	for (unsigned try = 0; try < XBF_TX_TRIES && r == -EAGAIN; try++) {
		uint32_t tx;

		if ((r = xs_tx_start(&tx)) < 0)
			return r;
		for (unsigned i = 0; i < n && r >= 0; i++) {
			r = xbf_path(path, sizeof(path), f->node, kv[i].key);
			if (r == 0)
				r = xs_write(tx, path, kv[i].value);
		}
		if (r >= 0)
			r = xbf_write_state(f, tx, state);
		if (r < 0) {
			xs_tx_end(tx, 0);
			return r;
		}
		r = xs_tx_end(tx, 1);
	}
	if (r == 0)
		f->state = state;
	return r;
}

int
xbf_switch(struct xbf *f, int state)
{
	int r;

	if (!xbstate_may(XBSTATE_FRONTEND, f->state, state))
		return -EINVAL;
	if ((r = xbf_write_state(f, 0, state)) == 0)
		f->state = state;
	return r;
}

int
xbf_backend_state(struct xbf *f, int *state)
{
	char path[XBF_PATH_MAX], val[8];
	int r;

	if ((r = xbf_path(path, sizeof(path), f->backend, "state")) < 0)
		return r;
	r = xs_read(0, path, val, sizeof(val));
	if (r == -ENOENT) {
		*state = XenbusStateUnknown;
		return 0;
	}
	if (r == -ERANGE)
		return -EPROTO;
	if (r < 0)
		return r;
	return xbstate_parse(val, (size_t)r, state) < 0 ? -EPROTO : 0;
}

int
xbf_wait_backend(struct xbf *f, unsigned mask, uint64_t deadline)
{
	char path[XBF_PATH_MAX];

	/*
	 * Read after each event, not from it: the watch says the node
	 * changed, and the value now is what counts. The first event comes
	 * when the watch is set, so nothing before it is missed.
	 */
	for (;;) {
		int state, r = xbf_backend_state(f, &state);

		if (r < 0)
			return r;
		if (mask & (1u << state))
			return state;
		r = xs_watch_take(f->token, path, sizeof(path), deadline);
		if (r < 0)
			return r;
	}
}
