/*
 * The DNS sockets: those systemd passed (socket activation), or else
 * UDP and TCP on each configured address (IPv4 and IPv6 wildcards by
 * default).
 */
#ifndef JITSUD_LISTEN_H
#define JITSUD_LISTEN_H

#include <stdbool.h>

#include "settings.h"

#define JD_MAX_SOCKS (2 * JC_MAX_LISTEN + 16)

struct jd_sock {
	int fd;
	bool tcp;
};

/*
 * Fills out with at most JD_MAX_SOCKS sockets, non-blocking, TCP ones
 * listening; *activated says they came from systemd. Returns how many,
 * or -errno with the failing address in what.
 */
int listen_open(const struct jc_conf *c, struct jd_sock *out,
    bool *activated, char *what, size_t whatlen);

#endif
