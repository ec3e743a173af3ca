/*
 * The DNS server: the answer table built from the settings, the
 * listeners, forwarding, and the counters. Each query goes through
 * answer.c once; its decision goes to the client (answered or dropped),
 * to forwarding, or waits for its service (held: until summoning comes,
 * a service with a domain to summon gets SERVFAIL, and one without is
 * always up). The abuse limits are applied here: response rate limiting
 * (rrl.c) to each UDP query as it comes, the summon limits (limits.c)
 * to each query that would start a service.
 */
#ifndef JITSUD_SERVER_H
#define JITSUD_SERVER_H

#include <stdbool.h>
#include <stdio.h>

#include "answer.h"
#include "listen.h"
#include "settings.h"

struct event_base;
struct jd_server;

/*
 * The summoning side: starts service svc's domain, and tells the server
 * how that went with jd_server_service_state(), now or later. Returns 0,
 * or -errno when it cannot even try.
 */
struct jd_summon {
	int (*start)(void *arg, int svc);
	/* A query for svc was answered (its idle time starts again). */
	void (*used)(void *arg, int svc);
	void *arg;
	/* Summoned guests of services other than svc that are up, or on
	 * their way up or down (max-running); NULL: none. */
	unsigned int (*running)(void *arg, int svc);
};

/*
 * The server on socks (taken, closed by jd_server_free), with resolvers
 * for out-of-zone forwarding (none: such queries get SERVFAIL), and a
 * summoner (NULL: none; a query for a service with a domain gets
 * SERVFAIL). The settings must outlive the server. Returns 0 or -errno.
 */
int jd_server_new(struct event_base *base, const struct jc_conf *c,
    const struct jd_sock *socks, int nsocks, const struct jc_addr *resolvers,
    unsigned int nresolvers, const struct jd_summon *summon,
    struct jd_server **out);
/*
 * Service svc is now st: JD_READY answers its held queries, JD_STOPPED
 * (a boot that failed, or a service stopped) gives them SERVFAIL.
 */
void jd_server_service_state(struct jd_server *s, int svc,
    enum jd_svc_state st);
void jd_server_free(struct jd_server *s);
/* Queries for service svc, and of those, how many were past a limit. */
uint64_t jd_server_queries(const struct jd_server *s, int svc,
    uint64_t *limited);
/* The counters, as text lines (the status socket and SIGUSR1). */
void jd_server_status(FILE *f, void *arg);

#endif
