/*
 * dns-codec: how fast do libknot and ldns parse a typical query and build
 * the authoritative answer? Chooses jitsud's wire-format library (issue 12);
 * not a pass/fail test. "make bench-dns-codec" builds it, run it by hand:
 *   build/bench/dns-codec [N]
 * Each op: parse "www.example.org A IN" with an EDNS OPT (1232), build the
 * answer (AA, RD copied, one A record, OPT) into wire bytes. The records
 * are built once, as a server builds its zone at load time.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>
#include <libknot/libknot.h>

static const uint8_t query[] = {
	0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0,
	0, 1, 0, 1,
	0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0,
};
static const uint8_t addr[4] = { 192, 0, 2, 7 };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	fprintf(stderr, "dns-codec: %s failed\n", what);
	exit(1);
}

static size_t sink;

static double
run_knot(long n)
{
	uint8_t qwire[512], rwire[1232];
	knot_pkt_t *q = knot_pkt_new(qwire, sizeof(qwire), NULL);
	knot_pkt_t *r = knot_pkt_new(rwire, sizeof(rwire), NULL);
	knot_dname_t *owner = knot_dname_from_str_alloc("www.example.org.");
	knot_rrset_t a, opt;
	double t0;
	long i;

	if (!q || !r || !owner)
		die("knot setup");
	knot_rrset_init(&a, owner, KNOT_RRTYPE_A, KNOT_CLASS_IN, 60);
	knot_rrset_init_empty(&opt);
	if (knot_rrset_add_rdata(&a, addr, 4, NULL) != KNOT_EOK ||
	    knot_edns_init(&opt, 1232, 0, 0, NULL) != KNOT_EOK)
		die("knot records");
	t0 = now();
	for (i = 0; i < n; i++) {
		knot_pkt_clear(q);
		memcpy(q->wire, query, sizeof(query));
		q->size = sizeof(query);
		if (knot_pkt_parse(q, 0) != KNOT_EOK || knot_pkt_qtype(q) != KNOT_RRTYPE_A ||
		    !knot_pkt_has_edns(q))
			die("knot parse");
		knot_pkt_clear(r);
		if (knot_pkt_init_response(r, q) != KNOT_EOK)
			die("knot response");
		knot_wire_set_aa(r->wire);
		if (knot_pkt_reserve(r, knot_edns_wire_size(&opt)) != KNOT_EOK ||
		    knot_pkt_begin(r, KNOT_ANSWER) != KNOT_EOK ||
		    knot_pkt_put(r, KNOT_COMPR_HINT_QNAME, &a, 0) != KNOT_EOK ||
		    knot_pkt_begin(r, KNOT_ADDITIONAL) != KNOT_EOK ||
		    knot_pkt_reclaim(r, knot_edns_wire_size(&opt)) != KNOT_EOK ||
		    knot_pkt_put(r, KNOT_COMPR_HINT_NONE, &opt, 0) != KNOT_EOK)
			die("knot build");
		sink += r->size;
	}
	t0 = now() - t0;
	knot_pkt_free(q);
	knot_pkt_free(r);
	knot_rrset_clear(&a, NULL);	/* frees owner too */
	knot_rrset_clear(&opt, NULL);
	return t0;
}

static double
run_ldns(long n)
{
	ldns_rr *a = NULL;
	double t0;
	long i;

	if (ldns_rr_new_frm_str(&a, "www.example.org. 60 IN A 192.0.2.7", 0, NULL,
	    NULL) != LDNS_STATUS_OK)
		die("ldns records");
	t0 = now();
	for (i = 0; i < n; i++) {
		ldns_pkt *q = NULL, *r;
		uint8_t *wire = NULL;
		size_t len = 0;

		if (ldns_wire2pkt(&q, query, sizeof(query)) != LDNS_STATUS_OK ||
		    ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(q), 0)) !=
		    LDNS_RR_TYPE_A || ldns_pkt_edns_udp_size(q) == 0)
			die("ldns parse");
		r = ldns_pkt_new();
		if (!r)
			die("ldns response");
		ldns_pkt_set_id(r, ldns_pkt_id(q));
		ldns_pkt_set_qr(r, true);
		ldns_pkt_set_aa(r, true);
		ldns_pkt_set_rd(r, ldns_pkt_rd(q));
		ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION,
		    ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, ldns_rr_clone(a));
		ldns_pkt_set_edns_udp_size(r, 1232);
		if (ldns_pkt2wire(&wire, r, &len) != LDNS_STATUS_OK)
			die("ldns build");
		sink += len;
		free(wire);
		ldns_pkt_free(r);
		ldns_pkt_free(q);
	}
	t0 = now() - t0;
	ldns_rr_free(a);
	return t0;
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	double k, l;

	if (n <= 0)
		n = 1000000;
	run_knot(n / 10);	/* warm up */
	run_ldns(n / 10);
	k = run_knot(n);
	l = run_ldns(n);
	printf("libknot %d.%d.%d: %.0f ns/op\n", KNOT_VERSION_MAJOR,
	    KNOT_VERSION_MINOR, KNOT_VERSION_PATCH, k / n * 1e9);
	printf("ldns %s: %.0f ns/op\n", ldns_version(), l / n * 1e9);
	printf("dns-codec: ops=%ld knot_ns=%.0f ldns_ns=%.0f ldns/knot=%.2f\n",
	    n, k / n * 1e9, l / n * 1e9, l / k);
	return sink == 0;
}
