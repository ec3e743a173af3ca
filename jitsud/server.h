/*
 * The DNS server: the answer table built from the settings, the
 * listeners, forwarding, and the counters. Each query goes through
 * answer.c once; its decision goes to the client (answered or dropped),
 * to forwarding, or waits for its service (held: until summoning comes,
 * a service with a domain to summon gets SERVFAIL, and one without is
 * always up).
 */
#ifndef JITSUD_SERVER_H
#define JITSUD_SERVER_H

#include <stdbool.h>
#include <stdio.h>

#include "listen.h"
#include "settings.h"

struct event_base;
struct jd_server;

/*
 * The server on socks (taken, closed by jd_server_free), with resolvers
 * for out-of-zone forwarding (none: such queries get SERVFAIL). The
 * settings must outlive the server. Returns 0 or -errno.
 */
int jd_server_new(struct event_base *base, const struct jc_conf *c,
    const struct jd_sock *socks, int nsocks, const struct jc_addr *resolvers,
    unsigned int nresolvers, struct jd_server **out);
void jd_server_free(struct jd_server *s);
/* The counters, as text lines (the status socket and SIGUSR1). */
void jd_server_status(FILE *f, void *arg);

#endif
