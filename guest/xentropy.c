/* The xentropyd client library, for guests (see xentropy-protocol(7)). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#include "xentropy.h"

#include "gvchan.h"
#include "xentropy_proto.h"

struct xentropy {
	struct gvchan *vc;
	unsigned int window;
};

struct presence {
	unsigned int version;
	uint32_t server;
	char state[16];
	char gen[64];
};

static int
left_ms(int64_t deadline)
{
	int64_t l = deadline - gvchan_now_ms();

	return l > 0 ? (int)l : 0;
}

/* The channel is guest/gvchan.c: non-blocking, every wait bounded. */
ssize_t
xentropy_raw_read(struct xentropy *x, void *buf, size_t n, int timeout_ms)
{
	return gvchan_read(x->vc, buf, n, timeout_ms);
}

int
xentropy_raw_read_full(struct xentropy *x, void *buf, size_t n,
		       int timeout_ms)
{
	return gvchan_read_full(x->vc, buf, n, timeout_ms);
}

int
xentropy_raw_write(struct xentropy *x, const void *buf, size_t n,
		   int timeout_ms)
{
	return gvchan_write_all(x->vc, buf, n, timeout_ms);
}

/* Reads and parses data/xentropy/server: "1 <domid> <state> [<gen>]". */
static int
read_presence(struct xs_handle *xs, const char *path, struct presence *p)
{
	unsigned int len;
	char *v = xs_read(xs, XBT_NULL, path, &len);
	int n;

	if (v == NULL)
		return errno == EACCES ? -EACCES : -ENOENT;
	memset(p, 0, sizeof(*p));
	n = sscanf(v, "%u %" SCNu32 " %15s %63s", &p->version, &p->server,
	    p->state, p->gen);
	free(v);
	if (n < 1)
		return -EPROTO;
	if (p->version != XENTROPY_VERSION)
		return -EPROTONOSUPPORT;
	return n >= 3 ? 0 : -EPROTO;
}

static int
ask(struct xs_handle *xs, const char *base)
{
	static unsigned int seq;
	char path[128], val[64];

	snprintf(path, sizeof(path), "%s/request", base);
	snprintf(val, sizeof(val), "%ld.%u.%" PRId64, (long)getpid(), ++seq,
	    gvchan_now_ms());
	if (!xs_write(xs, XBT_NULL, path, val, strlen(val)))
		return errno ? -errno : -EIO;
	return 0;
}

