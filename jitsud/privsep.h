/*
 * The privileged process's end of privilege separation: the DNS process
 * (dnsproc.c) runs as its own unprivileged process, and asks for boots
 * over a socketpair (privmsg.h). Here its requests go to the summoner's
 * hook, service states go back to it, and its counters are fetched for
 * the status text.
 */
#ifndef JITSUD_PRIVSEP_H
#define JITSUD_PRIVSEP_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "answer.h"
#include "server.h"

struct event_base;
struct limits;
struct privsep;

/* How long the status text may take the DNS process. */
#define PS_STATUS_MS 1000
/* The most of it taken; more is cut. */
#define PS_STATUS_MAX (64 * 1024)
/* How long it gets to exit once the socketpair is closed. */
#define PS_EXIT_MS 2000
/* Requests kept while the status text is awaited; then it is cut. */
#define PS_PENDING 64

/*
 * The DNS process pid, at fd (SOCK_SEQPACKET; taken), for nsvc services;
 * its requests go to summon (NULL: none is expected, and one is a
 * protocol error). dead(arg, why) is called once when it exits or
 * breaks the protocol: the daemon cannot answer without it.
 * Returns 0 or -errno.
 */
int ps_new(struct event_base *base, int fd, pid_t pid, unsigned int nsvc,
    const struct jd_summon *summon, void (*dead)(void *arg, const char *why),
    void *arg, struct privsep **out);
/*
 * The summon limits, checked again here for each boot the DNS process
 * asks for (it checks them first; a compromised one would not): a boot
 * past them is not started, and the DNS process is told the service is
 * stopped. Taken; NULL: none.
 */
void ps_limit(struct privsep *ps, struct limits *l);
/* Boots refused that way. */
uint64_t ps_refused(const struct privsep *ps);
/* Tells the DNS process that service svc is now st, and whether it
 * holds a max-running place (the summoner's report; ps is a struct
 * privsep). */
void ps_state(void *ps, int svc, enum jd_svc_state st, bool running);
/* The DNS process's status text, written to f. */
void ps_status(FILE *f, struct privsep *ps);
/* Service svc's queries, and of those how many were past a limit (0 if
 * the DNS process does not tell). */
uint64_t ps_queries(struct privsep *ps, int svc, uint64_t *limited);
/* Closes the socketpair, which ends the DNS process, and reaps it. */
void ps_free(struct privsep *ps);

#endif
