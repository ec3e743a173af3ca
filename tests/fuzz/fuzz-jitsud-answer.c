/*
 * libFuzzer target: jitsud's query handling (jitsud/answer.h), jd_answer()
 * on any bytes. The first input byte picks the transport, the UDP size,
 * forwarding and the services' states; the rest is the query. Checked:
 * nothing but a runt or a response is dropped; an answer has the query's
 * ID, QR set, fits the transport and parses back as one message with at
 * most one question; only a name of ours that is not ready is held, and
 * only a stopped one is summoned; only a table that forwards forwards.
 * The answers the abuse limits give, made by jd_answer_rcode() (REFUSED,
 * the slip's empty NOERROR, and SERVFAIL), hold to the same; and the
 * rate limiting table takes the query's bytes as a client address, with
 * any prefix lengths, within its slots. The answers the table keeps
 * (its cache) are those a table that keeps none makes, byte for byte,
 * asked once or twice.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include <libknot/libknot.h>

#include "answer.h"
#include "rrl.h"
#include "fuzz.h"

static struct jd_table *tables[2], *uncached[2];
static enum jd_svc_state states[4];
static uint8_t out[JD_MSG_MAX], out2[JD_MSG_MAX];

static struct jd_table *
table(bool forward)
{
	struct jd_table *t = jd_table_new(forward);
	struct in_addr a;
	struct in6_addr a6;

	FUZZ_CHECK(t != NULL);
	inet_pton(AF_INET, "192.0.2.7", &a);
	inet_pton(AF_INET6, "2001:db8::7", &a6);
	FUZZ_CHECK(jd_table_add_zone(t, "example.org.", "ns1.example.org.",
	    "hostmaster.example.org.", 1, 300) == 0);
	FUZZ_CHECK(jd_table_add_zone(t, "sub.example.org.", "ns1.example.org.",
	    "hostmaster.example.org.", 1, 300) == 0);
	FUZZ_CHECK(jd_table_add_service(t, "www.example.org.", &a, NULL, 60) == 0);
	FUZZ_CHECK(jd_table_add_service(t, "six.example.org.", &a, &a6, 60) == 1);
	FUZZ_CHECK(jd_table_add_service(t, "v6.sub.example.org.", NULL, &a6,
	    60) == 2);
	FUZZ_CHECK(jd_table_add_service(t, "example.org.", &a, NULL, 60) == 3);
	return t;
}

/* An answer to q has its ID, QR set, fits, and parses back. */
static void
check_answer(const uint8_t *q, const struct jd_result *res, size_t limit)
{
	knot_pkt_t *p;

	FUZZ_CHECK(res->len >= 12);
	FUZZ_CHECK(res->len <= (limit > 512 ? limit : 512));
	FUZZ_CHECK(memcmp(out, q, 2) == 0);
	FUZZ_CHECK(knot_wire_get_qr(out));
	FUZZ_CHECK(knot_wire_get_qdcount(out) <= 1);
	p = knot_pkt_new(out, res->len, NULL);
	FUZZ_CHECK(p != NULL);
	FUZZ_CHECK(knot_pkt_parse(p, 0) == KNOT_EOK);
	knot_pkt_free(p);
}

/* The same answer from a table that keeps none, and again from t. */
static void
check_cache(struct jd_table *t, struct jd_table *u, const uint8_t *q,
    size_t qlen, bool tcp, size_t limit, const struct jd_result *res)
{
	struct jd_result r2;

	for (int i = 0; i < 2; i++) {
		FUZZ_CHECK(jd_answer(i ? t : u, q, qlen, tcp, limit, out2,
		    &r2) == 0);
		FUZZ_CHECK(r2.decision == res->decision);
		FUZZ_CHECK(r2.svc == res->svc && r2.summon == res->summon);
		FUZZ_CHECK(r2.limit == res->limit);
		if (res->decision == JD_ANSWER)
			FUZZ_CHECK(r2.len == res->len &&
			    memcmp(out, out2, res->len) == 0);
	}
}

