/*
 * The loop delivers signals as events and tells systemd what happens:
 * SIGHUP -> RELOADING=1, reload(), READY=1; SIGUSR1 -> dump();
 * SIGTERM -> STOPPING=1, stop(). NOTIFY_SOCKET points at our own socket.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <event2/event.h>

#include "loop.h"
#include "sdnotify.h"
#include "check.h"

struct t {
	struct loop *l;
	int reloads, dumps, stops;
};

static void
on_reload(void *arg)
{
	((struct t *)arg)->reloads++;
}

static void
on_dump(void *arg)
{
	((struct t *)arg)->dumps++;
}

static void
on_stop(void *arg)
{
	struct t *t = arg;

	t->stops++;
	loop_exit(t->l);
}

/* Raises the signals from inside the loop, once it runs. */
static void
on_start(evutil_socket_t fd, short what, void *arg)
{
	raise(SIGHUP);
	raise(SIGUSR1);
	raise(SIGTERM);
}

/* Everything the loop sent to NOTIFY_SOCKET, in order, ';'-joined. */
static void
drain(int s, char *out, size_t len)
{
	char buf[512];
	ssize_t n;

	out[0] = '\0';
	while ((n = recv(s, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0';
		for (char *p = buf; *p; p++)
			if (*p == '\n')
				*p = ',';
		/* MONOTONIC_USEC varies; keep only the first field. */
		strtok(buf, ",");
		strncat(out, buf, len - strlen(out) - 2);
		strcat(out, ";");
	}
}

int
main(void)
{
	static const struct loop_ops ops = { on_stop, on_reload, on_dump };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct t t = { 0 };
	struct event *start;
	struct timeval now = { 0, 0 };
	char got[1024];
	int s;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/xud-test-loop.%d",
	    (int)getpid());
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK(s >= 0);
	unlink(sa.sun_path);
	CHECK(bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);

	CHECK_EQ(loop_new(&ops, &t, &t.l), 0);
	start = event_new(loop_base(t.l), -1, 0, on_start, &t);
	event_add(start, &now);
	CHECK(sdn_ready() >= 0);
	CHECK_EQ(loop_run(t.l), 0);
	CHECK_EQ(t.reloads, 1);
	CHECK_EQ(t.dumps, 1);
	CHECK_EQ(t.stops, 1);
	CHECK(loop_stopping(t.l));
	drain(s, got, sizeof(got));
#ifdef HAVE_SYSTEMD
	CHECK_STR(got, "READY=1;RELOADING=1;READY=1;STOPPING=1;");
#else
	CHECK_STR(got, "");
#endif
	event_free(start);
	loop_free(t.l);
	close(s);
	unlink(sa.sun_path);
	return CHECK_DONE();
}
