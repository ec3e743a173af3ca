/*
 * jitsud's answer logic (see answer.h). Each query is copied into a buffer
 * of the table's and parsed there; the response is built in another, with
 * its size bounded by the transport. The packets and all libknot allocates
 * for them come from an arena of a set size that each query starts
 * afresh: no malloc per query, and a query whose records do not fit is a
 * FORMERR. Records are built once, with the table.
 *
 * A query that comes again is answered from kept.c's copy, as long as no
 * service's state changed (the table's generation); only the answers
 * are kept that start nothing. The limits (rate limiting, summon limits)
 * are the caller's, before it asks.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libknot/libknot.h>

#include "answer.h"
#include "kept.h"

#define DNS_HDR 12
#define MAX_ZONES 64
#define MAX_SERVICES 1024
/* A query with an OPT takes a few hundred bytes; a legitimate one never
 * has the thousands of records that would fill this. */
#define ARENA_SIZE (64 * 1024)

struct zone {
	knot_dname_t *apex;	/* lowercase */
	knot_rrset_t soa, ns;
	int labels;
};

struct service {
	knot_dname_t *name;	/* lowercase */
	int zone;
	knot_rrset_t a, aaaa;	/* empty when the service has none */
	enum jd_svc_state state;
	bool early;		/* answer policy now */
	uint32_t early_ttl;
};

struct arena {
	size_t used;
	_Alignas(16) uint8_t mem[ARENA_SIZE];
};

struct jd_table {
	bool forward;
	struct arena arena;
	knot_mm_t mm;
	int nzones, nservices;
	struct zone zones[MAX_ZONES];
	struct service *services;
	knot_rrset_t opt;	/* ours: JD_EDNS_UDP, version 0 */
	knot_pkt_t *q;	/* the query's, in the arena */
	uint8_t qbuf[JD_MSG_MAX], rbuf[JD_MSG_MAX];
	/* changes with every state the answers depend on: a kept answer of
	 * another generation is stale */
	uint64_t gen;
	struct kept *kept;	/* NULL: keeping is off */
};

static void *
arena_alloc(void *ctx, size_t len)
{
	struct arena *a = ctx;
	size_t n = (len + 15) & ~(size_t)15;
	void *p;

	if (n < len || n > sizeof(a->mem) - a->used)
		return NULL;
	p = a->mem + a->used;
	a->used += n;
	return p;
}

/* Everything goes at once, when the next query starts. */
static void
arena_free(void *p)
{
	(void)p;
}

static knot_dname_t *
dname(const char *s)
{
	knot_dname_t *d = knot_dname_from_str_alloc(s);

	if (d)
		knot_dname_to_lower(d);
	return d;
}

struct jd_table *
jd_table_new(bool forward)
{
	struct jd_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->forward = forward;
	t->services = calloc(MAX_SERVICES, sizeof(*t->services));
	t->kept = kept_new();
	t->gen = 1;
	t->mm.ctx = &t->arena;
	t->mm.alloc = arena_alloc;
	t->mm.free = arena_free;
	knot_rrset_init_empty(&t->opt);
	if (!t->services || !t->kept ||
	    knot_edns_init(&t->opt, JD_EDNS_UDP, 0, 0, NULL) != KNOT_EOK) {
		jd_table_free(t);
		return NULL;
	}
	return t;
}

void
jd_table_free(struct jd_table *t)
{
	int i;

	if (!t)
		return;
	for (i = 0; i < t->nzones; i++) {
		knot_rrset_clear(&t->zones[i].soa, NULL);
		t->zones[i].ns.owner = NULL;	/* shared with soa */
		knot_rrset_clear(&t->zones[i].ns, NULL);
	}
	for (i = 0; i < t->nservices; i++) {
		knot_rrset_clear(&t->services[i].a, NULL);
		t->services[i].aaaa.owner = NULL;	/* shared with a */
		knot_rrset_clear(&t->services[i].aaaa, NULL);
	}
	knot_rrset_clear(&t->opt, NULL);
	kept_free(t->kept);
	free(t->services);
	free(t);
}

