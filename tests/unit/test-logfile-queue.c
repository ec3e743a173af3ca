/*
 * xenconsoled/logqueue: order per queue, raw indices only once written,
 * a stalled sink holding back only its own queue, discard and keep on
 * write errors, the note room, and a bounded stop; and the same for line
 * queues (journald, syslog): whole lines in order, marks, and a stalled
 * line sink holding back only its own queue; and files through the
 * writers with fewer allowed open than there are queues.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "logqueue.h"
#include "xenconsoled.h"

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

/* Takes (a piece of) buf as the sink's write would, stalls and fails. */
static long
sink_take(struct sink *s, const char *buf, size_t len)
{
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

static long
sink_write(void *arg, const char *buf, size_t len)
{
	return sink_take(arg, buf, len);
}

/* A line sink: keeps "<prio> <line>\n" per line, whole or not at all. */
static int
sink_line(void *arg, int prio, const char *line, size_t len)
{
	char rec[LQ_LINE_MAX + 16];
	int n;
	long r;

	if (strlen(line) != len)
		return -EPROTO;		/* not NUL-terminated at len */
	n = snprintf(rec, sizeof(rec), "%d %s\n", prio, line);
	r = sink_take(arg, rec, (size_t)n);
	return r < 0 ? (int)r : 0;
}

static void
sink_reopen(void *arg, const char *path)
{
	struct sink *s = arg;

	pthread_mutex_lock(&s->mu);
	s->reopens++;
	pthread_mutex_unlock(&s->mu);
}

static const struct lq_ops ops = { .write = sink_write,
	.reopen = sink_reopen };
static const struct lq_ops line_ops = { .reopen = sink_reopen,
	.line = sink_line };

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

/* Waits up to 10 ms for the writers' progress, and collects it. */
static void
settle(struct lq_pool *p)
{
	struct pollfd pfd = { lq_pool_fd(p), POLLIN, 0 };

	poll(&pfd, 1, 10);
	lq_pool_collect(p, on_done, NULL);
}

/* Waits (up to 10 s) for the queue's raw index to reach raw. */
static int
wait_raw(struct lq_pool *p, struct lq *q, uint32_t raw)
{
	struct lq_state st;

	for (int i = 0; i < 1000; i++) {
		lq_state(q, &st);
		if (st.raw_valid && st.raw == raw && st.idle)
			return 1;
		settle(p);
	}
	return 0;
}

/*
 * Appends numbered lines to q until n lines went in; raw = lines. A line
 * queue gets records and a mark every fourth line (and after the last).
 */
static uint32_t
feed_q(struct lq_pool *p, struct lq *q, int lines, const char *tag,
       uint32_t from, uint32_t n)
{
	char line[64];

	for (uint32_t i = from; i < from + n;) {
		int len = snprintf(line, sizeof(line), lines ? "%s %06u" :
		    "%s %06u\n", tag, i);

		if (!lines && lq_put(q, line, (size_t)len, 1, i + 1) == 0) {
			i++;
		} else if (lines && lq_room(q) > 0 &&
		    lq_put_line(q, 6, line, (size_t)len, 0) == 0) {
			i++;
			if (i % 4 == 0 || i == from + n)
				CHECK_EQ(lq_mark(q, i), 0);
		} else {
			settle(p);
		}
	}
	return from + n;
}

static uint32_t
feed(struct lq_pool *p, struct lq *q, const char *tag, uint32_t from,
     uint32_t n)
{
	return feed_q(p, q, 0, tag, from, n);
}

static uint32_t
feed_lines(struct lq_pool *p, struct lq *q, const char *tag, uint32_t from,
	   uint32_t n)
{
	return feed_q(p, q, 1, tag, from, n);
}

/* The sink holds lines from..n-1 of tag, each once, in order; prio pre. */
static int
check_seq(const struct sink *s, const char *pre, const char *tag,
	  uint32_t from, uint32_t n)
{
	char want[64];
	size_t off = 0;

	for (uint32_t i = from; i < n; i++) {
		int len = snprintf(want, sizeof(want), "%s%s %06u\n", pre, tag,
		    i);

		if (off + (size_t)len > s->len ||
		    memcmp(s->data + off, want, (size_t)len) != 0)
			return 0;
		off += (size_t)len;
	}
	return off == s->len;
}

static int
check_lines(const struct sink *s, const char *tag, uint32_t n)
{
	return check_seq(s, "", tag, 0, n);
}

/* Waits (up to 10 s) for q's err to be set. */
static void
wait_err(struct lq_pool *p, struct lq *q, struct lq_state *st)
{
	for (int i = 0; i < 1000; i++) {
		lq_state(q, st);
		if (st->err)
			return;
		settle(p);
	}
}

/*
 * Keep mode, after a put (queued bytes, up to raw) to a failing sink s:
 * the bytes stay until a kick after the sink works again.
 */
static void
check_keep(struct lq_pool *p, struct lq *q, struct sink *s, size_t queued,
	   uint32_t raw)
{
	struct lq_state st;

	wait_err(p, q, &st);
	CHECK_EQ(st.err, -EIO);
	CHECK_EQ(st.queued, queued);
	CHECK_EQ(st.raw, raw - 1);
	sink_set(s, 0, 0);
	lq_kick(q);
	CHECK(wait_raw(p, q, raw));
	lq_state(q, &st);
	CHECK_EQ(st.err, 0);
	CHECK_EQ(st.dropped, 0);
}

/*
 * Line queues: whole lines in order across the wrap, a mark out only once
 * its lines are, a stalled line sink that holds back only its own queue
 * (not another line queue, not a file's), notes after the lines before
 * them, and keep and discard on send errors.
 */
static void
test_lines(struct lq_pool *p, struct lq *b, struct sink *sb)
{
	struct sink *sl = sink_new(0), *sm = sink_new(0), *sd = sink_new(0);
	struct lq *l, *m, *d;
	struct lq_state st;
	char big[LQ_LINE_MAX + 1];
	size_t before;

	/* 100 bytes: records of 3 + 8 bytes wrap all the time */
	CHECK_EQ(lq_new(p, 100, &line_ops, sl, sl, 0, &l), 0);
	CHECK_EQ(lq_new(p, 4096, &line_ops, sm, sm, 0, &m), 0);
	CHECK_EQ(lq_put(l, "x\n", 2, 1, 1), -EINVAL);
	CHECK_EQ(lq_put_note(l, "x\n", 2), -EINVAL);
	CHECK_EQ(lq_put_line(b, 6, "x", 1, 0), -EINVAL);
	memset(big, 'x', sizeof(big));
	CHECK_EQ(lq_put_line(l, 6, big, sizeof(big), 0), -EINVAL);
	CHECK_EQ(lq_put_line(l, 256, "x", 1, 0), -EINVAL);

	feed_lines(p, l, "L", 0, 2000);
	CHECK(wait_raw(p, l, 2000));
	CHECK(check_seq(sl, "6 ", "L", 0, 2000));

	/* Stalled: the mark waits, the queue fills, M and B go on. */
	sink_set(sl, 1, 0);
	CHECK_EQ(lq_put_line(l, 6, "L 002000", 8, 0), 0);
	CHECK_EQ(lq_mark(l, 2001), 0);
	sink_wait_stalled(sl);
	lq_state(l, &st);
	CHECK(!st.idle);
	CHECK_EQ(st.raw, 2000);
	{
		uint32_t i = 2001;
		char line[16];

		for (;; i++) {
			snprintf(line, sizeof(line), "L %06u", i);
			if (lq_put_line(l, 6, line, 8, 0) < 0)
				break;
		}
		CHECK(i > 2001);
		CHECK_EQ(lq_mark(l, i), 0);
		/* a note fits beyond the cap, after the lines */
		CHECK_EQ(lq_put_line(l, 5, "note", 4, 1), 0);
		CHECK_EQ(lq_mark(l, i + 1), 0);
		feed_lines(p, m, "M", 0, 3000);
		CHECK(wait_raw(p, m, 3000));
		CHECK(check_seq(sm, "6 ", "M", 0, 3000));
		before = sb->len;
		CHECK_EQ(lq_put(b, "b\n", 2, 1, 3002), 0);
		CHECK(wait_raw(p, b, 3002));
		CHECK_EQ(sb->len, before + 2);
		lq_state(l, &st);
		CHECK_EQ(st.raw, 2000);
		CHECK_EQ(lq_free(l, 0), -EBUSY);

		before = sl->len;
		sink_set(sl, 0, 0);
		CHECK(wait_raw(p, l, i + 1));
		CHECK(sl->len > before + 7 &&
		    memcmp(sl->data + sl->len - 7, "5 note\n", 7) == 0);
		sl->len -= 7;
		CHECK(check_seq(sl, "6 ", "L", 0, i));
	}

	/* Marks run out: lq_room says so, lq_mark refuses. */
	sink_set(sl, 1, 0);
	CHECK_EQ(lq_put_line(l, 6, "s", 1, 0), 0);
	sink_wait_stalled(sl);
	for (int k = 0; k < LQ_MARKS; k++)
		CHECK_EQ(lq_mark(l, 5000), 0);
	CHECK_EQ(lq_room(l), 0);
	CHECK_EQ(lq_mark(l, 5000), -ENOSPC);
	sink_set(sl, 0, 0);
	CHECK(wait_raw(p, l, 5000));

	/* Keep: a failed send keeps the line for a kick. */
	sink_set(sm, 0, -EIO);
	CHECK_EQ(lq_put_line(m, 6, "k1", 2, 0), 0);
	CHECK_EQ(lq_mark(m, 3001), 0);
	check_keep(p, m, sm, 5, 3001);
	CHECK(memcmp(sm->data + sm->len - 5, "6 k1\n", 5) == 0);

	/* Discard: each failed line goes, counted with its newline. */
	CHECK_EQ(lq_new(p, 4096, &line_ops, sd, sd, 1, &d), 0);
	sink_set(sd, 0, -ENOSPC);
	CHECK_EQ(lq_put_line(d, 6, "d1", 2, 0), 0);
	CHECK_EQ(lq_put_line(d, 6, "d22", 3, 0), 0);
	CHECK_EQ(lq_mark(d, 7), 0);
	CHECK(wait_raw(p, d, 7));
	lq_state(d, &st);
	CHECK_EQ(st.err, -ENOSPC);
	CHECK_EQ(st.dropped, 7);
	CHECK_EQ(st.queued, 0);
	sink_set(sd, 0, 0);
	CHECK_EQ(lq_put_line(d, 6, "d3", 2, 0), 0);
	CHECK_EQ(lq_mark(d, 10), 0);
	CHECK(wait_raw(p, d, 10));
	CHECK(sd->len == 5 && memcmp(sd->data, "6 d3\n", 5) == 0);

	CHECK_EQ(lq_free(l, 0), 0);
	CHECK_EQ(lq_free(m, 0), 0);
	CHECK_EQ(lq_free(d, 0), 0);
	free(sl);
	free(sm);
	free(sd);
}

/*
 * A busy line sink (-EAGAIN, a journald that does not read) keeps its
 * lines whole, even in discard mode, and frees the writer: with one
 * writer thread, a file queue is written meanwhile. A kick sends them.
 */
static void
test_busy(void)
{
	struct sink *sb = sink_new(0), *sf = sink_new(0);
	struct lq_pool *p;
	struct lq *b, *f;
	struct lq_state st;
	uint64_t stuck;
	int i;

	CHECK_EQ(lq_pool_new(1, &p), 0);
	CHECK_EQ(lq_new(p, 4096, &line_ops, sb, sb, 1, &b), 0);
	CHECK_EQ(lq_new(p, 4096, &ops, sf, sf, 1, &f), 0);
	sink_set(sb, 0, -EAGAIN);
	CHECK_EQ(lq_put_line(b, 6, "b1", 2, 0), 0);
	CHECK_EQ(lq_put_line(b, 6, "b2", 2, 0), 0);
	CHECK_EQ(lq_mark(b, 2), 0);
	for (i = 0; i < 1000; i++) {
		lq_state(b, &st);
		if (st.err == -EAGAIN && !st.idle && st.busy_ms == 0)
			break;
		settle(p);
	}
	CHECK_EQ(st.err, -EAGAIN);
	CHECK_EQ(st.dropped, 0);
	CHECK(st.queued > 0);
	CHECK(!st.raw_valid);
	/* the one writer is free for the file */
	CHECK_EQ(lq_put(f, "f\n", 2, 1, 1), 0);
	CHECK(wait_raw(p, f, 1));
	CHECK_EQ(sink_len(sf), 2);
	CHECK_EQ(sink_len(sb), 0);
	/* the sink reads again: a kick sends both lines, in order */
	sink_set(sb, 0, 0);
	lq_kick(b);
	CHECK(wait_raw(p, b, 2));
	CHECK(sink_len(sb) == 10 && memcmp(sb->data, "6 b1\n6 b2\n", 10) == 0);
	lq_state(b, &st);
	CHECK_EQ(st.err, 0);
	CHECK_EQ(st.dropped, 0);
	CHECK_EQ(lq_free(b, 0), 0);
	CHECK_EQ(lq_free(f, 0), 0);
	CHECK_EQ(lq_pool_free(p, 1000, &stuck), 0);
	free(sb);
	free(sf);
}

/* Files written by the writers, with the fds seen open after each write. */
static pthread_mutex_t fds_mu = PTHREAD_MUTEX_INITIALIZER;
static int fds_max;

/* Counted one thread at a time: the count's own fd is in the baseline. */
static int
fds_open(void)
{
	DIR *d;
	int n = 0;

	pthread_mutex_lock(&fds_mu);
	if ((d = opendir("/proc/self/fd")) != NULL) {
		while (readdir(d))
			n++;
		closedir(d);
	}
	if (n > fds_max)
		fds_max = n;
	pthread_mutex_unlock(&fds_mu);
	return n;
}

static long
file_write(void *arg, const char *buf, size_t len)
{
	long r = logfile_append(arg, buf, len);

	fds_open();	/* this file is still open, maybe others too */
	return r;
}

static void
file_reopen(void *arg, const char *path)
{
	logfile_close(arg);
}

static const struct lq_ops file_ops = { .write = file_write,
	.reopen = file_reopen };

/* The file and its rotations, oldest first, hold tag's lines 0..n-1. */
static int
check_file(const char *path, uint64_t keep, const char *tag, uint32_t n)
{
	struct sink *s = sink_new(0);
	char p[512];
	int ok;

	for (uint64_t i = keep + 1; i-- > 0;) {
		FILE *f;

		if (i)
			snprintf(p, sizeof(p), "%s.%llu", path,
			    (unsigned long long)i);
		else
			snprintf(p, sizeof(p), "%s", path);
		if ((f = fopen(p, "r")) == NULL)
			continue;
		s->len += fread(s->data + s->len, 1, sizeof(s->data) - s->len,
		    f);
		fclose(f);
	}
	ok = check_lines(s, tag, n);
	free(s);
	return ok;
}

/*
 * Five queues' files in a set of two, written by four writers, with
 * records interleaved across the queues, rotation and a reopen
 * (SIGHUP) half way: each file and its rotations hold all its records,
 * in order, once; at most two files were ever open.
 */
/* Removes path and its rotated copies. */
static void
rm_rotated(const char *path, int keep)
{
	char p[1024];

	unlink(path);
	for (int i = 1; i <= keep; i++) {
		snprintf(p, sizeof(p), "%s.%d", path, i);
		unlink(p);
	}
}

static void
test_capped_files(void)
{
	enum { NQ = 5, N = 600, KEEP = 20 };
	char dir[] = "/tmp/test-logfile-queue.XXXXXX", path[NQ][256];
	char tag[NQ][8], why[128];
	struct logfile lf[NQ];
	struct lq *q[NQ];
	struct logfile_set *set;
	struct logfile_set_stats st;
	struct lq_pool *p;
	uint64_t stuck;
	int base;

	CHECK(mkdtemp(dir) != NULL);
	CHECK_EQ(lq_pool_new(4, &p), 0);
	CHECK_EQ(logfile_set_new(logdir_open(dir, why, sizeof(why)), 2, &set),
	    0);
	base = fds_open();
	for (int k = 0; k < NQ; k++) {
		snprintf(path[k], sizeof(path[k]), "%s/guest-%d.log", dir, k);
		snprintf(tag[k], sizeof(tag[k]), "F%d", k);
		logfile_init(&lf[k], path[k], 1000, KEEP, set);
		/* small queues: many writes, each maybe on a closed file */
		CHECK_EQ(lq_new(p, 64, &file_ops, &lf[k], &lf[k], 0, &q[k]), 0);
	}
	for (uint32_t i = 0; i < N; i++) {
		if (i == N / 2)
			for (int k = 0; k < NQ; k++)
				lq_reopen(q[k], NULL);
		for (int k = 0; k < NQ; k++)
			feed(p, q[k], tag[k], i, 1);
	}
	for (int k = 0; k < NQ; k++)
		CHECK(wait_raw(p, q[k], N));
	CHECK(fds_max > base);
	CHECK(fds_max <= base + 2);
	logfile_set_stats(set, &st);
	CHECK(st.peak <= 2);
	CHECK(st.open <= 2);
	CHECK(st.evictions > 0);
	for (int k = 0; k < NQ; k++) {
		CHECK_EQ(lq_free(q[k], 0), 0);
		logfile_close(&lf[k]);
		CHECK(check_file(path[k], KEEP, tag[k], N));
		rm_rotated(path[k], KEEP);
	}
	CHECK_EQ(logfile_set_free(set), 0);
	CHECK_EQ(lq_pool_free(p, 1000, &stuck), 0);
	CHECK(rmdir(dir) == 0);
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
	check_keep(p, b, sb, 3, 3001);

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

	test_lines(p, b, sb);
	test_busy();
	test_capped_files();

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
