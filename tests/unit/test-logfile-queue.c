/*
 * xenconsoled/logqueue: order per queue, raw indices only once written,
 * a stalled sink holding back only its own queue, discard and keep on
 * write errors, the note room, and a bounded stop.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "logqueue.h"

struct sink {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char data[1 << 20];
	size_t len;
	size_t piece;		/* most bytes taken per write */
	int stall;		/* writes wait while set */
	int stalled;		/* a write is waiting */
	int fail;		/* writes return this -errno */
	int reopens;
};

static struct lq_pool *stuck_pool;	/* left to exit, still reachable */

static long
sink_write(void *arg, const char *buf, size_t len)
{
	struct sink *s = arg;
	long r;

	pthread_mutex_lock(&s->mu);
	while (s->stall) {
		s->stalled = 1;
		pthread_cond_broadcast(&s->cv);
		pthread_cond_wait(&s->cv, &s->mu);
	}
	s->stalled = 0;
	if (s->fail) {
		r = s->fail;
	} else {
		if (s->piece && len > s->piece)
			len = s->piece;
		memcpy(s->data + s->len, buf, len);
		s->len += len;
		r = (long)len;
	}
	pthread_mutex_unlock(&s->mu);
	return r;
}

static void
sink_reopen(void *arg, const char *path)
{
	struct sink *s = arg;

	pthread_mutex_lock(&s->mu);
	s->reopens++;
	pthread_mutex_unlock(&s->mu);
}

static const struct lq_ops ops = { sink_write, sink_reopen };

static struct sink *
sink_new(size_t piece)
{
	struct sink *s = calloc(1, sizeof(*s));

	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->piece = piece;
	return s;
}