int
jd_table_add_zone(struct jd_table *t, const char *apex, const char *ns,
    const char *mbox, uint32_t serial, uint32_t ttl)
{
	struct zone *z;
	uint8_t rd[2 * KNOT_DNAME_MAXLEN + 20];
	/* refresh, retry, expire as RFC 1912 suggests; minimum = ttl */
	uint32_t times[5] = { serial, 3600, 600, 604800, ttl };
	knot_dname_t *n = NULL, *m = NULL;
	size_t nl, ml;
	int i, ret = -EINVAL;

	if (t->nzones == MAX_ZONES)
		return -ENOSPC;
	z = &t->zones[t->nzones];
	memset(z, 0, sizeof(*z));
	z->apex = dname(apex);
	n = dname(ns);
	m = dname(mbox);
	if (!z->apex || !n || !m)
		goto out;
	nl = knot_dname_size(n);
	ml = knot_dname_size(m);
	memcpy(rd, n, nl);
	memcpy(rd + nl, m, ml);
	for (i = 0; i < 5; i++)
		knot_wire_write_u32(rd + nl + ml + 4 * i, times[i]);
	knot_rrset_init(&z->soa, z->apex, KNOT_RRTYPE_SOA, KNOT_CLASS_IN, ttl);
	knot_rrset_init(&z->ns, z->apex, KNOT_RRTYPE_NS, KNOT_CLASS_IN, ttl);
	if (knot_rrset_add_rdata(&z->soa, rd, nl + ml + 20, NULL) != KNOT_EOK ||
	    knot_rrset_add_rdata(&z->ns, n, nl, NULL) != KNOT_EOK) {
		ret = -ENOMEM;
		goto out;
	}
	z->labels = knot_dname_labels(z->apex, NULL);
	t->nzones++;
	t->gen++;
	ret = 0;
out:
	if (ret < 0) {
		knot_rdataset_clear(&z->soa.rrs, NULL);
		knot_rdataset_clear(&z->ns.rrs, NULL);
		free(z->apex);
	}
	free(n);
	free(m);
	return ret;
}

/* The most specific of our zones that holds name, or -1. */
static int
zone_of(const struct jd_table *t, const knot_dname_t *name)
{
	int i, best = -1;

	for (i = 0; i < t->nzones; i++)
		if (knot_dname_in_bailiwick(name, t->zones[i].apex) >= 0 &&
		    (best < 0 || t->zones[i].labels > t->zones[best].labels))
			best = i;
	return best;
}

int
jd_table_add_service(struct jd_table *t, const char *name,
    const struct in_addr *a, const struct in6_addr *aaaa, uint32_t ttl)
{
	struct service *s;

	if (t->nservices == MAX_SERVICES)
		return -ENOSPC;
	s = &t->services[t->nservices];
	memset(s, 0, sizeof(*s));
	s->name = dname(name);
	if (!s->name)
		return -EINVAL;
	s->zone = zone_of(t, s->name);
	if (s->zone < 0) {
		free(s->name);
		return -EDOM;
	}
	knot_rrset_init(&s->a, s->name, KNOT_RRTYPE_A, KNOT_CLASS_IN, ttl);
	knot_rrset_init(&s->aaaa, s->name, KNOT_RRTYPE_AAAA, KNOT_CLASS_IN, ttl);
	if ((a && knot_rrset_add_rdata(&s->a, (const uint8_t *)a, 4, NULL)) ||
	    (aaaa && knot_rrset_add_rdata(&s->aaaa, (const uint8_t *)aaaa, 16,
	    NULL))) {
		knot_rdataset_clear(&s->a.rrs, NULL);
		free(s->name);
		return -ENOMEM;
	}
	s->state = JD_STOPPED;
	t->gen++;
	return t->nservices++;
}

void
jd_table_set_state(struct jd_table *t, int svc, enum jd_svc_state st)
{
	if (svc >= 0 && svc < t->nservices && t->services[svc].state != st) {
		t->services[svc].state = st;
		t->gen++;
	}
}

int
jd_table_cache(struct jd_table *t, bool on)
{
	if (on && !t->kept && !(t->kept = kept_new()))
		return -ENOMEM;
	if (!on) {
		kept_free(t->kept);
		t->kept = NULL;
	}
	return 0;
}

void
jd_table_set_early_ttl(struct jd_table *t, int svc, uint32_t ttl)
{
	if (svc >= 0 && svc < t->nservices) {
		t->services[svc].early = true;
		t->services[svc].early_ttl = ttl;
		t->gen++;
	}
}

/* A response with no question, for queries we cannot parse. */
static void
bare(const uint8_t *q, uint8_t *out, int rcode, struct jd_result *res)
{
	memset(out, 0, DNS_HDR);
	out[0] = q[0];
	out[1] = q[1];
	out[2] = (q[2] & 0x79) | 0x80;	/* QR, opcode and RD as asked */
	out[3] = rcode;
	res->decision = JD_ANSWER;
	res->len = DNS_HDR;
}

