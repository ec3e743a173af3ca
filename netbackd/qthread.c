/* A queue's thread: its own event loop until the main thread stops it. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <event2/event.h>

#include "qthread.h"

/* A queue's work is the loop, ring copies and the engines' locals:
   far less than the default 8 MiB, and a daemon may run 4096 queues. */
#define QTHREAD_STACK (512u * 1024)

struct qthread {
	struct event_base *base;
	struct event *stop_ev;
	pthread_t th;
	int stopping;		/* atomic: set by qthread_stop */
	int tid;		/* atomic: set by the thread */
	char name[16];
};

/*
 * Breaks from within the loop: a break asked from outside before the
 * thread entered event_base_loop would be forgotten (the loop clears
 * it when it starts), an active event is not.
 */
static void
on_stop(evutil_socket_t fd, short what, void *arg)
{
	struct qthread *t = arg;

	event_base_loopbreak(t->base);
}

static void *
run(void *arg)
{
	struct qthread *t = arg;

	__atomic_store_n(&t->tid, (int)syscall(SYS_gettid), __ATOMIC_RELAXED);
	pthread_setname_np(pthread_self(), t->name);
	while (!__atomic_load_n(&t->stopping, __ATOMIC_ACQUIRE))
		if (event_base_loop(t->base, EVLOOP_NO_EXIT_ON_EMPTY) < 0)
			break;
	return NULL;
}

int
qthread_start(struct event_base *base, const char *name,
	      struct qthread **out)
{
	struct qthread *t;
	pthread_attr_t attr;
	sigset_t all, old;
	int r;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -ENOMEM;
	t->base = base;
	snprintf(t->name, sizeof(t->name), "%s", name);
	if ((t->stop_ev = event_new(base, -1, 0, on_stop, t)) == NULL) {
		free(t);
		return -ENOMEM;
	}
	if ((r = pthread_attr_init(&attr)) != 0)
		goto fail;
	pthread_attr_setstacksize(&attr, QTHREAD_STACK);
	/* the thread inherits the mask: signals stay the main loop's */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&t->th, &attr, run, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r != 0)
		goto fail;
	*out = t;
	return 0;
fail:
	event_free(t->stop_ev);
	free(t);
	return -r;
}

void
qthread_stop(struct qthread *t)
{
	if (t == NULL)
		return;
	__atomic_store_n(&t->stopping, 1, __ATOMIC_RELEASE);
	event_active(t->stop_ev, 0, 0);
	pthread_join(t->th, NULL);
	event_free(t->stop_ev);
	free(t);
}

int
qthread_tid(const struct qthread *t)
{
	return t ? __atomic_load_n(&t->tid, __ATOMIC_RELAXED) : 0;
}
