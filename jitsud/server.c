/* The DNS server (see server.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/util.h>

#include "answer.h"
#include "fwdio.h"
#include "hold.h"
#include "deadline.h"
#include "limits.h"
#include "ratelimit.h"
#include "rrl.h"
#include "server.h"
#include "tcp.h"
#include "udp.h"

#define RCODE_NOERROR 0
#define RCODE_SERVFAIL 2
#define RCODE_REFUSED 5
#define FLAG_TC 0x02	/* in the third header byte */
/* Queries held at once, in all and per service: a flood for a booting
 * service is a fixed amount of memory (at most a message each). */
#define HOLD_MAX 1024
#define HOLD_PER_SVC 256

struct jd_server {
	const struct jc_conf *conf;
	struct jd_table *table;
	struct udp *udp[JD_MAX_SOCKS];
	int nudp;
	struct tcp *tcp;
	struct fwdio *fw;	/* NULL: no resolvers */
	const struct jd_summon *summon;	/* NULL: none */
	struct hold *hold;
	struct event *hold_timer;
	struct limits *limits;
	struct rrl *rrl;	/* NULL: rate limiting off */
	struct {
		uint64_t queries, dropped, held, hold_full, boot_timeouts,
		    rcode[16], unsent;
		uint64_t rrl_limited, rrl_slipped, over_running, over_rate;
	} n;
	uint64_t *svc_queries;
	uint64_t *svc_limited;	/* queries past a summon limit */
	uint8_t out[JD_MSG_MAX];
};

/* Ends the client's query with msg, len 0: with nothing. */
static void
send_to(struct jd_server *s, const struct jd_client *c, const uint8_t *msg,
    size_t len)
{
	if (len >= 4)
		s->n.rcode[msg[3] & 0xf]++;
	else
		s->n.dropped++;
	if (c->tcp)
		tcp_reply(s->tcp, c, msg, len);
	else if (len && udp_reply(c, msg, len) < 0)
		s->n.unsent++;
}

/* Answers the query with rcode and no records (tc: truncated, for a
 * retry over TCP), or drops it when it cannot be answered. */
static void
rcode_answer(struct jd_server *s, const uint8_t *q, size_t len,
    const struct jd_client *c, int rcode, bool tc)
{
	struct jd_result res;

	if (jd_answer_rcode(s->table, q, len, c->tcp, JD_EDNS_UDP, rcode,
	    s->out, &res) < 0 || res.decision != JD_ANSWER) {
		send_to(s, c, NULL, 0);
		return;
	}
	if (tc)
		s->out[2] |= FLAG_TC;
	send_to(s, c, s->out, res.len);
}

static void
servfail(struct jd_server *s, const uint8_t *q, size_t len,
    const struct jd_client *c)
{
	rcode_answer(s, q, len, c, RCODE_SERVFAIL, false);
}

/* A query past a limit: REFUSED, or nothing, as configured. */
static void
limited(struct jd_server *s, const uint8_t *q, size_t len,
    const struct jd_client *c, int action)
{
	if (action == JC_LIMIT_DROP)
		send_to(s, c, NULL, 0);
	else
		rcode_answer(s, q, len, c, RCODE_REFUSED, false);
}

/* Would the query for stopped service svc start it within the limits? */
static bool
may_summon(struct jd_server *s, int svc)
{
	unsigned int running = s->summon->running ?
	    s->summon->running(s->summon->arg, svc) : 0;

	switch (lim_summon(s->limits, svc, running, rl_now_ns())) {
	case LIM_OK:
		return true;
	case LIM_RUNNING:
		s->n.over_running++;
		break;
	case LIM_RATE:
		s->n.over_rate++;
		break;
	}
	s->svc_limited[svc]++;
	return false;
}

static void
rearm_hold(struct jd_server *s)
{
	jd_timer_at(s->hold_timer, hold_next_deadline(s->hold));
}

static void on_released(void *arg, int svc, const uint8_t *q, size_t len,
    const struct jd_client *c);

