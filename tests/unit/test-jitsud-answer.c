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
	return CHECK_DONE();
}
