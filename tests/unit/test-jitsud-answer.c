/*
 * jitsud's answer logic as a table: name x type x class x service state
 * -> decision, rcode, flags and section counts, read back with libknot's
 * parser. Then the cases a table row cannot say: case kept, EDNS, TC.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>

#include <libknot/libknot.h>

#include "answer.h"
#include "check.h"

#define NONE -1
#define CH KNOT_CLASS_CH
#define IN KNOT_CLASS_IN

static uint8_t out[JD_MSG_MAX];

/* A query for name/type/class; edns < 0: no OPT, else its version. */
static size_t
query(uint8_t *q, const char *name, uint16_t type, uint16_t class, int edns,
    bool rd)
{
	knot_dname_t *d = knot_dname_from_str_alloc(name);	/* case kept */
	size_t n, len;

	memset(q, 0, 12);
	q[0] = 0xab;
	q[1] = 0xcd;
	q[2] = rd ? 1 : 0;
	q[5] = 1;
	n = knot_dname_size(d);
	memcpy(q + 12, d, n);
	free(d);
	len = 12 + n;
	knot_wire_write_u16(q + len, type);
	knot_wire_write_u16(q + len + 2, class);
	len += 4;
	if (edns >= 0) {
		static const uint8_t opt[] = { 0, 0, 41, 0x10, 0, 0, 0, 0, 0,
			0, 8, 0x12, 0x34, 0, 4, 1, 2, 3, 4 };	/* unknown option */

		memcpy(q + len, opt, sizeof(opt));
		q[len + 6] = edns;
		len += sizeof(opt);
		q[11] = 1;
	}
	return len;
}

struct row {
	const char *name;
	uint16_t type, class;
	int state;	/* www's state, NONE: leave it */
	enum jd_decision decision;
	int rcode, aa, an, ns;
	bool summon;
};

static const struct row rows[] = {
	/* an address of a stopped service summons it, a booting one waits */
	{ "www.example.org.", KNOT_RRTYPE_A, IN, JD_STOPPED, JD_HOLD, 0, 0, 0, 0, true },
	{ "WWW.example.org.", KNOT_RRTYPE_A, IN, JD_BOOTING, JD_HOLD, 0, 0, 0, 0, false },
	{ "www.example.org.", KNOT_RRTYPE_A, IN, JD_READY, JD_ANSWER, 0, 1, 1, 0, false },
	/* AAAA for an A-only service: NODATA, no summoning */
	{ "www.example.org.", KNOT_RRTYPE_AAAA, IN, JD_STOPPED, JD_ANSWER, 0, 1, 0, 1, false },
	{ "www.example.org.", KNOT_RRTYPE_MX, IN, JD_STOPPED, JD_ANSWER, 0, 1, 0, 1, false },
	{ "www.example.org.", KNOT_RRTYPE_TXT, IN, JD_READY, JD_ANSWER, 0, 1, 0, 1, false },
	{ "www.example.org.", KNOT_RRTYPE_A, CH, JD_STOPPED, JD_ANSWER, KNOT_RCODE_REFUSED, 0, 0, 0, false },
	{ "six.example.org.", KNOT_RRTYPE_AAAA, IN, NONE, JD_ANSWER, 0, 1, 1, 0, false },
	{ "six.example.org.", KNOT_RRTYPE_A, IN, NONE, JD_ANSWER, 0, 1, 1, 0, false },
	{ "v6only.example.org.", KNOT_RRTYPE_A, IN, NONE, JD_ANSWER, 0, 1, 0, 1, false },
	{ "v6only.example.org.", KNOT_RRTYPE_AAAA, IN, NONE, JD_HOLD, 0, 0, 0, 0, true },
	/* the apex */
	{ "example.org.", KNOT_RRTYPE_SOA, IN, NONE, JD_ANSWER, 0, 1, 1, 0, false },
	{ "Example.Org.", KNOT_RRTYPE_NS, IN, NONE, JD_ANSWER, 0, 1, 1, 0, false },
	{ "example.org.", KNOT_RRTYPE_A, IN, NONE, JD_ANSWER, 0, 1, 0, 1, false },
	/* unknown names in the zone; an empty non-terminal exists */
	{ "nope.example.org.", KNOT_RRTYPE_A, IN, NONE, JD_ANSWER, KNOT_RCODE_NXDOMAIN, 1, 0, 1, false },
	{ "x.www.example.org.", KNOT_RRTYPE_A, IN, NONE, JD_ANSWER, KNOT_RCODE_NXDOMAIN, 1, 0, 1, false },
	{ "dept.example.org.", KNOT_RRTYPE_A, IN, NONE, JD_ANSWER, 0, 1, 0, 1, false },
	/* the most specific zone holds the name */
	{ "sub.example.org.", KNOT_RRTYPE_SOA, IN, NONE, JD_ANSWER, 0, 1, 1, 0, false },
	{ "nope.sub.example.org.", KNOT_RRTYPE_A, IN, NONE, JD_ANSWER, KNOT_RCODE_NXDOMAIN, 1, 0, 1, false },
	/* not ours */
	{ "www.example.com.", KNOT_RRTYPE_A, IN, NONE, JD_ANSWER, KNOT_RCODE_REFUSED, 0, 0, 0, false },
	{ "org.", KNOT_RRTYPE_SOA, IN, NONE, JD_ANSWER, KNOT_RCODE_REFUSED, 0, 0, 0, false },
	{ ".", KNOT_RRTYPE_NS, IN, NONE, JD_ANSWER, KNOT_RCODE_REFUSED, 0, 0, 0, false },
};