/* A query for a service that is not up: held while it is summoned. */
static void
hold(struct jd_server *s, const uint8_t *q, size_t len,
    const struct jd_client *c, const struct jd_result *res)
{
	uint64_t now = jd_now_ms();
	int svc = res->svc;

	if (!s->summon) {
		servfail(s, q, len, c);
		return;
	}
	if (res->summon && !may_summon(s, svc)) {
		limited(s, q, len, c, s->conf->limit_action);
		return;
	}
	if (hold_add(s->hold, svc, q, len, c, now +
	    s->conf->services[svc].boot_ms) < 0) {
		s->n.hold_full++;
		servfail(s, q, len, c);
		return;
	}
	s->n.held++;
	if (res->summon) {
		jd_table_set_state(s->table, svc, JD_BOOTING);
		if (s->summon->start(s->summon->arg, svc) < 0)
			jd_server_service_state(s, svc, JD_STOPPED);
	}
	rearm_hold(s);
}

static void
answer(struct jd_server *s, const uint8_t *q, size_t len,
    const struct jd_client *c, bool again)
{
	struct jd_result res;

	if (jd_answer(s->table, q, len, c->tcp, JD_EDNS_UDP, s->out,
	    &res) < 0) {
		send_to(s, c, NULL, 0);
		return;
	}
	if (res.svc >= 0 && !again)
		s->svc_queries[res.svc]++;
	switch (res.decision) {
	case JD_ANSWER:
		/* answer policy now: answered, and the service summoned,
		 * within the limits as a held query's would be */
		if (res.summon && s->summon && !may_summon(s, res.svc)) {
			limited(s, q, len, c, s->conf->limit_action);
			return;
		}
		send_to(s, c, s->out, res.len);
		if (res.summon && s->summon) {
			jd_table_set_state(s->table, res.svc, JD_BOOTING);
			if (s->summon->start(s->summon->arg, res.svc) < 0)
				jd_server_service_state(s, res.svc, JD_STOPPED);
		}
		if (res.svc >= 0 && s->summon && s->summon->used)
			s->summon->used(s->summon->arg, res.svc);
		return;
	case JD_DROP:
		send_to(s, c, NULL, 0);
		return;
	case JD_FORWARD:
		if (s->fw && fwdio_forward(s->fw, q, len, c, res.limit) == 0)
			return;
		servfail(s, q, len, c);
		return;
	case JD_HOLD:
		hold(s, q, len, c, &res);
		return;
	}
}

static void
on_query(void *arg, const uint8_t *q, size_t len, const struct jd_client *c)
{
	struct jd_server *s = arg;

	s->n.queries++;
	if (!c->tcp && s->rrl)
		switch (rrl_check(s->rrl, (const struct sockaddr *)&c->peer,
		    rl_now_ns())) {
		case RRL_PASS:
			break;
		case RRL_SLIP:
			/* NSD's slip: empty and truncated, for the client
			 * to retry over TCP, where it is not limited. */
			s->n.rrl_slipped++;
			rcode_answer(s, q, len, c, RCODE_NOERROR, true);
			return;
		case RRL_LIMIT:
			s->n.rrl_limited++;
			limited(s, q, len, c, s->conf->rrl_action);
			return;
		}
	answer(s, q, len, c, false);
}

/* A held query whose service came up (or went): answered again. */
static void
on_released(void *arg, int svc, const uint8_t *q, size_t len,
    const struct jd_client *c)
{
	(void)svc;
	answer(arg, q, len, c, true);
}

static void
on_expired(void *arg, int svc, const uint8_t *q, size_t len,
    const struct jd_client *c)
{
	struct jd_server *s = arg;

	(void)svc;
	s->n.boot_timeouts++;
	servfail(s, q, len, c);
}

static void
on_hold_timer(evutil_socket_t fd, short what, void *arg)
{
	struct jd_server *s = arg;

	(void)fd; (void)what;
	hold_expire(s->hold, jd_now_ms(), on_expired, s);
	rearm_hold(s);
}