static void
sink_set(struct sink *s, int stall, int fail)
{
	pthread_mutex_lock(&s->mu);
	s->stall = stall;
	s->fail = fail;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static void
sink_wait_stalled(struct sink *s)
{
	pthread_mutex_lock(&s->mu);
	while (!s->stalled)
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
}

static size_t
sink_len(struct sink *s)
{
	size_t n;

	pthread_mutex_lock(&s->mu);
	n = s->len;
	pthread_mutex_unlock(&s->mu);
	return n;
}

static int collected;

static void
on_done(void *owner, void *arg)
{
	collected++;
}

/* Waits (up to 10 s) for the queue's raw index to reach raw. */
static int
wait_raw(struct lq_pool *p, struct lq *q, uint32_t raw)
{
	struct lq_state st;

	for (int i = 0; i < 1000; i++) {
		struct pollfd pfd = { lq_pool_fd(p), POLLIN, 0 };

		lq_state(q, &st);
		if (st.raw_valid && st.raw == raw && st.idle)
			return 1;
		poll(&pfd, 1, 10);
		lq_pool_collect(p, on_done, NULL);
	}
	return 0;
}

/* Appends numbered lines to q until n lines went in; raw = lines. */
static uint32_t
feed(struct lq_pool *p, struct lq *q, const char *tag, uint32_t from,
     uint32_t n)
{
	char line[64];

	for (uint32_t i = from; i < from + n;) {
		int len = snprintf(line, sizeof(line), "%s %06u\n", tag, i);

		if (lq_put(q, line, (size_t)len, 1, i + 1) == 0) {
			i++;
		} else {
			struct pollfd pfd = { lq_pool_fd(p), POLLIN, 0 };

			poll(&pfd, 1, 10);
			lq_pool_collect(p, on_done, NULL);
		}
	}
	return from + n;
}

static int
check_lines(const struct sink *s, const char *tag, uint32_t n)
{
	char want[64];
	size_t off = 0;

	for (uint32_t i = 0; i < n; i++) {
		int len = snprintf(want, sizeof(want), "%s %06u\n", tag, i);

		if (off + (size_t)len > s->len ||
		    memcmp(s->data + off, want, (size_t)len) != 0)
			return 0;
		off += (size_t)len;
	}
	return off == s->len;
}

int
main(void)
{
	struct lq_pool *p;
	struct lq *a, *b, *c;
	struct sink *sa = sink_new(7), *sb = sink_new(0), *sc = sink_new(0);
	struct lq_state st;
	uint64_t stuck;

	CHECK_EQ(lq_pool_new(0, &p), -EINVAL);
	CHECK_EQ(lq_pool_new(3, &p), 0);
	CHECK_EQ(lq_new(p, 256, &ops, sa, sa, 0, &a), 0);
	CHECK_EQ(lq_new(p, 4096, &ops, sb, sb, 0, &b), 0);

	/* Order, with a sink that takes 7 bytes at a time and a wrap. */
	feed(p, a, "A", 0, 2000);
	CHECK(wait_raw(p, a, 2000));
	CHECK(check_lines(sa, "A", 2000));
	CHECK(collected > 0);

	/* A stalled sink: its raw index stays, its queue fills, B goes on. */
	sink_set(sa, 1, 0);
	CHECK_EQ(lq_put(a, "A x\n", 4, 1, 2001), 0);
	sink_wait_stalled(sa);
	lq_state(a, &st);
	CHECK(!st.idle);
	CHECK(st.busy_ms < 10000);
	CHECK_EQ(st.raw, 2000);
	while (lq_room(a) >= 4)
		CHECK_EQ(lq_put(a, "A y\n", 4, 1, 2002), 0);
	CHECK_EQ(lq_put(a, "A z\n", 4, 1, 2003), -ENOSPC);
	/* the note room is there beyond the cap */
	CHECK_EQ(lq_put_note(a, "note\n", 5), 0);
	CHECK_EQ(lq_free(a, 0), -EBUSY);
	CHECK_EQ(lq_free(a, 1), -EBUSY);
	feed(p, b, "B", 0, 3000);
	CHECK(wait_raw(p, b, 3000));
	CHECK(check_lines(sb, "B", 3000));
	lq_state(a, &st);
	CHECK_EQ(st.raw, 2000);
	{
		size_t before = sink_len(sa);

		sink_set(sa, 0, 0);
		CHECK(wait_raw(p, a, 2002));
		lq_state(a, &st);
		CHECK_EQ(st.queued, 0);
		/* one x, then y's up to the cap, then the note */
		CHECK(memcmp(sa->data + before, "A x\nA y\n", 8) == 0);
		CHECK(memcmp(sa->data + sa->len - 9, "A y\nnote\n", 9) == 0);
		CHECK_EQ((sa->len - before - 9) % 4, 0);
	}

	/* Reopen runs in a writer, before the next write. */
	lq_reopen(b, "/x");
	CHECK(wait_raw(p, b, 3000));
	CHECK_EQ(sb->reopens, 1);

	/* Keep: a failed write keeps the bytes until a kick. */
	sink_set(sb, 0, -EIO);
	CHECK_EQ(lq_put(b, "k1\n", 3, 1, 3001), 0);
	for (int i = 0; i < 1000; i++) {
		struct pollfd pfd = { lq_pool_fd(p), POLLIN, 0 };

		lq_state(b, &st);
		if (st.err)
			break;
		poll(&pfd, 1, 10);
		lq_pool_collect(p, on_done, NULL);
	}
	CHECK_EQ(st.err, -EIO);
	CHECK_EQ(st.queued, 3);
	CHECK_EQ(st.raw, 3000);
	sink_set(sb, 0, 0);
	lq_kick(b);
	CHECK(wait_raw(p, b, 3001));
	lq_state(b, &st);
	CHECK_EQ(st.err, 0);
	CHECK_EQ(st.dropped, 0);

	/* Discard: a failed write drops, counts, and lets the ring go. */
	CHECK_EQ(lq_new(p, 4096, &ops, sc, sc, 1, &c), 0);
	sink_set(sc, 0, -ENOSPC);
	CHECK_EQ(lq_put(c, "d1\nd2\n", 6, 1, 6), 0);
	CHECK(wait_raw(p, c, 6));
	lq_state(c, &st);
	CHECK_EQ(st.err, -ENOSPC);
	CHECK_EQ(st.dropped, 6);
	CHECK_EQ(sc->len, 0);
	sink_set(sc, 0, 0);
	CHECK_EQ(lq_put(c, "d3\n", 3, 1, 9), 0);
	CHECK(wait_raw(p, c, 9));
	lq_state(c, &st);
	CHECK_EQ(st.err, 0);
	CHECK(sc->len == 3 && memcmp(sc->data, "d3\n", 3) == 0);

	/* A raw index with nothing to write is out at once. */
	CHECK_EQ(lq_put(c, "", 0, 1, 10), 0);
	lq_state(c, &st);
	CHECK_EQ(st.raw, 10);

	CHECK_EQ(lq_free(a, 0), 0);
	CHECK_EQ(lq_free(b, 0), 0);
	CHECK_EQ(lq_free(c, 0), 0);
	CHECK_EQ(lq_pool_free(p, 1000, &stuck), 0);
	CHECK_EQ(stuck, 0);
	free(sb);
	free(sc);

	/* A write that never returns: the stop gives up after its time. */
	CHECK_EQ(lq_pool_new(1, &p), 0);
	CHECK_EQ(lq_new(p, 64, &ops, sa, sa, 0, &a), 0);
	sink_set(sa, 1, 0);
	CHECK_EQ(lq_put(a, "s\n", 2, 0, 0), 0);
	sink_wait_stalled(sa);
	CHECK_EQ(lq_pool_free(p, 50, &stuck), -ETIMEDOUT);
	CHECK_EQ(stuck, 2);
	stuck_pool = p;		/* its thread is ours no more */
	return CHECK_DONE();
}
