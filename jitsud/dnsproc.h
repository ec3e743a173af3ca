/*
 * The DNS process of jitsud's privilege separation: forked before the
 * daemon opens xenstore or libxl, it keeps only its DNS sockets and the
 * socketpair to the privileged process, becomes an unprivileged user,
 * and runs the DNS server (server.c). A query for a service that must
 * be booted becomes a message to the privileged process (privmsg.h),
 * which answers with the service's state.
 */
#ifndef JITSUD_DNSPROC_H
#define JITSUD_DNSPROC_H

#include "listen.h"
#include "settings.h"

/* A service's "used" is told at most this often: idle times are seconds. */
#define DP_USED_MS 500

/*
 * Runs the DNS process on socks, forwarding to resolvers, reaching the
 * privileged process at fd; summons only when summon is set. As user
 * when started as root (root itself is refused). Returns its exit
 * status once the privileged process is gone.
 */
int dnsproc_run(const struct jc_conf *c, struct jd_sock *socks, int nsocks,
    const struct jc_addr *resolvers, unsigned int nresolvers, int fd,
    bool summon, const char *user);

#endif
