/*
 * The xentropyd client's steps, as guest/xentropy.c takes them for Linux
 * guests, but waiting on a watch of the presence key instead of polling
 * it. The presence key and the frames are the daemon's: parsed strictly,
 * and each frame copied out of the ring once before it is parsed.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "fmt.h"
#include "num.h"
#include "xen.h"
#include "xent.h"
#include "xentropy_proto.h"
#include "xs_client.h"

#define XENT_BASE "data/xentropy"
#define XENT_TOKEN "xent-server"

struct xent_presence {
	uint32_t server;
	char state[16];
	char gen[64];
};

/* Copies the word at *p (up to a space or the end) and moves past it. */
static int
xent_word(const char **p, char *out, size_t cap)
{
	const char *w = *p;
	size_t n = 0;

	while (w[n] && w[n] != ' ')
		n++;
	if (n == 0 || n >= cap)
		return -EPROTO;
	memcpy(out, w, n);
	out[n] = '\0';
	*p = w + n;
	return 0;
}

/* One space, then a word. */
static int
xent_next(const char **p, char *out, size_t cap)
{
	if (**p != ' ')
		return -EPROTO;
	(*p)++;
	return xent_word(p, out, cap);
}

/* "1 <server-domid> <state> [<generation>]", nothing else. */
static int
xent_presence(struct xent_presence *pr)
{
	char val[128], word[16];
	const char *p = val;
	uint32_t version;
	int r = xs_read(0, XENT_BASE "/server", val, sizeof(val));

	if (r == -ERANGE)
		return -EPROTO;
	if (r < 0)
		return r;	/* -ENOENT: no daemon (yet) */
	memset(pr, 0, sizeof(*pr));
	if (xent_word(&p, word, sizeof(word)) < 0 ||
	    num_parse_u32(word, UINT32_MAX, &version) < 0)
		return -EPROTO;
	if (version != XENTROPY_VERSION)
		return -EPROTONOSUPPORT;
	if (xent_next(&p, word, sizeof(word)) < 0 ||
	    num_parse_u32(word, DOMID_FIRST_RESERVED - 1, &pr->server) < 0 ||
	    xent_next(&p, pr->state, sizeof(pr->state)) < 0)
		return -EPROTO;
	if (*p && xent_next(&p, pr->gen, sizeof(pr->gen)) < 0)
		return -EPROTO;
	return *p ? -EPROTO : 0;
}

/* Asks for service: any fresh value in the request key. */
static int
xent_ask(void)
{
	static unsigned seq;
	char val[48];

	fmt_snprintf(val, sizeof(val), "uk.%u.%lu", ++seq,
		     (unsigned long)tm_now());
	return xs_write(0, XENT_BASE "/request", val);
}

static int
xent_try(struct xent *x, uint64_t absent_by, uint64_t deadline)
{
	struct xent_presence pr;
	char tried[64] = "", path[64];
	int r, asked = 0;

	for (;;) {
		uint64_t until = deadline;

		r = xent_presence(&pr);
		if (r == -ENOENT) {
			until = absent_by;
		} else if (r < 0) {
			return r;
		} else if (strcmp(pr.state, "ready") == 0 &&
			   strcmp(pr.gen, tried) != 0) {
			/* vchan/ is written with the presence key. */
			r = vchan_open(&x->vc, (domid_t)pr.server,
				       XENT_BASE "/vchan");
			if (r == 0) {
				x->server = pr.server;
				return 0;
			}
			/* A stale channel (the daemon died): ask anew. */
			memcpy(tried, pr.gen, sizeof(tried));
			if ((r = xent_ask()) < 0)
				return r;
			asked = 1;
		} else if (strcmp(pr.state, "idle") == 0 && !asked) {
			if ((r = xent_ask()) < 0)
				return r;
			asked = 1;
		} else if (strcmp(pr.state, "denied") == 0) {
			return -EACCES;
		}
		/* Anything else ("wait"): until the daemon changes the key. */
		r = xs_watch_take(XENT_TOKEN, path, sizeof(path), until);
		if (r == -ETIMEDOUT && until == absent_by)
			return -ENOENT;
		if (r < 0)
			return r;
	}
}

int
xent_open(struct xent *x, uint64_t absent_by, uint64_t deadline)
{
	int r;

	memset(x, 0, sizeof(*x));
	/* Its first event comes at once; the rest on each change. */
	r = xs_watch(XENT_BASE "/server", XENT_TOKEN);
	if (r < 0)
		return r;
	r = xent_try(x, absent_by, deadline);
	xs_unwatch(XENT_BASE "/server", XENT_TOKEN);
	return r;
}

static int
xent_sleep(uint64_t ms, uint64_t deadline)
{
	uint64_t until = tm_now() + ms * TM_MS;

	if (until > deadline)
		return -EAGAIN;
	tm_wait(NULL, NULL, until);
	return 0;
}

int
xent_read(struct xent *x, void *buf, size_t n, uint64_t deadline,
	  size_t *got)
{
	uint8_t req[XENTROPY_REQ_LEN], head[XENTROPY_RESP_HEAD];
	int r;

	*got = 0;
	while (*got < n) {
		struct xentropy_resp resp;
		uint32_t want = n - *got > XENTROPY_MAX_REQUEST ?
			XENTROPY_MAX_REQUEST : (uint32_t)(n - *got);

		/* A daemon that answers at once with nothing stops here. */
		if (tm_now() >= deadline)
			return -ETIMEDOUT;
		xentropy_encode_request(req, want);
		if ((r = vchan_write_all(&x->vc, req, sizeof(req), deadline)) < 0)
			return r;
		x->requests++;
		if ((r = vchan_read_full(&x->vc, head, sizeof(head),
					 deadline)) < 0)
			return r;
		if (xentropy_parse_response(head, sizeof(head), want, &resp) !=
		    XENTROPY_P_FRAME)
			return -EPROTO;
		/* At most want bytes: the parser checked data_len. */
		if (resp.data_len &&
		    (r = vchan_read_full(&x->vc, (uint8_t *)buf + *got,
					 resp.data_len, deadline)) < 0)
			return r;
		*got += resp.data_len;
		switch (resp.status) {
		case XENTROPY_OK:
		case XENTROPY_RATE_LIMITED:
		case XENTROPY_UNAVAILABLE:
			break;
		case XENTROPY_BAD_VERSION:
			return -EPROTONOSUPPORT;
		default:
			return -EPROTO;
		}
		/* Short: the rest after retry_after, if that is in time. */
		if (resp.data_len < want && resp.retry_after_ms &&
		    (r = xent_sleep(resp.retry_after_ms, deadline)) < 0)
			return r;
	}
	return 0;
}

void
xent_close(struct xent *x)
{
	vchan_close(&x->vc);
}
