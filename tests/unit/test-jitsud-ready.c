/*
 * Readiness by TCP probe, on loopback: a port where nothing listens does
 * not pass, and the probe tries again until something does; stopped
 * before that, nothing is reported. The xenstore checks cannot start
 * without xenstore, and say so.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "check.h"
#include "jitsud-net.h"
#include "deadline.h"
#include "ready.h"

static struct event_base *base;
static int dones;

static void
done(void *arg)
{
	(void)arg;
	dones++;
}

/* Turns the loop for ms, or until done. */
static void
turn(int ms)
{
	uint64_t end = jd_now_ms() + (uint64_t)ms;

	while (!dones && jd_now_ms() < end) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(2000);
	}
}

static int
listen_on(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(fd, 16) < 0)
		exit(99);	/* the port was taken meanwhile */
	return fd;
}

int
main(void)
{
	struct jc_service c = { .ready = JC_READY_TCP, .has_a = true };
	struct ready *r;
	int lfd;

	base = event_base_new();
	c.a.s_addr = htonl(INADDR_LOOPBACK);
	c.ready_port = jdt_free_port();

	/* nothing listens: not ready, tried again and again */
	CHECK_EQ(ready_start(base, NULL, &c, 1, done, NULL, &r), 0);
	turn(400);
	CHECK_EQ(dones, 0);
	/* then something does: ready, once */
	lfd = listen_on((uint16_t)c.ready_port);
	turn(3000);
	CHECK_EQ(dones, 1);
	turn(300);
	CHECK_EQ(dones, 1);
	ready_stop(r);

	/* ready at once, but stopped before the loop turned: no report */
	dones = 0;
	CHECK_EQ(ready_start(base, NULL, &c, 1, done, NULL, &r), 0);
	ready_stop(r);
	turn(300);
	CHECK_EQ(dones, 0);
	close(lfd);

	/* the xenstore checks need xenstore */
	c.ready = JC_READY_TCP | JC_READY_KEY;
	CHECK_EQ(ready_start(base, NULL, &c, 1, done, NULL, &r), -ENOTCONN);
	c.ready = JC_READY_HOTPLUG;
	CHECK_EQ(ready_start(base, NULL, &c, 1, done, NULL, &r), -ENOTCONN);
	ready_stop(NULL);

	event_base_free(base);
	return CHECK_DONE();
}