/*
 * The response to the parsed query in t->q: an (answer) and ns
 * (authority) may be NULL. When they do not fit, header, question and OPT
 * go with TC set, for a retry over TCP.
 */
static int
respond(struct jd_table *t, size_t limit, int rcode, bool aa,
    const knot_rrset_t *an, const knot_rrset_t *ns, uint8_t *out,
    struct jd_result *res)
{
	knot_pkt_t *r = knot_pkt_new(t->rbuf, limit, &t->mm);
	bool edns = knot_pkt_has_edns(t->q), tc = false;
	knot_rrset_t opt = t->opt;	/* ext rcode is in its ttl: a copy */
	uint16_t optlen = edns ? knot_edns_wire_size(&opt) : 0;
	int ret;

	if (!r)
		return -ENOMEM;
	knot_edns_set_ext_rcode(&opt, rcode >> 4);
again:
	knot_pkt_clear(r);
	if (knot_pkt_init_response(r, t->q) != KNOT_EOK ||
	    knot_pkt_reserve(r, optlen) != KNOT_EOK)
		return -ENOSPC;
	knot_wire_set_rcode(r->wire, rcode & 0xf);
	if (aa)
		knot_wire_set_aa(r->wire);
	if (!tc) {
		ret = KNOT_EOK;
		if (an) {
			ret = knot_pkt_begin(r, KNOT_ANSWER);
			if (!ret)
				ret = knot_pkt_put(r, KNOT_COMPR_HINT_QNAME, an,
				    KNOT_PF_NOTRUNC);
		}
		if (!ret && ns) {
			ret = knot_pkt_begin(r, KNOT_AUTHORITY);
			if (!ret)
				ret = knot_pkt_put(r, KNOT_COMPR_HINT_NONE, ns,
				    KNOT_PF_NOTRUNC);
		}
		if (ret == KNOT_ESPACE) {
			tc = true;
			goto again;
		}
		if (ret)
			return -EINVAL;
	} else {
		knot_wire_set_tc(r->wire);
	}
	if (edns && (knot_pkt_begin(r, KNOT_ADDITIONAL) ||
	    knot_pkt_reclaim(r, optlen) ||
	    knot_pkt_put(r, KNOT_COMPR_HINT_NONE, &opt, KNOT_PF_NOTRUNC)))
		return -ENOSPC;
	memcpy(out, r->wire, r->size);
	res->decision = JD_ANSWER;
	res->len = r->size;
	return 0;
}

static const struct service *
service_named(const struct jd_table *t, const knot_dname_t *name, int *idx)
{
	int i;

	for (i = 0; i < t->nservices; i++)
		if (knot_dname_is_equal(t->services[i].name, name)) {
			*idx = i;
			return &t->services[i];
		}
	return NULL;
}

/* Does a name exist below name (an empty non-terminal is NODATA)? */
static bool
has_below(const struct jd_table *t, const knot_dname_t *name)
{
	int i;

	for (i = 0; i < t->nservices; i++)
		if (knot_dname_in_bailiwick(t->services[i].name, name) > 0)
			return true;
	return false;
}

/*
 * Parses the query into t->q and sets *limit, the response's size bound.
 * Returns 1 when res is decided already (a bare answer, or a drop).
 */
static int
parse(struct jd_table *t, const uint8_t *q, size_t qlen, bool tcp,
    size_t udp_max, uint8_t *out, struct jd_result *res, size_t *limit)
{
	knot_pkt_t *p;

	memset(res, 0, sizeof(*res));
	res->svc = -1;
	res->decision = JD_DROP;
	/* Responses and runts get nothing: answering them feeds loops. */
	if (qlen < DNS_HDR || qlen > sizeof(t->qbuf) || knot_wire_get_qr(q))
		return 1;
	if (knot_wire_get_opcode(q) != KNOT_OPCODE_QUERY) {
		bare(q, out, KNOT_RCODE_NOTIMPL, res);
		return 1;
	}
	if (knot_wire_get_qdcount(q) != 1) {
		bare(q, out, KNOT_RCODE_FORMERR, res);
		return 1;
	}
	t->arena.used = 0;	/* the last query's packets go */
	memcpy(t->qbuf, q, qlen);
	p = t->q = knot_pkt_new(t->qbuf, qlen, &t->mm);
	if (!p || knot_pkt_parse(p, 0) != KNOT_EOK) {
		bare(q, out, KNOT_RCODE_FORMERR, res);
		return 1;
	}
	*limit = KNOT_WIRE_MIN_PKTSIZE;
	if (tcp)
		*limit = JD_MSG_MAX;
	else if (knot_pkt_has_edns(p))
		*limit = knot_edns_get_payload(p->opt_rr);
	if (!tcp && *limit > udp_max)
		*limit = udp_max;
	if (*limit < KNOT_WIRE_MIN_PKTSIZE)
		*limit = KNOT_WIRE_MIN_PKTSIZE;
	if (*limit > JD_MSG_MAX)
		*limit = JD_MSG_MAX;
	res->limit = *limit;
	return 0;
}

