/* Log writes off the event loop: bounded queues and a pool of writers. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "compiler.h"
#include "logqueue.h"

/* A line queue's record: length (2 bytes, little-endian), prio, line. */
#define LQ_REC_HDR 3

struct lq_mark {
	uint64_t at;		/* out_pos at which the append is out */
	uint32_t raw;
};

struct lq {
	struct lq_pool *pool;
	const struct lq_ops *ops;
	void *arg, *owner;
	int discard;

	/* circular: len bytes from head; cap for data, size with notes */
	char *buf;
	size_t size, cap, head, len;
	uint64_t in_pos, out_pos;
	struct lq_mark marks[LQ_MARKS];
	unsigned int mhead, mlen;

	uint32_t raw;
	int raw_valid;
	int err;
	uint64_t dropped;

	int busy;		/* a writer has it */
	uint64_t busy_since;	/* ms, CLOCK_MONOTONIC */
	int ready;		/* on the ready list */
	int done;		/* on the done list */
	int stopped;		/* failed in keep mode, or the sink was
				   busy: waits for lq_kick */
	int want_reopen;
	char path[LQ_PATH_MAX];
	struct lq *next_ready, *next_done;
};

struct lq_pool {
	pthread_mutex_t mu;
	pthread_cond_t work;	/* the ready list got a queue, or stop */
	pthread_cond_t idle;	/* nothing queued and no writer busy */
	struct lq *ready_head, *ready_tail, *done_head;
	int efd;
	int stop;
	unsigned int nthreads, nbusy;
	size_t queued;		/* bytes in all queues */
	pthread_t threads[LQ_MAX_THREADS];
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Caller holds mu. */
static void
ready_push(struct lq *q)
{
	struct lq_pool *p = q->pool;

	if (q->ready || q->busy || q->stopped)
		return;
	q->ready = 1;
	q->next_ready = NULL;
	if (p->ready_tail)
		p->ready_tail->next_ready = q;
	else
		p->ready_head = q;
	p->ready_tail = q;
	pthread_cond_signal(&p->work);
}

/* Caller holds mu. */
static struct lq *
ready_pop(struct lq_pool *p)
{
	struct lq *q = p->ready_head;

	if (q == NULL)
		return NULL;
	p->ready_head = q->next_ready;
	if (p->ready_head == NULL)
		p->ready_tail = NULL;
	q->ready = 0;
	return q;
}

/* Caller holds mu. Returns whether the pool's fd needs a wake-up. */
static int
done_push(struct lq *q)
{
	struct lq_pool *p = q->pool;
	int was_empty = p->done_head == NULL;

	if (q->done)
		return 0;
	q->done = 1;
	q->next_done = p->done_head;
	p->done_head = q;
	return was_empty;
}

static void
wake_loop(struct lq_pool *p)
{
	uint64_t one = 1;

	/* Only fails when the counter is saturated: awake anyway. */
	if (write(p->efd, &one, sizeof(one)) < 0)
		return;
}

/* Caller holds mu: n bytes left the queue (written or given up). */
static void
advance(struct lq *q, size_t n)
{
	q->head = (q->head + n) % q->size;
	q->len -= n;
	q->pool->queued -= n;
	q->out_pos += n;
	while (q->mlen > 0 && q->marks[q->mhead].at <= q->out_pos) {
		q->raw = q->marks[q->mhead].raw;
		q->raw_valid = 1;
		q->mhead = (q->mhead + 1) % LQ_MARKS;
		q->mlen--;
	}
}

/* Copies n bytes from off bytes past head, across the wrap. */
static void
copy_out(const struct lq *q, size_t head, size_t off, char *dst, size_t n)
{
	size_t at = (head + off) % q->size;
	size_t first = XUD_MIN(n, q->size - at);

	memcpy(dst, q->buf + at, first);
	memcpy(dst + first, q->buf, n - first);
}

/*
 * Sends the line queue's first record (whole records are queued, so one
 * is there when len > 0). Returns the record's size or -errno; *text
 * gets its line length.
 */
static long
send_line(struct lq *q, size_t head, size_t *text)
{
	unsigned char h[LQ_REC_HDR];
	char line[LQ_LINE_MAX + 1];
	size_t len;
	int r;

	copy_out(q, head, 0, (char *)h, sizeof(h));
	len = (size_t)h[0] | (size_t)h[1] << 8;
	copy_out(q, head, LQ_REC_HDR, line, len);
	line[len] = '\0';
	*text = len;
	r = q->ops->line(q->arg, h[2], line, len);
	return r < 0 ? r : (long)(LQ_REC_HDR + len);
}

static void *
writer(void *arg)
{
	struct lq_pool *p = arg;
	char path[LQ_PATH_MAX];

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct lq *q;
		const char *seg;
		size_t seglen, head, text = 0;
		int reopen, wake;
		long n = 0;

		while (!p->stop && p->ready_head == NULL)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->stop)
			break;
		q = ready_pop(p);
		q->busy = 1;
		q->busy_since = now_ms();
		p->nbusy++;
		reopen = q->want_reopen;
		q->want_reopen = 0;
		snprintf(path, sizeof(path), "%s", q->path);
		q->path[0] = '\0';
		/* Only the loop appends, and only past head + len. */
		head = q->head;
		seg = q->buf + head;
		seglen = XUD_MIN(q->len, q->size - head);
		pthread_mutex_unlock(&p->mu);

