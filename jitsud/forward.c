/* Forwarding's decisions (see forward.h), free of I/O. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <libknot/libknot.h>

#include "answer.h"
#include "forward.h"

#define HDR 12

struct slot {
	bool used;
	bool client_tcp, tcp;
	uint16_t client_id, id;
	unsigned int resolver, tries;
	size_t limit;
	uint64_t deadline;
	size_t len, qend;	/* qend: the end of the question */
	uint8_t *q;
};

struct fwd {
	struct fwd_limits lim;
	struct sockaddr_storage *res;
	unsigned int nres, pending;
	fwd_rand_fn *rnd;
	void *rarg;
	struct slot *slots;
	uint8_t out[JD_MSG_MAX];
};

struct fwd *
fwd_new(const struct fwd_limits *l, const struct sockaddr_storage *resolvers,
    unsigned int n, fwd_rand_fn *rnd, void *rarg)
{
	struct fwd *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->lim = *l;
	if (f->lim.tries == 0)
		f->lim.tries = 1;
	f->nres = n;
	f->rnd = rnd;
	f->rarg = rarg;
	f->res = calloc(n ? n : 1, sizeof(*f->res));
	f->slots = calloc(l->max ? l->max : 1, sizeof(*f->slots));
	if (!f->res || !f->slots) {
		fwd_free(f);
		return NULL;
	}
	memcpy(f->res, resolvers, n * sizeof(*f->res));
	return f;
}