static void
on_failed(void *arg, int svc, const uint8_t *q, size_t len,
    const struct jd_client *c)
{
	(void)svc;
	servfail(arg, q, len, c);
}

void
jd_server_service_state(struct jd_server *s, int svc, enum jd_svc_state st)
{
	if (svc < 0 || (unsigned int)svc >= s->conf->nservices)
		return;
	jd_table_set_state(s->table, svc, st);
	if (st == JD_READY)
		hold_release(s->hold, svc, on_released, s);
	else if (st == JD_STOPPED)
		hold_release(s->hold, svc, on_failed, s);
	rearm_hold(s);
}

static void
on_forwarded(void *arg, const struct jd_client *c, const uint8_t *msg,
    size_t len)
{
	send_to(arg, c, msg, len);
}

static int
build_table(struct jd_server *s)
{
	const struct jc_conf *c = s->conf;
	int r;

	s->table = jd_table_new(c->out_of_zone == JC_FORWARD);
	if (!s->table)
		return -ENOMEM;
	for (unsigned int i = 0; i < c->nzones; i++) {
		const struct jc_zone *z = &c->zones[i];

		if ((r = jd_table_add_zone(s->table, z->apex, z->ns, z->mbox,
		    (uint32_t)z->serial, (uint32_t)z->ttl)) < 0)
			return r;
	}
	for (unsigned int i = 0; i < c->nservices; i++) {
		const struct jc_service *v = &c->services[i];

		r = jd_table_add_service(s->table, v->name,
		    v->has_a ? &v->a : NULL, v->has_aaaa ? &v->aaaa : NULL,
		    (uint32_t)v->ttl);
		if (r < 0)
			return r;
		/* Names without a domain behind them are always up. */
		if (!v->vm[0] && !v->xl_config[0])
			jd_table_set_state(s->table, r, JD_READY);
		else if (v->answer_policy == JC_ANSWER_NOW)
			jd_table_set_early_ttl(s->table, r,
			    (uint32_t)v->answer_ttl);
	}
	return 0;
}

int
jd_server_new(struct event_base *base, const struct jc_conf *c,
    const struct jd_sock *socks, int nsocks, const struct jc_addr *resolvers,
    unsigned int nresolvers, const struct jd_summon *summon,
    struct jd_server **out)
{
	struct jd_server *s = calloc(1, sizeof(*s));
	struct tcp_limits tl = { (unsigned int)c->tcp_max,
		(unsigned int)c->tcp_pipeline, c->tcp_idle_ms };
	int r, i;

	if (!s) {
		for (i = 0; i < nsocks; i++)
			close(socks[i].fd);
		return -ENOMEM;
	}
	s->conf = c;
	s->summon = summon;
	s->svc_queries = calloc(c->nservices + 1, sizeof(*s->svc_queries));
	s->svc_limited = calloc(c->nservices + 1, sizeof(*s->svc_limited));
	s->hold = hold_new(HOLD_MAX, HOLD_PER_SVC);
	s->hold_timer = evtimer_new(base, on_hold_timer, s);
	s->limits = lim_new(c, rl_now_ns());
	if (c->rrl_rate) {
		struct rrl_params p = { c->rrl_rate, c->rrl_size,
			c->rrl_v4_prefix, c->rrl_v6_prefix, c->rrl_slip };
		uint64_t seed;

		evutil_secure_rng_get_bytes(&seed, sizeof(seed));
		s->rrl = rrl_new(&p, seed);
	}
	r = s->svc_queries && s->svc_limited && s->hold && s->hold_timer &&
	    s->limits && (s->rrl || !c->rrl_rate) ? build_table(s) : -ENOMEM;
	if (r == 0)
		r = tcp_new(base, &tl, on_query, s, &s->tcp);
	if (r == 0 && nresolvers > 0)
		r = fwdio_new(base, resolvers, nresolvers,
		    (unsigned int)c->forward_max, c->forward_timeout_ms,
		    on_forwarded, s, &s->fw);
	for (i = 0; i < nsocks; i++) {
		if (r < 0) {
			close(socks[i].fd);
			continue;
		}
		if (socks[i].tcp)
			r = tcp_listen(s->tcp, socks[i].fd);
		else
			r = udp_new(base, socks[i].fd, on_query, s,
			    &s->udp[s->nudp]);
		if (r < 0)
			close(socks[i].fd);
		else if (!socks[i].tcp)
			s->nudp++;
	}
	if (r < 0) {
		jd_server_free(s);
		return r;
	}
	*out = s;
	return 0;
}