static struct jd_table *
table(bool forward, int *www)
{
	struct jd_table *t = jd_table_new(forward);
	struct in_addr a;
	struct in6_addr a6;

	CHECK(t != NULL);
	inet_pton(AF_INET, "192.0.2.7", &a);
	inet_pton(AF_INET6, "2001:db8::7", &a6);
	CHECK_EQ(jd_table_add_zone(t, "example.org.", "ns1.example.org.",
	    "hostmaster.example.org.", 1, 300), 0);
	CHECK_EQ(jd_table_add_zone(t, "sub.EXAMPLE.org", "ns1.example.org.",
	    "hostmaster.example.org.", 1, 300), 0);
	*www = jd_table_add_service(t, "Www.Example.Org.", &a, NULL, 60);
	CHECK(*www >= 0);
	jd_table_set_state(t, jd_table_add_service(t, "six.example.org.", &a,
	    &a6, 60), JD_READY);
	CHECK(jd_table_add_service(t, "v6only.example.org.", NULL, &a6, 60) >= 0);
	CHECK(jd_table_add_service(t, "box.dept.example.org.", &a, NULL, 60) >= 0);
	CHECK_EQ(jd_table_add_service(t, "www.example.net.", &a, NULL, 60), -EDOM);
	return t;
}

/* Reads our response back, checks the header against the query. */
static knot_pkt_t *
reply(const uint8_t *q, const struct jd_result *res)
{
	knot_pkt_t *p = knot_pkt_new(out, res->len, NULL);

	CHECK(p != NULL);
	CHECK_EQ(knot_pkt_parse(p, 0), KNOT_EOK);
	CHECK_EQ(knot_wire_get_id(out), 0xabcd);
	CHECK(knot_wire_get_qr(out));
	CHECK_EQ(knot_wire_get_rd(out) != 0, knot_wire_get_rd(q) != 0);
	return p;
}

static void
test_table(void)
{
	uint8_t q[512];
	struct jd_result res;
	int www;
	size_t i, len;
	struct jd_table *t = table(false, &www);

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		knot_pkt_t *p;
		int failed = check_failures;

		if (r->state != NONE)
			jd_table_set_state(t, www, r->state);
		len = query(q, r->name, r->type, r->class, NONE, i % 2);
		CHECK_EQ(jd_answer(t, q, len, false, JD_EDNS_UDP, out, &res), 0);
		CHECK_EQ(res.decision, r->decision);
		if (r->decision == JD_HOLD) {
			CHECK_EQ(res.summon, r->summon);
			CHECK(res.svc >= 0);
		}
		if (res.decision != JD_ANSWER || r->decision != JD_ANSWER)
			goto next;
		p = reply(q, &res);
		CHECK_EQ(knot_wire_get_rcode(out), r->rcode);
		CHECK_EQ(knot_wire_get_aa(out) != 0, r->aa);
		CHECK_EQ(knot_wire_get_tc(out), 0);
		CHECK_EQ(knot_wire_get_qdcount(out), 1);
		CHECK_EQ(knot_wire_get_ancount(out), r->an);
		CHECK_EQ(knot_wire_get_nscount(out), r->ns);
		CHECK_EQ(knot_wire_get_arcount(out), 0);
		/* the question as asked, case and all */
		CHECK(memcmp(out + 12, q + 12, len - 12) == 0);
		if (r->an)
			CHECK_EQ(knot_pkt_rr(knot_pkt_section(p, KNOT_ANSWER),
			    0)->type, r->type);
		if (r->ns)
			CHECK_EQ(knot_pkt_rr(knot_pkt_section(p, KNOT_AUTHORITY),
			    0)->type, KNOT_RRTYPE_SOA);
		knot_pkt_free(p);
next:
		if (check_failures != failed)
			fprintf(stderr, "  in row %zu: %s type %u class %u\n", i,
			    r->name, r->type, r->class);
	}
	jd_table_free(t);
}

