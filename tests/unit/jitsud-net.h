/* What jitsud's loopback tests share: waiting on a socket while the
 * server's loop turns, with a deadline. */
#ifndef TEST_JITSUD_NET_H
#define TEST_JITSUD_NET_H

#include <poll.h>
#include <stdbool.h>

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

#endif
