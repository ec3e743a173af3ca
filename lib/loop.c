/* libevent base, signals as events, and the systemd watchdog. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <event2/event.h>

#include "loop.h"
#include "sdnotify.h"

struct loop {
	struct event_base *base;
	struct event *ev_term, *ev_int, *ev_hup, *ev_usr1, *ev_wdog;
	struct loop_ops ops;
	void *arg;
	int stopping;
};

static void
loop_on_stop(evutil_socket_t sig, short what, void *arg)
{
	struct loop *l = arg;

	if (l->stopping) {
		/* A second signal while draining: give up on draining. */
		event_base_loopbreak(l->base);
		return;
	}
	l->stopping = 1;
	sdn_stopping();
	if (l->ops.stop)
		l->ops.stop(l->arg);
	else
		loop_exit(l);
}

static void
loop_on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct loop *l = arg;

	if (l->ops.reload == NULL)
		return;
	sdn_reloading();
	l->ops.reload(l->arg);
	sdn_ready();
}

static void
loop_on_usr1(evutil_socket_t sig, short what, void *arg)
{
	struct loop *l = arg;

	if (l->ops.dump)
		l->ops.dump(l->arg);
}

static void
loop_on_wdog(evutil_socket_t fd, short what, void *arg)
{
	sdn_watchdog_ping();
}

int
loop_new(const struct loop_ops *ops, void *arg, struct loop **out)
{
	struct loop *l;
	uint64_t wd;

	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return -ENOMEM;
	if (ops)
		l->ops = *ops;
	l->arg = arg;
	l->base = event_base_new();
	if (l->base == NULL)
		goto fail;
	signal(SIGPIPE, SIG_IGN);
	l->ev_term = evsignal_new(l->base, SIGTERM, loop_on_stop, l);
	l->ev_int = evsignal_new(l->base, SIGINT, loop_on_stop, l);
	l->ev_hup = evsignal_new(l->base, SIGHUP, loop_on_hup, l);
	l->ev_usr1 = evsignal_new(l->base, SIGUSR1, loop_on_usr1, l);
	if (!l->ev_term || !l->ev_int || !l->ev_hup || !l->ev_usr1)
		goto fail;
	if (evsignal_add(l->ev_term, NULL) || evsignal_add(l->ev_int, NULL) ||
	    evsignal_add(l->ev_hup, NULL) || evsignal_add(l->ev_usr1, NULL))
		goto fail;
	wd = sdn_watchdog_usec();
	if (wd > 0) {
		/* Ping at half the interval, as sd_watchdog_enabled(3) asks. */
		struct timeval tv = { wd / 2000000, (wd / 2) % 1000000 };

		l->ev_wdog = event_new(l->base, -1, EV_PERSIST, loop_on_wdog, l);
		if (l->ev_wdog == NULL || event_add(l->ev_wdog, &tv))
			goto fail;
	}
	*out = l;
	return 0;
fail:
	loop_free(l);
	return -ENOMEM;
}

struct event_base *
loop_base(struct loop *l)
{
	return l->base;
}

int
loop_run(struct loop *l)
{
	if (event_base_dispatch(l->base) < 0)
		return -EIO;
	return 0;
}

void
loop_exit(struct loop *l)
{
	event_base_loopbreak(l->base);
}

int
loop_stopping(const struct loop *l)
{
	return l->stopping;
}

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	if (l->ev_term) event_free(l->ev_term);
	if (l->ev_int) event_free(l->ev_int);
	if (l->ev_hup) event_free(l->ev_hup);
	if (l->ev_usr1) event_free(l->ev_usr1);
	if (l->ev_wdog) event_free(l->ev_wdog);
	if (l->base) event_base_free(l->base);
	free(l);
}