/* The answer's owner points at the question, so it keeps its case. */
static void
test_case_kept(void)
{
	uint8_t q[512];
	struct jd_result res;
	int www;
	size_t len;
	struct jd_table *t = table(false, &www);

	jd_table_set_state(t, www, JD_READY);
	len = query(q, "wWw.EXAMPLE.org.", KNOT_RRTYPE_A, IN, NONE, true);
	CHECK_EQ(jd_answer(t, q, len, true, 0, out, &res), 0);
	CHECK_EQ(res.decision, JD_ANSWER);
	CHECK(memcmp(out + 12, q + 12, len - 12) == 0);
	CHECK_EQ(out[len], 0xc0);
	CHECK_EQ(out[len + 1], 12);
	CHECK(memcmp(out + res.len - 4, "\xc0\x00\x02\x07", 4) == 0);
	jd_table_free(t);
}

static void
test_edns(void)
{
	uint8_t q[512];
	struct jd_result res;
	knot_pkt_t *p;
	int www;
	size_t len;
	struct jd_table *t = table(false, &www);

	/* an unknown option is ignored; we advertise our size */
	len = query(q, "nope.example.org.", KNOT_RRTYPE_A, IN, 0, false);
	CHECK_EQ(jd_answer(t, q, len, false, JD_EDNS_UDP, out, &res), 0);
	p = reply(q, &res);
	CHECK(knot_pkt_has_edns(p));
	CHECK_EQ(knot_pkt_ext_rcode(p), KNOT_RCODE_NXDOMAIN);
	CHECK_EQ(knot_edns_get_payload(p->opt_rr), JD_EDNS_UDP);
	CHECK_EQ(knot_edns_get_version(p->opt_rr), 0);
	CHECK_EQ(knot_wire_get_nscount(out), 1);
	knot_pkt_free(p);
	/* version 1: BADVERS, with our OPT saying version 0 */
	len = query(q, "www.example.org.", KNOT_RRTYPE_A, IN, 1, true);
	CHECK_EQ(jd_answer(t, q, len, false, JD_EDNS_UDP, out, &res), 0);
	p = reply(q, &res);
	CHECK(knot_pkt_has_edns(p));
	CHECK_EQ(knot_pkt_ext_rcode(p), KNOT_RCODE_BADVERS);
	CHECK_EQ(knot_edns_get_version(p->opt_rr), 0);
	CHECK_EQ(knot_wire_get_ancount(out), 0);
	knot_pkt_free(p);
	jd_table_free(t);
}

