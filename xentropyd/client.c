/* The xentropyd client library, for guests (see xentropy-protocol(7)). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#include "client.h"
#include "gvchan.h"
#include "proto.h"

struct xentropy {
	struct gvchan *v;
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

/* Reads and parses data/xentropy/server: "1 <domid> <state> [<gen>]". */
static int
read_presence(struct xs_handle *xs, const char *path, struct presence *p)
{
	unsigned int len;
	char *v = xs_read(xs, XBT_NULL, path, &len);
	int n;

	if (v == NULL)
		return -ENOENT;
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

int
xentropy_open(int timeout_ms, struct xentropy **out)
{
	int64_t deadline = gvchan_now_ms() + timeout_ms;
	struct xs_handle *xs;
	struct presence p;
	char base[64], spath[96], vpath[96], tried[64] = "", *id;
	unsigned int len;
	int r, asked = 0;

	xs = xs_open(0);
	if (xs == NULL)
		return errno ? -errno : -ENOENT;
	id = xs_read(xs, XBT_NULL, "domid", &len);
	if (id == NULL) {
		r = errno ? -errno : -EIO;
		goto out;
	}
	snprintf(base, sizeof(base), "/local/domain/%s/data/xentropy", id);
	free(id);
	snprintf(spath, sizeof(spath), "%s/server", base);
	snprintf(vpath, sizeof(vpath), "%s/vchan", base);
	xs_watch(xs, spath, "xentropy");
	for (;;) {
		struct pollfd pfd = { xs_fileno(xs), POLLIN, 0 };
		char **w;

		if ((r = read_presence(xs, spath, &p)) < 0)
			goto out;	/* -ENOENT: no entropy daemon */
		if (strcmp(p.state, "ready") == 0 && strcmp(p.gen, tried)) {
			struct gvchan *v;

			r = gvchan_connect(p.server, vpath, left_ms(deadline),
			    &v);
			if (r == 0) {
				*out = calloc(1, sizeof(**out));
				if (*out == NULL) {
					gvchan_close(v);
					r = -ENOMEM;
					goto out;
				}
				(*out)->v = v;
				goto out;
			}
			/* A stale channel (the daemon died): ask for anew. */
			snprintf(tried, sizeof(tried), "%s", p.gen);
			if ((r = ask(xs, base)) < 0)
				goto out;
			asked = 1;
		} else if (strcmp(p.state, "idle") == 0 && !asked) {
			if ((r = ask(xs, base)) < 0)
				goto out;
			asked = 1;
		} else if (strcmp(p.state, "denied") == 0) {
			r = -EACCES;
			goto out;
		}
		/* Otherwise wait for the daemon to change the key. */
		if (left_ms(deadline) == 0) {
			r = -ETIMEDOUT;
			goto out;
		}
		if (poll(&pfd, 1, left_ms(deadline)) > 0 &&
		    (w = xs_read_watch(xs, &len)) != NULL)
			free(w);
	}
out:
	xs_close(xs);
	return r;
}

static void
sleep_ms(uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int
xentropy_read(struct xentropy *x, void *buf, size_t n, int flags,
	      int timeout_ms, size_t *gotp, uint32_t *retryp)
{
	int64_t deadline = gvchan_now_ms() + timeout_ms;
	uint8_t req[XENTROPY_REQ_LEN], head[XENTROPY_RESP_HEAD];
	size_t got = 0;
	uint32_t retry = 0;
	int r = 0;

	while (got < n) {
		uint32_t want = n - got > XENTROPY_MAX_REQUEST ?
		    XENTROPY_MAX_REQUEST : (uint32_t)(n - got);
		struct xentropy_resp resp;

		xentropy_encode_request(req, want);
		if ((r = gvchan_write_all(x->v, req, sizeof(req),
		    left_ms(deadline))) < 0)
			break;
		if ((r = gvchan_read_full(x->v, head, sizeof(head),
		    left_ms(deadline))) < 0)
			break;
		if (xentropy_parse_response(head, sizeof(head), want, &resp) !=
		    XENTROPY_P_FRAME) {
			r = -EPROTO;
			break;
		}
		if (resp.data_len && (r = gvchan_read_full(x->v,
		    (uint8_t *)buf + got, resp.data_len,
		    left_ms(deadline))) < 0)
			break;
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
		if (resp.status == XENTROPY_OK && resp.data_len == want)
			continue;
		/* Throttled: wait, or say so. */
		retry = resp.retry_after_ms;
		if ((flags & XENTROPY_NOWAIT) ||
		    (int64_t)retry >= left_ms(deadline)) {
			r = -EAGAIN;
			break;
		}
		sleep_ms(retry);
		retry = 0;
	}
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
	gvchan_close(x->v);
	free(x);
}