		if (reopen)
			q->ops->reopen(q->arg, path[0] ? path : NULL);
		if (seglen > 0 && q->ops->line) {
			n = send_line(q, head, &text);
		} else if (seglen > 0) {
			n = q->ops->write(q->arg, seg, seglen);
			if (n == 0 || n > (long)seglen)
				n = -EIO;	/* a sink that made no progress */
		}

		pthread_mutex_lock(&p->mu);
		q->busy = 0;
		p->nbusy--;
		if (n > 0) {
			advance(q, (size_t)n);
			q->err = 0;
		} else if (n < 0) {
			q->err = (int)n;
			if (n == -EAGAIN) {
				/* busy, not failed: nothing is dropped */
				q->stopped = 1;
			} else if (q->discard && q->ops->line) {
				/* the line that failed goes, the next is tried */
				q->dropped += text + 1;
				advance(q, LQ_REC_HDR + text);
			} else if (q->discard) {
				q->dropped += q->len;
				advance(q, q->len);
			} else {
				q->stopped = 1;
			}
		}
		wake = done_push(q);
		if (q->len > 0 || q->want_reopen)
			ready_push(q);
		if (p->nbusy == 0 && p->queued == 0)
			pthread_cond_broadcast(&p->idle);
		if (wake) {
			pthread_mutex_unlock(&p->mu);
			wake_loop(p);
			pthread_mutex_lock(&p->mu);
		}
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int
lq_pool_new(unsigned int nthreads, struct lq_pool **out)
{
	struct lq_pool *p;
	sigset_t all, old;
	int r = 0;

	if (nthreads == 0 || nthreads > LQ_MAX_THREADS)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->efd < 0) {
		r = -errno;
		free(p);
		return r;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->idle, NULL);
	/* Signals are the loop's: writers inherit a mask that blocks them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (; p->nthreads < nthreads; p->nthreads++) {
		r = -pthread_create(&p->threads[p->nthreads], NULL, writer, p);
		if (r < 0)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		lq_pool_free(p, 0, NULL);
		return r;
	}
	*out = p;
	return 0;
}

int
lq_pool_fd(const struct lq_pool *p)
{
	return p->efd;
}

void
lq_pool_collect(struct lq_pool *p, void (*fn)(void *owner, void *arg),
		void *arg)
{
	uint64_t v;

	if (read(p->efd, &v, sizeof(v)) < 0) {
		/* EAGAIN: a wake-up for what an earlier call handled */
	}
	for (;;) {
		struct lq *q;
		void *owner;

		pthread_mutex_lock(&p->mu);
		q = p->done_head;
		if (q) {
			p->done_head = q->next_done;
			q->done = 0;
			owner = q->owner;
		}
		pthread_mutex_unlock(&p->mu);
		if (q == NULL)
			break;
		/* fn may free q: it is off the list already. */
		fn(owner, arg);
	}
}

