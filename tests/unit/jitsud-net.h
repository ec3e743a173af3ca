/* What jitsud's loopback tests share: waiting on a socket while the
 * server's loop turns, with a deadline; a loopback port where nothing
 * listens. */
#ifndef TEST_JITSUD_NET_H
#define TEST_JITSUD_NET_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "deadline.h"

/* Turns base until fd is readable (or closed); false at the deadline. */
static inline bool
jdt_readable(struct event_base *base, int fd, int ms)
{
	uint64_t end = jd_now_ms() + (uint64_t)ms;

	while (jd_now_ms() < end) {
		struct pollfd p = { fd, POLLIN, 0 };

		event_base_loop(base, EVLOOP_NONBLOCK);
		if (poll(&p, 1, 5) > 0)
			return true;
	}
	return false;
}

/* A free loopback port (bound, then let go): a probe of it is refused. */
static inline uint16_t
jdt_free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0)
		exit(99);
	close(fd);
	return ntohs(a.sin_port);
}

#endif
