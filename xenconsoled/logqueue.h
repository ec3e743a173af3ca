/*
 * Log writes off the event loop. Each sink (a console's log file, the
 * hypervisor log) has a bounded queue of formatted bytes; a small fixed
 * pool of threads writes the queues, one thread per queue at a time so
 * that a queue's bytes reach its sink in order. A write that stalls holds
 * one thread and its own queue, nothing else: the loop never writes.
 *
 * The loop appends with lq_put, tagging each append with the ring index
 * that its bytes came up to (the "raw" index). Once every byte of an
 * append is written, lq_state reports that index, and only then does the
 * loop consume the guest's ring up to it: bytes leave the ring only once
 * they are in the file, so a killed daemon loses and repeats nothing, and
 * a stalled sink leaves its guest's ring full (that guest waits).
 *
 * A line queue (ops->line set: journald, syslog) holds records instead
 * of a byte stream: one line each, with its priority, handed whole to
 * ops->line, so that a line sink gets one entry per line and the loop
 * never calls it. lq_put_line appends a record and lq_mark tags what is
 * appended so far with its raw index, so a batch of lines costs one mark.
 *
 * Locking: one mutex per pool guards every queue's bookkeeping. No lock is
 * held across a write, and the sink callbacks run only in a writer thread
 * with their queue marked busy, so no two of them touch one sink at once.
 */
#ifndef XCD_LOGQUEUE_H
#define XCD_LOGQUEUE_H

#include <stddef.h>
#include <stdint.h>

struct lq_pool;
struct lq;

struct lq_ops {
	/*
	 * Writes up to len bytes (at least one); returns how many, or
	 * -errno. May block: it runs in a writer thread, without locks.
	 */
	long (*write)(void *arg, const char *buf, size_t len);
	/*
	 * Reopens the sink, at path when it is not NULL (a renamed domain),
	 * in a writer thread.
	 */
	void (*reopen)(void *arg, const char *path);
	/*
	 * Line queues only (write is then NULL): sends one line (len bytes,
	 * NUL-terminated there) at priority prio; returns 0 or -errno. May
	 * block, like write; better, returns -EAGAIN when the sink is busy:
	 * the writer thread is then free for other queues, and this one
	 * waits, whole and in either mode, for lq_kick.
	 */
	int (*line)(void *arg, int prio, const char *line, size_t len);
};

/* Appends that can be waiting for their raw index, per queue. */
#define LQ_MARKS 64
/* Room kept beyond the data limit for the daemon's own notes. */
#define LQ_NOTE_ROOM 2048
#define LQ_PATH_MAX 512
#define LQ_MAX_THREADS 16
/* Longest line a line queue takes. */
#define LQ_LINE_MAX 2048

/* A queue's state as the loop sees it (lq_state). */
struct lq_state {
	int raw_valid;		/* raw means something */
	uint32_t raw;		/* every append up to this raw index is out */
	int err;		/* the last write's -errno, 0 if it went well */
	uint64_t dropped;	/* bytes given up on write errors (discard) */
	int idle;		/* empty, not being written */
	uint64_t busy_ms;	/* how long the current write has taken */
	size_t queued;		/* bytes waiting */
};

/*
 * nthreads writer threads. The pool's fd (an eventfd) becomes readable
 * when some queue made progress; the loop then calls lq_pool_collect.
 * Returns 0 or -errno.
 */
int lq_pool_new(unsigned int nthreads, struct lq_pool **out);
int lq_pool_fd(const struct lq_pool *p);
/*
 * Calls fn(owner, arg) for each queue that made progress (wrote, failed,
 * dropped) since the last call. fn may call any lq_ function.
 */
void lq_pool_collect(struct lq_pool *p, void (*fn)(void *owner, void *arg),
		     void *arg);
/*
 * Waits up to timeout_ms for every queue to be idle and empty, then stops
 * and joins the threads. A thread stuck in a write is left behind (the
 * process is about to exit) and -ETIMEDOUT returned, with *stuck set to
 * the bytes still queued. Frees the pool either way when no thread is
 * stuck. Accepts NULL.
 */
int lq_pool_free(struct lq_pool *p, int timeout_ms, uint64_t *stuck);

/*
 * A queue holding up to cap bytes of data (plus LQ_NOTE_ROOM for notes).
 * owner is what lq_pool_collect hands back; arg goes to ops. discard:
 * a failed write drops what is queued (counted in dropped) instead of
 * keeping it for lq_kick to retry; in a line queue, only the line that
 * failed goes (counted with its newline), and the next is tried.
 */
int lq_new(struct lq_pool *p, size_t cap, const struct lq_ops *ops,
	   void *arg, void *owner, int discard, struct lq **out);
/*
 * Frees q if it is idle and returns 0; -EBUSY (q untouched) while a
 * writer has it or bytes are queued, unless force: then whatever is
 * queued is given up (a busy q is still -EBUSY). Accepts NULL.
 */
int lq_free(struct lq *q, int force);

/*
 * Bytes of data lq_put takes now (lq_put_line: a few less per line, for
 * the record's header); 0 also while LQ_MARKS marks are waiting.
 */
size_t lq_room(struct lq *q);
/*
 * Appends len bytes (at most lq_room) and wakes a writer; raw is the ring
 * index the bytes came up to (has_raw = 0 for bytes of no ring). -ENOSPC
 * when they do not fit or LQ_MARKS appends are already waiting; -EINVAL
 * on a line queue.
 */
int lq_put(struct lq *q, const char *buf, size_t len, int has_raw,
	   uint32_t raw);
/* A note of the daemon's: may use LQ_NOTE_ROOM. -ENOSPC if full. */
int lq_put_note(struct lq *q, const char *buf, size_t len);
/*
 * Line queues: appends one line (at most LQ_LINE_MAX bytes, no
 * newline) at priority prio (0-255) and wakes a writer.
 * note: a line of the daemon's, which may use LQ_NOTE_ROOM. -ENOSPC when
 * it does not fit, -EINVAL on a byte queue or a line too long.
 */
int lq_put_line(struct lq *q, int prio, const char *line, size_t len,
		int note);
/*
 * Once everything appended so far is out, lq_state reports raw. -ENOSPC
 * when LQ_MARKS marks are already waiting (lq_room is 0 then).
 */
int lq_mark(struct lq *q, uint32_t raw);
/*
 * The ring behind the queue changed: raw indices of earlier appends mean
 * nothing now, so they are forgotten (their bytes are still written).
 */
void lq_forget_raw(struct lq *q);
/* Retry after a failed write (keep mode). */
void lq_kick(struct lq *q);
/* Asks for ops->reopen (at path, if not NULL) before the next write. */
void lq_reopen(struct lq *q, const char *path);
void lq_state(struct lq *q, struct lq_state *st);

#endif
