/*
 * netbackd/qthread.c and ratebox.c, as queue.c uses them: a queue's
 * events run on a thread of its own (not the caller's), named, with
 * its Linux id; a stop right after the start is not lost; a new rate
 * limit posted from the main thread reaches the credit the queue's
 * thread owns; and each queue's credit is its own, as the kernel's
 * netback keeps it (one queue spending its credit leaves another's).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <event2/event.h>
#include <event2/thread.h>

#include "check.h"
#include "credit.h"
#include "qthread.h"
#include "ratebox.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

/* What the queue's thread did, under mu. */
static int ran, ran_tid, applied;

/* Waits (10 s at most) until *flag >= want; 0 or -ETIMEDOUT. */
static int
await(int *flag, int want)
{
	struct timespec ts;
	int r = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	pthread_mutex_lock(&mu);
	while (*flag < want && r == 0)
		r = pthread_cond_timedwait(&cv, &mu, &ts);
	pthread_mutex_unlock(&mu);
	return r ? -r : 0;
}

static void
on_ping(evutil_socket_t fd, short what, void *arg)
{
	pthread_mutex_lock(&mu);
	ran++;
	ran_tid = (int)syscall(SYS_gettid);
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void
test_own_thread(void)
{
	struct event_base *base = event_base_new();
	struct event *ping = event_new(base, -1, 0, on_ping, NULL);
	struct qthread *t = NULL;
	char path[64], comm[32] = "";
	FILE *f;

	CHECK(base != NULL && ping != NULL);
	CHECK_EQ(qthread_start(base, "vif5.0-q1-and-more", &t), 0);
	event_active(ping, 0, 0);
	CHECK_EQ(await(&ran, 1), 0);
	pthread_mutex_lock(&mu);
	CHECK(ran_tid != getpid());
	CHECK_EQ(ran_tid, qthread_tid(t));
	pthread_mutex_unlock(&mu);
	/* the name, cut to what the kernel keeps */
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm",
	    qthread_tid(t));
	if ((f = fopen(path, "r")) != NULL) {
		if (fgets(comm, sizeof(comm), f) == NULL)
			comm[0] = '\0';
		fclose(f);
	}
	CHECK_STR(comm, "vif5.0-q1-and-m\n");
	qthread_stop(t);
	/* stopped: an event activated now never runs */
	event_active(ping, 0, 0);
	CHECK_EQ(ran, 1);
	event_free(ping);
	event_base_free(base);
}

static void
test_stop_at_once(void)
{
	for (int i = 0; i < 50; i++) {
		struct event_base *base = event_base_new();
		struct qthread *t = NULL;

		CHECK_EQ(qthread_start(base, "q", &t), 0);
		qthread_stop(t);	/* returns: the stop was not lost */
		event_base_free(base);
	}
	CHECK_EQ(qthread_tid(NULL), 0);
	qthread_stop(NULL);
}

static void
test_ratebox(void)
{
	struct ratebox b;
	uint64_t bytes = 1, usec = 1;

	ratebox_init(&b);
	CHECK_EQ(ratebox_take(&b, &bytes, &usec), 0);
	CHECK_EQ(bytes, 1);
	ratebox_post(&b, 6250, 50000);
	ratebox_post(&b, 12500, 50000);	/* the key's last value counts */
	CHECK_EQ(ratebox_take(&b, &bytes, &usec), 1);
	CHECK_EQ(bytes, 12500);
	CHECK_EQ(usec, 50000);
	CHECK_EQ(ratebox_take(&b, &bytes, &usec), 0);
	ratebox_post(&b, 0, 0);
	CHECK_EQ(ratebox_take(&b, &bytes, &usec), 1);
	CHECK_EQ(bytes, 0);
	ratebox_fini(&b);
}

/* A queue's side of a rate change, as queue.c's on_rate. */
struct fake_queue {
	struct ratebox box;
	struct credit credit;
};

static void
on_rate(evutil_socket_t fd, short what, void *arg)
{
	struct fake_queue *q = arg;
	uint64_t bytes, usec;

	if (ratebox_take(&q->box, &bytes, &usec))
		credit_set(&q->credit, bytes, usec, 0);
	pthread_mutex_lock(&mu);
	applied++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void
test_rate_reaches_thread(void)
{
	struct event_base *base = event_base_new();
	struct fake_queue q;
	struct event *ev = event_new(base, -1, 0, on_rate, &q);
	struct qthread *t = NULL;

	ratebox_init(&q.box);
	credit_init(&q.credit, 6250, 50000, 0);
	CHECK_EQ(qthread_start(base, "q", &t), 0);
	ratebox_post(&q.box, 0, 0);	/* the main thread: limit removed */
	event_active(ev, 0, 0);
	CHECK_EQ(await(&applied, 1), 0);
	qthread_stop(t);
	CHECK_EQ(q.credit.bytes, 0);
	for (int i = 0; i < 100; i++)
		CHECK_EQ(credit_take(&q.credit, 65535, 0), 0);
	event_free(ev);
	event_base_free(base);
	ratebox_fini(&q.box);
}

static void
test_credit_per_queue(void)
{
	struct credit q0, q1;
	unsigned sent0 = 0, sent1 = 0;

	credit_init(&q0, 6250, 50000, 0);
	credit_init(&q1, 6250, 50000, 0);
	/* queue 0 spends all it may now ... */
	while (credit_take(&q0, 1500, 0) == 0)
		sent0 += 1500;
	/* ... and queue 1 still has its own full burst */
	while (credit_take(&q1, 1500, 0) == 0)
		sent1 += 1500;
	CHECK(sent0 > 0);
	CHECK_EQ(sent1, sent0);
	CHECK(credit_take(&q0, 1500, 0) > 0);
}

int
main(void)
{
	CHECK_EQ(evthread_use_pthreads(), 0);
	test_own_thread();
	test_stop_at_once();
	test_ratebox();
	test_rate_reaches_thread();
	test_credit_per_queue();
	return CHECK_DONE();
}
