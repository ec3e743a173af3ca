/*
 * jitsud's answer logic: query bytes in, response bytes and a decision out.
 * Pure (no I/O); the wire format is libknot's. The caller owns the sockets,
 * the summoning and the forwarding; it asks again when a held service is
 * ready.
 */
#ifndef JITSUD_ANSWER_H
#define JITSUD_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* The UDP payload size we advertise and answer within (DNS flag day 2020). */
#define JD_EDNS_UDP 1232
/* Largest response: a TCP message. */
#define JD_MSG_MAX 65535

enum jd_svc_state { JD_STOPPED, JD_BOOTING, JD_READY };

enum jd_decision {
	JD_ANSWER,	/* send out[0..len) */
	JD_HOLD,	/* wait for service svc, then ask again */
	JD_FORWARD,	/* not ours: forward the query as it came */
	JD_DROP,	/* send nothing (not a query we can answer) */
};

struct jd_result {
	enum jd_decision decision;
	int svc;	/* the service asked for (JD_HOLD: to wait for), or -1 */
	/* JD_HOLD, or JD_ANSWER of answer policy now: the service is
	 * stopped, start it */
	bool summon;
	size_t len;	/* JD_ANSWER: response length */
	size_t limit;	/* the largest response this client takes */
};

struct jd_table;

/* Names are in presentation form, case-insensitive. Return -errno. */
struct jd_table *jd_table_new(bool forward);
void jd_table_free(struct jd_table *t);
int jd_table_add_zone(struct jd_table *t, const char *apex, const char *ns,
    const char *mbox, uint32_t serial, uint32_t ttl);
/* Returns the service's index (>= 0); a or aaaa may be NULL. Its zone must
 * have been added. */
int jd_table_add_service(struct jd_table *t, const char *name,
    const struct in_addr *a, const struct in6_addr *aaaa, uint32_t ttl);
void jd_table_set_state(struct jd_table *t, int svc, enum jd_svc_state st);
/*
 * Answer policy now for service svc: while it is not ready, its
 * addresses are answered at once with ttl (short: the client asks again
 * soon), rather than held until it is.
 */
void jd_table_set_early_ttl(struct jd_table *t, int svc, uint32_t ttl);

/*
 * Keeping answers (kept.h): on, as made; off, each query is parsed and
 * answered anew (the tests compare the two). Returns 0 or -ENOMEM.
 */
int jd_table_cache(struct jd_table *t, bool on);

/*
 * Answers one query: tcp, or UDP within udp_max bytes (the client's EDNS
 * size, at least 512, at most this). out has room for JD_MSG_MAX bytes.
 * Returns 0, or -errno on an internal failure (then drop the query).
 */
int jd_answer(struct jd_table *t, const uint8_t *q, size_t qlen, bool tcp,
    size_t udp_max, uint8_t *out, struct jd_result *res);

/*
 * Answers the query with rcode and no records (SERVFAIL for a held query
 * whose service did not come up); decided as jd_answer() would for
 * malformed queries.
 */
int jd_answer_rcode(struct jd_table *t, const uint8_t *q, size_t qlen,
    bool tcp, size_t udp_max, int rcode, uint8_t *out, struct jd_result *res);

#endif