/* Queries that are not one well-formed question. */
static void
test_malformed(void)
{
	uint8_t q[512];
	struct jd_result res;
	int www;
	size_t len;
	struct jd_table *t = table(true, &www);

	len = query(q, "www.example.org.", KNOT_RRTYPE_A, IN, NONE, true);
	q[5] = 2;
	CHECK_EQ(jd_answer(t, q, len, false, 512, out, &res), 0);
	CHECK_EQ(res.decision, JD_ANSWER);
	CHECK_EQ(res.len, 12);
	CHECK_EQ(knot_wire_get_rcode(out), KNOT_RCODE_FORMERR);
	CHECK(knot_wire_get_rd(out));
	q[5] = 0;
	CHECK_EQ(jd_answer(t, q, len, false, 512, out, &res), 0);
	CHECK_EQ(knot_wire_get_rcode(out), KNOT_RCODE_FORMERR);
	q[5] = 1;
	CHECK_EQ(jd_answer(t, q, len - 3, false, 512, out, &res), 0);
	CHECK_EQ(knot_wire_get_rcode(out), KNOT_RCODE_FORMERR);
	/* an unknown opcode (5 is UPDATE) */
	q[2] = 5 << 3;
	CHECK_EQ(jd_answer(t, q, len, false, 512, out, &res), 0);
	CHECK_EQ(res.decision, JD_ANSWER);
	CHECK_EQ(knot_wire_get_rcode(out), KNOT_RCODE_NOTIMPL);
	CHECK_EQ(knot_wire_get_opcode(out), 5);
	CHECK(knot_wire_get_qr(out));
	/* responses and runts get nothing */
	q[2] = 0x80;
	CHECK_EQ(jd_answer(t, q, len, false, 512, out, &res), 0);
	CHECK_EQ(res.decision, JD_DROP);
	CHECK_EQ(jd_answer(t, q, 11, false, 512, out, &res), 0);
	CHECK_EQ(res.decision, JD_DROP);
	/* forwarding: only names outside our zones */
	len = query(q, "www.example.com.", KNOT_RRTYPE_A, IN, NONE, true);
	CHECK_EQ(jd_answer(t, q, len, false, 512, out, &res), 0);
	CHECK_EQ(res.decision, JD_FORWARD);
	len = query(q, "nope.example.org.", KNOT_RRTYPE_A, IN, NONE, true);
	CHECK_EQ(jd_answer(t, q, len, false, 512, out, &res), 0);
	CHECK_EQ(res.decision, JD_ANSWER);
	CHECK_EQ(knot_wire_get_rcode(out), KNOT_RCODE_NXDOMAIN);
	jd_table_free(t);
}

/* An NXDOMAIN whose SOA does not fit 512 bytes: TC over UDP, whole over TCP. */
static void
test_truncation(void)
{
	char mname[300], rname[300], qn[300];
	uint8_t q[512];
	struct jd_result res;
	knot_pkt_t *p;
	size_t len;
	struct jd_table *t = jd_table_new(false);

	snprintf(mname, sizeof(mname), "%s.%s.%s.big.", "ns6789012345678901234567890123456789012345678901234567890123",
	    "a23456789012345678901234567890123456789012345678901234567890123",
	    "b23456789012345678901234567890123456789012345678901234567890123");
	snprintf(rname, sizeof(rname), "%s.%s.%s.big.", "hm6789012345678901234567890123456789012345678901234567890123",
	    "c23456789012345678901234567890123456789012345678901234567890123",
	    "d23456789012345678901234567890123456789012345678901234567890123");
	snprintf(qn, sizeof(qn), "%s.%s.%s.big.", "q23456789012345678901234567890123456789012345678901234567890123",
	    "e23456789012345678901234567890123456789012345678901234567890123",
	    "f23456789012345678901234567890123456789012345678901234567890123");
	CHECK_EQ(jd_table_add_zone(t, "big.", mname, rname, 7, 60), 0);
	len = query(q, qn, KNOT_RRTYPE_A, IN, NONE, true);
	CHECK_EQ(jd_answer(t, q, len, false, JD_EDNS_UDP, out, &res), 0);
	CHECK(res.len <= 512);
	p = reply(q, &res);
	CHECK(knot_wire_get_tc(out));
	CHECK(knot_wire_get_aa(out));
	CHECK_EQ(knot_wire_get_rcode(out), KNOT_RCODE_NXDOMAIN);
	CHECK_EQ(knot_wire_get_nscount(out), 0);
	knot_pkt_free(p);
	/* with EDNS it fits in 1232 */
	len = query(q, qn, KNOT_RRTYPE_A, IN, 0, true);
	CHECK_EQ(jd_answer(t, q, len, false, JD_EDNS_UDP, out, &res), 0);
	CHECK(res.len > 512);
	CHECK_EQ(knot_wire_get_tc(out), 0);
	CHECK_EQ(knot_wire_get_nscount(out), 1);
	/* a client's size below 512 counts as 512, one above ours as ours */
	q[len - 16] = 0x01;	/* OPT's class: 256 */
	CHECK_EQ(jd_answer(t, q, len, false, JD_EDNS_UDP, out, &res), 0);
	CHECK(knot_wire_get_tc(out));
	q[len - 16] = 0x10;	/* 4096 */
	CHECK_EQ(jd_answer(t, q, len, false, 600, out, &res), 0);
	CHECK(knot_wire_get_tc(out));
	/* TCP: whole */
	len = query(q, qn, KNOT_RRTYPE_A, IN, NONE, true);
	CHECK_EQ(jd_answer(t, q, len, true, JD_EDNS_UDP, out, &res), 0);
	CHECK_EQ(knot_wire_get_tc(out), 0);
	CHECK_EQ(knot_wire_get_nscount(out), 1);
	jd_table_free(t);
}