void
fwd_free(struct fwd *f)
{
	if (!f)
		return;
	for (unsigned int i = 0; f->slots && i < f->lim.max; i++)
		free(f->slots[i].q);
	free(f->slots);
	free(f->res);
	free(f);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* A new attempt on the slot's current resolver. */
static void
attempt(struct fwd *f, int i, uint64_t now, struct fwd_event *ev)
{
	struct slot *s = &f->slots[i];

	s->id = f->rnd(f->rarg);
	put16(s->q, s->id);
	s->deadline = now + f->lim.timeout_ms;
	ev->action = FWD_SEND;
	ev->slot = i;
	ev->resolver = s->resolver;
	ev->tcp = s->tcp;
	ev->msg = s->q;
	ev->len = s->len;
}

static void
release(struct fwd *f, struct slot *s)
{
	free(s->q);
	memset(s, 0, sizeof(*s));
	f->pending--;
}

/* The slot's query back to its client with rcode and no records. */
static void
fail_reply(struct fwd *f, int i, int rcode, struct fwd_event *ev)
{
	struct slot *s = &f->slots[i];

	memcpy(f->out, s->q, s->qend);
	put16(f->out, s->client_id);
	f->out[2] = (uint8_t)((s->q[2] & 0x79) | 0x80);	/* QR, opcode, RD */
	f->out[3] = (uint8_t)(0x80 | rcode);		/* RA */
	memset(f->out + 6, 0, 6);
	ev->action = FWD_REPLY;
	ev->slot = i;
	ev->msg = f->out;
	ev->len = s->qend;
	release(f, s);
}

/* The resolver's answer (r, len) to the client, with its ID, cut to its
 * UDP size: then header and question only, TC set, for a retry over TCP. */
static void
reply(struct fwd *f, int i, const uint8_t *r, size_t len,
    struct fwd_event *ev)
{
	struct slot *s = &f->slots[i];

	memcpy(f->out, r, len);
	put16(f->out, s->client_id);
	if (!s->client_tcp && len > s->limit) {
		len = s->qend;
		f->out[2] |= 0x02;	/* TC */
		memset(f->out + 6, 0, 6);
	}
	ev->action = FWD_REPLY;
	ev->slot = i;
	ev->msg = f->out;
	ev->len = len;
	release(f, s);
}

/* The attempt failed: the next resolver, or SERVFAIL when all is spent. */
static void
next_try(struct fwd *f, int i, uint64_t now, struct fwd_event *ev)
{
	struct slot *s = &f->slots[i];

	if (++s->tries >= f->lim.tries) {
		fail_reply(f, i, KNOT_RCODE_SERVFAIL, ev);
		return;
	}
	s->resolver = (s->resolver + 1) % f->nres;
	s->tcp = s->client_tcp;
	attempt(f, i, now, ev);
}

int
fwd_start(struct fwd *f, const uint8_t *q, size_t len, bool tcp,
    size_t limit, uint64_t now_ms, struct fwd_event *ev)
{
	struct slot *s = NULL;
	int name, i;

	memset(ev, 0, sizeof(*ev));
	if (f->nres == 0 || len < HDR || len > JD_MSG_MAX ||
	    get16(q + 4) != 1 || (q[2] & 0x80))
		return -EINVAL;
	name = knot_dname_wire_check(q + HDR, q + len, NULL);
	if (name <= 0 || (size_t)name + 4 > len - HDR)
		return -EINVAL;
	for (i = 0; i < (int)f->lim.max; i++)
		if (!f->slots[i].used) {
			s = &f->slots[i];
			break;
		}
	if (!s)
		return -ENOSPC;
	if (!(s->q = malloc(len)))
		return -ENOMEM;
	memcpy(s->q, q, len);
	s->used = true;
	s->len = len;
	s->qend = HDR + (size_t)name + 4;
	s->client_id = get16(q);
	s->client_tcp = s->tcp = tcp;
	s->limit = limit < 512 ? 512 : limit;
	s->resolver = 0;
	s->tries = 0;
	f->pending++;
	attempt(f, i, now_ms, ev);
	return 0;
}

static bool
same_addr(const struct sockaddr_storage *a, const struct sockaddr *b,
    socklen_t blen)
{
	if (a->ss_family != b->sa_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return blen >= (socklen_t)sizeof(*y) &&
		    x->sin_port == y->sin_port &&
		    x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a,
		    *y = (const void *)b;

		return blen >= (socklen_t)sizeof(*y) &&
		    x->sin6_port == y->sin6_port &&
		    memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
	}
	return false;
}

/* Is r an answer to the slot's attempt: ID, QR, and its question? The
 * name's case may differ (a resolver may randomise it). */
static bool
matches(const struct slot *s, const uint8_t *r, size_t len)
{
	if (len < s->qend || get16(r) != s->id || !(r[2] & 0x80) ||
	    get16(r + 4) != 1)
		return false;
	for (size_t k = HDR; k < s->qend - 4; k++)
		if (tolower(r[k]) != tolower(s->q[k]))
			return false;
	return memcmp(r + s->qend - 4, s->q + s->qend - 4, 4) == 0;
}

void
fwd_response(struct fwd *f, int slot, const struct sockaddr *from,
    socklen_t fromlen, const uint8_t *r, size_t len, uint64_t now_ms,
    struct fwd_event *ev)
{
	struct slot *s;
	int rcode;

	memset(ev, 0, sizeof(*ev));
	if (slot < 0 || slot >= (int)f->lim.max || !f->slots[slot].used)
		return;
	s = &f->slots[slot];
	if ((from && !same_addr(&f->res[s->resolver], from, fromlen)) ||
	    len > JD_MSG_MAX || !matches(s, r, len))
		return;	/* not the answer: a spoof, or a stale one */
	if ((r[2] & 0x02) && !s->tcp) {
		s->tcp = true;	/* truncated: the same resolver over TCP */
		attempt(f, slot, now_ms, ev);
		return;
	}
	rcode = r[3] & 0xf;
	if ((rcode == KNOT_RCODE_SERVFAIL || rcode == KNOT_RCODE_REFUSED) &&
	    s->tries + 1 < f->lim.tries) {
		next_try(f, slot, now_ms, ev);
		return;
	}
	reply(f, slot, r, len, ev);
}

void
fwd_failed(struct fwd *f, int slot, uint64_t now_ms, struct fwd_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (slot < 0 || slot >= (int)f->lim.max || !f->slots[slot].used)
		return;
	next_try(f, slot, now_ms, ev);
}

void
fwd_expire(struct fwd *f, uint64_t now_ms, struct fwd_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	for (int i = 0; i < (int)f->lim.max; i++)
		if (f->slots[i].used && f->slots[i].deadline <= now_ms) {
			next_try(f, i, now_ms, ev);
			return;
		}
}

uint64_t
fwd_next_deadline(const struct fwd *f)
{
	uint64_t d = UINT64_MAX;

	for (unsigned int i = 0; i < f->lim.max; i++)
		if (f->slots[i].used && f->slots[i].deadline < d)
			d = f->slots[i].deadline;
	return d;
}

unsigned int
fwd_pending(const struct fwd *f)
{
	return f->pending;
}