void
jd_server_free(struct jd_server *s)
{
	if (!s)
		return;
	fwdio_free(s->fw);
	if (s->hold_timer)
		event_free(s->hold_timer);
	hold_free(s->hold);
	for (int i = 0; i < s->nudp; i++)
		udp_free(s->udp[i]);
	tcp_free(s->tcp);
	jd_table_free(s->table);
	rrl_free(s->rrl);
	lim_free(s->limits);
	free(s->svc_queries);
	free(s->svc_limited);
	free(s);
}

uint64_t
jd_server_queries(const struct jd_server *s, int svc, uint64_t *limited)
{
	if (svc < 0 || (unsigned int)svc >= s->conf->nservices) {
		*limited = 0;
		return 0;
	}
	*limited = s->svc_limited[svc];
	return s->svc_queries[svc];
}

void
jd_server_status(FILE *f, void *arg)
{
	static const char *const rc[6] = { "noerror", "formerr", "servfail",
		"nxdomain", "notimp", "refused" };
	const struct jd_server *s = arg;
	const struct jc_conf *c = s->conf;
	const struct tcp_counts *t = tcp_counts(s->tcp);
	uint64_t unsent;

	fprintf(f, "queries: %" PRIu64 "\n", s->n.queries);
	fprintf(f, "answers:");
	for (int i = 0; i < 16; i++)
		if (i < 6)
			fprintf(f, " %s=%" PRIu64, rc[i], s->n.rcode[i]);
		else if (s->n.rcode[i])
			fprintf(f, " rcode%d=%" PRIu64, i, s->n.rcode[i]);
	fprintf(f, "\n");
	unsent = s->n.unsent;
	for (int i = 0; i < s->nudp; i++)
		unsent += udp_unsent(s->udp[i]);
	fprintf(f, "dropped: %" PRIu64 " unsent: %" PRIu64 "\n",
	    s->n.dropped, unsent);
	fprintf(f, "held: %" PRIu64 " now=%u full=%" PRIu64 " boot-timeouts=%"
	    PRIu64 "\n", s->n.held, hold_count(s->hold, -1), s->n.hold_full,
	    s->n.boot_timeouts);
	fprintf(f, "tcp: open=%u accepted=%" PRIu64 " idle-closed=%" PRIu64
	    " at-limit=%" PRIu64 "\n", tcp_conns(s->tcp), t->accepted,
	    t->closed_idle, t->paused);
	fprintf(f, "limited: rrl=%" PRIu64 " rrl-slipped=%" PRIu64
	    " max-running=%" PRIu64 " summon-rate=%" PRIu64 "\n",
	    s->n.rrl_limited, s->n.rrl_slipped, s->n.over_running,
	    s->n.over_rate);
	if (s->fw) {
		const struct fwdio_counts *w = fwdio_counts(s->fw);

		fprintf(f, "forwarded: %" PRIu64 " answered=%" PRIu64
		    " servfail=%" PRIu64 " retries=%" PRIu64 " full=%" PRIu64
		    "\n", w->forwarded, w->answered, w->servfail, w->retries,
		    w->full);
	}
	for (unsigned int i = 0; i < c->nservices; i++)
		fprintf(f, "service %s: name=%s queries=%" PRIu64 " limited=%"
		    PRIu64 "\n", c->services[i].id, c->services[i].name,
		    s->svc_queries[i], s->svc_limited[i]);
}