static void
sleep_ms(uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* How often the presence key is read again while waiting for the daemon. */
#define XENTROPY_POLL_MS 20

const char *xentropy_step = "";

int
xentropy_open(int timeout_ms, struct xentropy **out)
{
	int64_t deadline = gvchan_now_ms() + timeout_ms;
	struct xs_handle *xs;
	struct presence p;
	char base[64], spath[96], vpath[96], tried[64] = "", *id;
	unsigned int len;
	int r, asked = 0;

	/*
	 * No xenstore watch here: libxenstore answers a watch with a reader
	 * thread, and a short bounded poll of one key is simpler and enough.
	 */
	xentropy_step = "open xenstore";
	xs = xs_open(0);
	if (xs == NULL)
		return errno ? -errno : -ENOENT;
	xentropy_step = "read domid";
	id = xs_read(xs, XBT_NULL, "domid", &len);
	if (id == NULL) {
		r = errno ? -errno : -EIO;
		goto out;
	}
	snprintf(base, sizeof(base), "/local/domain/%s/data/xentropy", id);
	free(id);
	snprintf(spath, sizeof(spath), "%s/server", base);
	snprintf(vpath, sizeof(vpath), "%s/vchan", base);
	for (;;) {
		xentropy_step = "read presence";
		if ((r = read_presence(xs, spath, &p)) < 0)
			goto out;	/* -ENOENT: no entropy daemon */
		if (strcmp(p.state, "ready") == 0 && strcmp(p.gen, tried)) {
			struct gvchan *vc = NULL;
			char key[128], *ref;

			/* ring-ref is written with the presence key. */
			xentropy_step = "connect";
			snprintf(key, sizeof(key), "%s/ring-ref", vpath);
			ref = xs_read(xs, XBT_NULL, key, &len);
			if (ref != NULL) {
				free(ref);
				if (gvchan_attach(p.server, vpath, &vc) < 0)
					vc = NULL;
			}
			if (vc) {
				*out = calloc(1, sizeof(**out));
				if (*out == NULL) {
					gvchan_close(vc);
					r = -ENOMEM;
					goto out;
				}
				(*out)->vc = vc;
				(*out)->window = XENTROPY_WINDOW;
				r = 0;
				goto out;
			}
			/* A stale channel (the daemon died): ask for anew. */
			snprintf(tried, sizeof(tried), "%s", p.gen);
			xentropy_step = "ask again";
			if ((r = ask(xs, base)) < 0)
				goto out;
			asked = 1;
		} else if (strcmp(p.state, "idle") == 0 && !asked) {
			xentropy_step = "ask";
			if ((r = ask(xs, base)) < 0)
				goto out;
			asked = 1;
		} else if (strcmp(p.state, "denied") == 0) {
			r = -EACCES;
			goto out;
		}
		/* Otherwise wait for the daemon to change the key. */
		xentropy_step = "wait for a channel";
		if (left_ms(deadline) == 0) {
			r = -ETIMEDOUT;
			goto out;
		}
		sleep_ms(XENTROPY_POLL_MS < left_ms(deadline) ?
		    XENTROPY_POLL_MS : (uint32_t)left_ms(deadline));
	}
out:
	xs_close(xs);
	return r;
}


/*
 * Requests kept in flight. The daemon streams an answer as its ring frees
 * and reads no further requests meanwhile; they wait in the 1 KiB
 * guest-to-daemon ring, which holds 64. So a window of at most 32 requests
 * never fills the request ring, and writing them cannot block while the
 * daemon waits for us to read. A deeper window keeps a large ring full
 * across the round trips of the event channel.
 */
int
xentropy_set_window(struct xentropy *x, unsigned int window)
{
	if (window == 0 || window > XENTROPY_MAX_WINDOW)
		return -EINVAL;
	x->window = window;
	return 0;
}

int
xentropy_read(struct xentropy *x, void *buf, size_t n, int flags,
	      int timeout_ms, size_t *gotp, uint32_t *retryp)
{
	int64_t deadline = gvchan_now_ms() + timeout_ms;
	uint8_t req[XENTROPY_MAX_WINDOW * XENTROPY_REQ_LEN];
	uint8_t head[XENTROPY_RESP_HEAD];
	uint32_t wants[XENTROPY_MAX_WINDOW];
	unsigned int window = x->window;
	size_t got = 0, asked = 0;
	unsigned int first = 0, inflight = 0, nreq;
	uint32_t retry = 0;
	int r = 0, throttled = 0;

	while (got < n) {
		struct xentropy_resp resp;
		uint32_t want;

		/*
		 * Keep the window full, unless we were told to slow down: in
		 * one write, so the daemon gets one event for all of them.
		 */
		nreq = 0;
		while (!throttled && inflight < window && asked < n) {
			want = n - asked > XENTROPY_MAX_REQUEST ?
			    XENTROPY_MAX_REQUEST : (uint32_t)(n - asked);
			xentropy_encode_request(req + nreq * XENTROPY_REQ_LEN,
			    want);
			nreq++;
			wants[(first + inflight++) % window] = want;
			asked += want;
		}
		if (nreq && (r = xentropy_raw_write(x, req,
		    nreq * XENTROPY_REQ_LEN, left_ms(deadline))) < 0)
			goto out;
		want = wants[first];
		first = (first + 1) % window;
		inflight--;
		if ((r = xentropy_raw_read_full(x, head, sizeof(head),
		    left_ms(deadline))) < 0)
			goto out;
		if (xentropy_parse_response(head, sizeof(head), want, &resp) !=
		    XENTROPY_P_FRAME) {
			r = -EPROTO;
			goto out;
		}
		if (resp.data_len && (r = xentropy_raw_read_full(x,
		    (uint8_t *)buf + got, resp.data_len,
		    left_ms(deadline))) < 0)
			goto out;
		got += resp.data_len;
		switch (resp.status) {
		case XENTROPY_OK:
		case XENTROPY_RATE_LIMITED:
		case XENTROPY_UNAVAILABLE:
			break;
		case XENTROPY_BAD_VERSION:
			r = -EPROTONOSUPPORT;
			goto out;
		default:
			r = -EINVAL;
			goto out;
		}
		if (resp.data_len < want) {
			/* Short: ask again for the rest, after retry_after. */
			asked -= want - resp.data_len;
			if (resp.retry_after_ms > retry)
				retry = resp.retry_after_ms;
			throttled = 1;
		}
		if (!throttled || inflight > 0)
			continue;
		/* Every answer in: wait out the limit, or say so. */
		if ((flags & XENTROPY_NOWAIT) ||
		    (int64_t)retry >= left_ms(deadline)) {
			r = -EAGAIN;
			goto out;
		}
		sleep_ms(retry);
		retry = 0;
		throttled = 0;
	}
	retry = 0;
out:
	if (gotp)
		*gotp = got;
	if (retryp)
		*retryp = retry;
	return r;
}

void
xentropy_close(struct xentropy *x)
{
	if (x == NULL)
		return;
	gvchan_close(x->vc);
	free(x);
}