int
jd_answer_rcode(struct jd_table *t, const uint8_t *q, size_t qlen, bool tcp,
    size_t udp_max, int rcode, uint8_t *out, struct jd_result *res)
{
	size_t limit;

	if (parse(t, q, qlen, tcp, udp_max, out, res, &limit))
		return 0;
	return respond(t, limit, rcode, false, NULL, NULL, out, res);
}

static int
decide(struct jd_table *t, const uint8_t *q, size_t qlen, bool tcp,
    size_t udp_max, uint8_t *out, struct jd_result *res)
{
	knot_pkt_t *p;
	const knot_dname_t *qname;
	const struct service *s;
	const struct zone *z;
	const knot_rrset_t *rr;
	size_t limit;
	uint16_t qtype;
	int zi, si;

	if (parse(t, q, qlen, tcp, udp_max, out, res, &limit))
		return 0;
	p = t->q;
	if (knot_pkt_has_edns(p) && knot_edns_get_version(p->opt_rr) > 0)
		return respond(t, limit, KNOT_RCODE_BADVERS, false, NULL, NULL,
		    out, res);
	qname = knot_pkt_qname(p);	/* lowercase */
	qtype = knot_pkt_qtype(p);
	zi = zone_of(t, qname);
	if (zi < 0 || knot_pkt_qclass(p) != KNOT_CLASS_IN) {
		if (zi < 0 && t->forward) {
			res->decision = JD_FORWARD;
			return 0;
		}
		return respond(t, limit, KNOT_RCODE_REFUSED, false, NULL, NULL,
		    out, res);
	}
	z = &t->zones[zi];
	if (knot_dname_is_equal(qname, z->apex) && qtype == KNOT_RRTYPE_SOA)
		return respond(t, limit, 0, true, &z->soa, NULL, out, res);
	if (knot_dname_is_equal(qname, z->apex) && qtype == KNOT_RRTYPE_NS)
		return respond(t, limit, 0, true, &z->ns, NULL, out, res);
	s = service_named(t, qname, &si);
	if (!s) {
		if (knot_dname_is_equal(qname, z->apex) || has_below(t, qname))
			return respond(t, limit, 0, true, NULL, &z->soa, out,
			    res);
		return respond(t, limit, KNOT_RCODE_NXDOMAIN, true, NULL,
		    &z->soa, out, res);
	}
	res->svc = si;
	rr = qtype == KNOT_RRTYPE_A ? &s->a :
	    qtype == KNOT_RRTYPE_AAAA ? &s->aaaa : NULL;
	/* Only an address the service has summons it (not AAAA for A). */
	if (!rr || knot_rrset_empty(rr))
		return respond(t, limit, 0, true, NULL, &z->soa, out, res);
	if (s->state != JD_READY && s->early) {
		knot_rrset_t early = *rr;	/* the same records, a short TTL */

		early.ttl = s->early_ttl;
		res->summon = s->state == JD_STOPPED;
		return respond(t, limit, 0, true, &early, NULL, out, res);
	}
	if (s->state != JD_READY) {
		res->decision = JD_HOLD;
		res->summon = s->state == JD_STOPPED;
		return 0;
	}
	return respond(t, limit, 0, true, rr, NULL, out, res);
}

int
jd_answer(struct jd_table *t, const uint8_t *q, size_t qlen, bool tcp,
    size_t udp_max, uint8_t *out, struct jd_result *res)
{
	int r;

	if (t->kept && kept_get(t->kept, t->gen, q, qlen, tcp, udp_max, out,
	    res))
		return 0;
	r = decide(t, q, qlen, tcp, udp_max, out, res);
	if (t->kept && r == 0)
		kept_put(t->kept, t->gen, q, qlen, tcp, udp_max, out, res);
	return r;
}