int
lq_pool_free(struct lq_pool *p, int timeout_ms, uint64_t *stuck)
{
	struct timespec dl;

	if (p == NULL)
		return 0;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&p->mu);
	while ((p->nbusy > 0 || p->queued > 0) &&
	    pthread_cond_timedwait(&p->idle, &p->mu, &dl) == 0)
		;
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	if (stuck)
		*stuck = p->queued;
	if (p->nbusy > 0) {
		/* A write that never returns: leave its thread to exit(). */
		pthread_mutex_unlock(&p->mu);
		for (unsigned int i = 0; i < p->nthreads; i++)
			pthread_detach(p->threads[i]);
		return -ETIMEDOUT;
	}
	pthread_mutex_unlock(&p->mu);
	for (unsigned int i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->idle);
	pthread_mutex_destroy(&p->mu);
	close(p->efd);
	free(p);
	return 0;
}

int
lq_new(struct lq_pool *p, size_t cap, const struct lq_ops *ops, void *arg,
       void *owner, int discard, struct lq **out)
{
	struct lq *q;

	if (cap == 0)
		return -EINVAL;
	q = calloc(1, sizeof(*q));
	if (q == NULL)
		return -ENOMEM;
	q->size = cap + LQ_NOTE_ROOM;
	q->buf = malloc(q->size);
	if (q->buf == NULL) {
		free(q);
		return -ENOMEM;
	}
	q->pool = p;
	q->cap = cap;
	q->ops = ops;
	q->arg = arg;
	q->owner = owner;
	q->discard = discard;
	*out = q;
	return 0;
}

/* Caller holds mu. */
static void
unlink_lists(struct lq *q)
{
	struct lq_pool *p = q->pool;
	struct lq **pp, *prev = NULL;

	for (pp = &p->ready_head; *pp; prev = *pp, pp = &(*pp)->next_ready)
		if (*pp == q) {
			*pp = q->next_ready;
			if (p->ready_tail == q)
				p->ready_tail = prev;
			break;
		}
	for (pp = &p->done_head; *pp; pp = &(*pp)->next_done)
		if (*pp == q) {
			*pp = q->next_done;
			break;
		}
	q->ready = q->done = 0;
}

int
lq_free(struct lq *q, int force)
{
	struct lq_pool *p;

	if (q == NULL)
		return 0;
	p = q->pool;
	pthread_mutex_lock(&p->mu);
	if (q->busy || (q->len > 0 && !force)) {
		pthread_mutex_unlock(&p->mu);
		return -EBUSY;
	}
	p->queued -= q->len;
	unlink_lists(q);
	if (p->nbusy == 0 && p->queued == 0)
		pthread_cond_broadcast(&p->idle);
	pthread_mutex_unlock(&p->mu);
	free(q->buf);
	free(q);
	return 0;
}

size_t
lq_room(struct lq *q)
{
	size_t room;

	pthread_mutex_lock(&q->pool->mu);
	room = q->len < q->cap && q->mlen < LQ_MARKS ? q->cap - q->len : 0;
	pthread_mutex_unlock(&q->pool->mu);
	return room;
}

/* Caller holds mu; len fits in size - q->len. */
static void
append(struct lq *q, const char *buf, size_t len)
{
	size_t tail = (q->head + q->len) % q->size;
	size_t first = XUD_MIN(len, q->size - tail);

	memcpy(q->buf + tail, buf, first);
	memcpy(q->buf, buf + first, len - first);
	q->len += len;
	q->pool->queued += len;
	q->in_pos += len;
}

