/*
 * libFuzzer target: jitsud's query handling (jitsud/answer.h), jd_answer()
 * on any bytes. The first input byte picks the transport, the UDP size,
 * forwarding and the services' states; the rest is the query. Checked:
 * nothing but a runt or a response is dropped; an answer has the query's
 * ID, QR set, fits the transport and parses back as one message with at
 * most one question; only a name of ours that is not ready is held, and
 * only a stopped one is summoned; only a table that forwards forwards.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include <libknot/libknot.h>

#include "answer.h"
#include "fuzz.h"

static struct jd_table *tables[2];
static enum jd_svc_state states[4];
static uint8_t out[JD_MSG_MAX];

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t udp_sizes[4] = { 512, 600, JD_EDNS_UDP, 4096 };
	struct jd_result res;
	struct jd_table *t;
	const uint8_t *q;
	size_t qlen, limit;
	bool tcp;
	knot_pkt_t *p;
	int i;

	if (!tables[0]) {
		tables[0] = table(false);
		tables[1] = table(true);
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
		FUZZ_CHECK(res.len >= 12);
		FUZZ_CHECK(res.len <= (limit > 512 ? limit : 512));
		FUZZ_CHECK(memcmp(out, q, 2) == 0);
		FUZZ_CHECK(knot_wire_get_qr(out));
		FUZZ_CHECK(knot_wire_get_qdcount(out) <= 1);
		p = knot_pkt_new(out, res.len, NULL);
		FUZZ_CHECK(p != NULL);
		FUZZ_CHECK(knot_pkt_parse(p, 0) == KNOT_EOK);
		knot_pkt_free(p);
		break;
	}
	return 0;
}