/* The limits' answers: no records, else as any answer. */
static void
check_rcodes(struct jd_table *t, const uint8_t *q, size_t qlen, bool tcp,
    size_t limit)
{
	static const int rcodes[] = { KNOT_RCODE_REFUSED, KNOT_RCODE_NOERROR,
		KNOT_RCODE_SERVFAIL };
	struct jd_result res;

	for (size_t i = 0; i < sizeof(rcodes) / sizeof(rcodes[0]); i++) {
		FUZZ_CHECK(jd_answer_rcode(t, q, qlen, tcp, limit, rcodes[i],
		    out, &res) == 0);
		FUZZ_CHECK(res.decision == JD_ANSWER ||
		    res.decision == JD_DROP);
		if (res.decision != JD_ANSWER)
			continue;
		check_answer(q, &res, limit);
		FUZZ_CHECK(knot_wire_get_ancount(out) == 0);
	}
}

static void
check_rrl(const uint8_t *q, size_t qlen)
{
	struct rrl_params p = { 3, 8, 0, 0, 2 };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct rrl *r;
	uint64_t passed = 0;

	if (qlen < 18)
		return;
	p.v4_prefix = q[0];	/* past 32 or 128 too */
	p.v6_prefix = q[1];
	r = rrl_new(&p, 1);
	FUZZ_CHECK(r != NULL);
	memcpy(&a6.sin6_addr, q + 2, 16);
	memcpy(&a4.sin_addr, q + 2, 4);
	for (int i = 0; i < 5; i++) {
		passed += rrl_check(r, (const struct sockaddr *)&a6, 0) ==
		    RRL_PASS;
		passed += rrl_check(r, (const struct sockaddr *)&a4, 0) ==
		    RRL_PASS;
	}
	/* one slot or two (shared on a collision), three answers each */
	FUZZ_CHECK(rrl_used(r) >= 1 && rrl_used(r) <= 2);
	FUZZ_CHECK(passed == 3 * rrl_used(r));
	rrl_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t udp_sizes[4] = { 512, 600, JD_EDNS_UDP, 4096 };
	struct jd_result res;
	struct jd_table *t;
	const uint8_t *q;
	size_t qlen, limit;
	bool tcp;
	int i;

	if (!tables[0]) {
		tables[0] = table(false);
		tables[1] = table(true);
		uncached[0] = table(false);
		uncached[1] = table(true);
		jd_table_cache(uncached[0], false);
		jd_table_cache(uncached[1], false);
	}
	if (size < 1)
		return 0;
	t = tables[data[0] & 1];
	tcp = data[0] & 2;
	limit = tcp ? JD_MSG_MAX : udp_sizes[(data[0] >> 2) & 3];
	for (i = 0; i < 4; i++) {
		states[i] = (data[0] >> (4 + i)) & 1 ? JD_READY :
		    i & 1 ? JD_BOOTING : JD_STOPPED;
		jd_table_set_state(t, i, states[i]);
		jd_table_set_state(uncached[data[0] & 1], i, states[i]);
	}
	q = data + 1;
	qlen = size - 1;
	FUZZ_CHECK(jd_answer(t, q, qlen, tcp, limit, out, &res) == 0);
	switch (res.decision) {
	case JD_DROP:
		FUZZ_CHECK(qlen < 12 || qlen > JD_MSG_MAX || knot_wire_get_qr(q));
		break;
	case JD_FORWARD:
		FUZZ_CHECK(t == tables[1]);
		break;
	case JD_HOLD:
		FUZZ_CHECK(res.svc >= 0 && res.svc < 4);
		FUZZ_CHECK(states[res.svc] != JD_READY);
		FUZZ_CHECK(res.summon == (states[res.svc] == JD_STOPPED));
		break;
	case JD_ANSWER:
		check_answer(q, &res, limit);
		break;
	}
	check_cache(t, uncached[data[0] & 1], q, qlen, tcp, limit, &res);
	check_rcodes(t, q, qlen, tcp, limit);
	check_rrl(q, qlen);
	return 0;
}