/* Caller holds mu; a mark is free. */
static void
mark_add(struct lq *q, uint32_t raw)
{
	struct lq_mark *m = &q->marks[(q->mhead + q->mlen) % LQ_MARKS];

	m->at = q->in_pos;
	m->raw = raw;
	q->mlen++;
	/* Nothing left to write: the index is out already. */
	advance(q, 0);
}

int
lq_put(struct lq *q, const char *buf, size_t len, int has_raw, uint32_t raw)
{
	struct lq_pool *p = q->pool;

	if (q->ops->line)
		return -EINVAL;		/* would break the records */
	pthread_mutex_lock(&p->mu);
	if (len > q->cap - XUD_MIN(q->len, q->cap) ||
	    (has_raw && q->mlen == LQ_MARKS)) {
		pthread_mutex_unlock(&p->mu);
		return -ENOSPC;
	}
	append(q, buf, len);
	if (has_raw)
		mark_add(q, raw);
	if (len > 0)
		ready_push(q);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int
lq_put_line(struct lq *q, int prio, const char *line, size_t len, int note)
{
	struct lq_pool *p = q->pool;
	unsigned char h[LQ_REC_HDR] = { (unsigned char)(len & 0xff),
	    (unsigned char)(len >> 8), (unsigned char)prio };
	size_t limit;

	if (q->ops->line == NULL || len > LQ_LINE_MAX || prio < 0 ||
	    prio > 255)
		return -EINVAL;
	pthread_mutex_lock(&p->mu);
	limit = note ? q->size : q->cap;
	if (LQ_REC_HDR + len > limit - XUD_MIN(q->len, limit)) {
		pthread_mutex_unlock(&p->mu);
		return -ENOSPC;
	}
	append(q, (const char *)h, sizeof(h));
	append(q, line, len);
	ready_push(q);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int
lq_mark(struct lq *q, uint32_t raw)
{
	pthread_mutex_lock(&q->pool->mu);
	if (q->mlen == LQ_MARKS) {
		pthread_mutex_unlock(&q->pool->mu);
		return -ENOSPC;
	}
	mark_add(q, raw);
	pthread_mutex_unlock(&q->pool->mu);
	return 0;
}

int
lq_put_note(struct lq *q, const char *buf, size_t len)
{
	struct lq_pool *p = q->pool;

	if (q->ops->line)
		return -EINVAL;
	pthread_mutex_lock(&p->mu);
	if (len > q->size - q->len) {
		pthread_mutex_unlock(&p->mu);
		return -ENOSPC;
	}
	append(q, buf, len);
	ready_push(q);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

void
lq_forget_raw(struct lq *q)
{
	pthread_mutex_lock(&q->pool->mu);
	q->mhead = q->mlen = 0;
	q->raw_valid = 0;
	pthread_mutex_unlock(&q->pool->mu);
}

void
lq_kick(struct lq *q)
{
	pthread_mutex_lock(&q->pool->mu);
	q->stopped = 0;
	if (q->len > 0 || q->want_reopen)
		ready_push(q);
	pthread_mutex_unlock(&q->pool->mu);
}

void
lq_reopen(struct lq *q, const char *path)
{
	pthread_mutex_lock(&q->pool->mu);
	q->want_reopen = 1;
	if (path)
		snprintf(q->path, sizeof(q->path), "%s", path);
	/* A reopen is also a retry: the new file may work. */
	q->stopped = 0;
	ready_push(q);
	pthread_mutex_unlock(&q->pool->mu);
}

void
lq_state(struct lq *q, struct lq_state *st)
{
	pthread_mutex_lock(&q->pool->mu);
	st->raw_valid = q->raw_valid;
	st->raw = q->raw;
	st->err = q->err;
	st->dropped = q->dropped;
	st->idle = !q->busy && q->len == 0 && !q->want_reopen;
	st->busy_ms = q->busy ? now_ms() - q->busy_since : 0;
	st->queued = q->len;
	pthread_mutex_unlock(&q->pool->mu);
}