/* n records of an unknown type in the additional section */
static size_t
padded(uint8_t *q, int n)
{
	static const uint8_t rr[] = { 0, 0xff, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
	size_t len = query(q, "www.example.org.", KNOT_RRTYPE_A, IN, NONE, true);
	int i;

	for (i = 0; i < n; i++, len += sizeof(rr))
		memcpy(q + len, rr, sizeof(rr));
	knot_wire_write_u16(q + 10, n);
	return len;
}

/* What parsing a query can take is bounded: thousands of records are a
 * FORMERR, a few are answered. */
static void
test_bounded(void)
{
	static uint8_t q[JD_MSG_MAX];
	struct jd_result res;
	int www;
	size_t len;
	struct jd_table *t = table(false, &www);

	jd_table_set_state(t, www, JD_READY);
	len = padded(q, 3);
	CHECK_EQ(jd_answer(t, q, len, true, 0, out, &res), 0);
	CHECK_EQ(res.decision, JD_ANSWER);
	CHECK_EQ(knot_wire_get_rcode(out), 0);
	CHECK_EQ(knot_wire_get_ancount(out), 1);
	len = padded(q, 5000);
	CHECK(len <= JD_MSG_MAX);
	CHECK_EQ(jd_answer(t, q, len, true, 0, out, &res), 0);
	CHECK_EQ(res.decision, JD_ANSWER);
	CHECK_EQ(res.len, 12);
	CHECK_EQ(knot_wire_get_rcode(out), KNOT_RCODE_FORMERR);
	/* and the next query is whole again */
	len = padded(q, 0);
	CHECK_EQ(jd_answer(t, q, len, true, 0, out, &res), 0);
	CHECK_EQ(knot_wire_get_ancount(out), 1);
	jd_table_free(t);
}

/* The TTL of the answer section's first record. */
static uint32_t
answer_ttl(const uint8_t *q, const struct jd_result *res)
{
	knot_pkt_t *p = reply(q, res);
	uint32_t ttl = knot_pkt_rr(knot_pkt_section(p,
	    KNOT_ANSWER), 0)->ttl;

	knot_pkt_free(p);
	return ttl;
}

/* Answer policy now: a stopped service's address at once, with the short
 * TTL, and a summon; booting: the same without; ready: the usual TTL. */
static void
test_early(void)
{
	uint8_t q[512];
	struct jd_result res;
	int www;
	size_t len;
	struct jd_table *t = table(false, &www);

	jd_table_set_early_ttl(t, www, 1);
	len = query(q, "www.example.org.", KNOT_RRTYPE_A, IN, NONE, true);
	CHECK_EQ(jd_answer(t, q, len, false, JD_EDNS_UDP, out, &res), 0);
	CHECK_EQ(res.decision, JD_ANSWER);
	CHECK(res.summon);
	CHECK_EQ(res.svc, www);
	CHECK_EQ(knot_wire_get_ancount(out), 1);
	CHECK_EQ(answer_ttl(q, &res), 1);
	jd_table_set_state(t, www, JD_BOOTING);
	CHECK_EQ(jd_answer(t, q, len, false, JD_EDNS_UDP, out, &res), 0);
	CHECK_EQ(res.decision, JD_ANSWER);
	CHECK(!res.summon);
	CHECK_EQ(answer_ttl(q, &res), 1);
	/* AAAA of an A-only service: NODATA, no summon, as with wait */
	jd_table_set_state(t, www, JD_STOPPED);
	len = query(q, "www.example.org.", KNOT_RRTYPE_AAAA, IN, NONE, true);
	CHECK_EQ(jd_answer(t, q, len, false, JD_EDNS_UDP, out, &res), 0);
	CHECK_EQ(res.decision, JD_ANSWER);
	CHECK(!res.summon);
	CHECK_EQ(knot_wire_get_ancount(out), 0);
	jd_table_set_state(t, www, JD_READY);
	len = query(q, "www.example.org.", KNOT_RRTYPE_A, IN, NONE, true);
	CHECK_EQ(jd_answer(t, q, len, false, JD_EDNS_UDP, out, &res), 0);
	CHECK(!res.summon);
	CHECK_EQ(answer_ttl(q, &res), 60);
	jd_table_free(t);
}

/*
 * Kept answers (the cache) against answers made anew, byte for byte:
 * each query twice with other IDs on a table that keeps answers, once
 * on one that does not; names in mixed case, in and out of the zones,
 * absent, empty non-terminals; known and unknown types; both classes;
 * no EDNS, EDNS 0 with and without DO, BADVERS; UDP sizes and TCP.
 * Then a service's state changes: no stale answer may come.
 */
static void
ask_both(struct jd_table *fast, struct jd_table *slow, uint8_t *q,
    size_t len, bool tcp, size_t udp_max)
{
	static uint8_t out2[JD_MSG_MAX];
	struct jd_result rf, rs;

	for (int i = 0; i < 2; i++) {
		q[0] = (uint8_t)(0x11 * (i + 1));
		q[1] = (uint8_t)(len + 0x55 * i);
		CHECK_EQ(jd_answer(slow, q, len, tcp, udp_max, out2, &rs), 0);
		CHECK_EQ(jd_answer(fast, q, len, tcp, udp_max, out, &rf), 0);
		CHECK_EQ(rf.decision, rs.decision);
		CHECK_EQ(rf.svc, rs.svc);
		CHECK_EQ(rf.summon, rs.summon);
		CHECK_EQ(rf.limit, rs.limit);
		if (rs.decision != JD_ANSWER)
			continue;
		CHECK_EQ(rf.len, rs.len);
		CHECK(rf.len == rs.len && memcmp(out, out2, rs.len) == 0);
	}
}

static void
ask_all(struct jd_table *fast, struct jd_table *slow)
{
	static const char *const names[] = { "www.example.org.",
		"WwW.ExAmPlE.oRg.", "SIX.example.org.", "v6only.example.org.",
		"nope.example.org.", "NoPe.sub.example.org.", "example.org.",
		"EXAMPLE.ORG.", "dept.example.org.", "Box.Dept.example.org.",
		"www.example.net.", "org." };
	static const uint16_t types[] = { KNOT_RRTYPE_A, KNOT_RRTYPE_AAAA,
		KNOT_RRTYPE_SOA, KNOT_RRTYPE_NS, KNOT_RRTYPE_MX,
		KNOT_RRTYPE_TXT, 65280, KNOT_RRTYPE_ANY };
	/* each after each: a kept answer for one is not the other's */
	static const struct { bool tcp; size_t udp_max; } tr[] = {
		{ false, 512 }, { false, JD_EDNS_UDP }, { true, JD_EDNS_UDP },
		{ true, 512 }, { false, 512 },
	};
	uint8_t q[512];

	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++)
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
	for (int cl = 0; cl < 2; cl++)
	for (int e = -1; e <= 2; e++)
	for (size_t x = 0; x < sizeof(tr) / sizeof(tr[0]); x++) {
		/* e 2: EDNS 0 with DO, and a small payload size */
		size_t len = query(q, names[n], types[t], cl ? CH : IN,
		    e == 2 ? 0 : e, (n + t) & 1);

		if (e == 2) {
			q[len - 19 + 3] = 0x02;	/* 512 */
			q[len - 19 + 4] = 0x00;
			q[len - 19 + 7] = 0x80;	/* DO */
		}
		ask_both(fast, slow, q, len, tr[x].tcp, tr[x].udp_max);
	}
}

static void
test_cache(void)
{
	int www, www2;
	struct jd_table *fast = table(false, &www);
	struct jd_table *slow = table(false, &www2);
	static const enum jd_svc_state states[] = { JD_READY, JD_STOPPED,
		JD_BOOTING, JD_READY };

	jd_table_cache(slow, false);
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		jd_table_set_state(fast, www, states[i]);
		jd_table_set_state(slow, www2, states[i]);
		ask_all(fast, slow);
	}
	/* answer policy now: the early TTL, then READY's own */
	jd_table_set_early_ttl(fast, www, 3);
	jd_table_set_early_ttl(slow, www2, 3);
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		jd_table_set_state(fast, www, states[i]);
		jd_table_set_state(slow, www2, states[i]);
		ask_all(fast, slow);
	}
	jd_table_free(fast);
	jd_table_free(slow);
}

int
main(void)
{
	test_table();
	test_early();
	test_case_kept();
	test_edns();
	test_malformed();
	test_truncation();
	test_bounded();
	test_cache();
	return CHECK_DONE();
}
