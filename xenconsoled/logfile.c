/*
 * Append-only log files with size-capped rotation at line boundaries,
 * and a bound on how many are open at once (a logfile_set).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xenconsoled.h"

struct logfile_set {
	pthread_mutex_t mu;
	pthread_cond_t room;	/* a file went idle or a slot came free */
	unsigned int max;
	unsigned int nopen;	/* files holding a slot: open or opening */
	struct logfile *lru_head, *lru_tail;	/* idle, oldest write first */
	unsigned int peak;
	uint64_t opens, evictions;
};

int
logfile_set_new(unsigned int max, struct logfile_set **out)
{
	struct logfile_set *s;

	if (max == 0)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->room, NULL);
	s->max = max;
	*out = s;
	return 0;
}

int
logfile_set_free(struct logfile_set *s)
{
	if (s == NULL)
		return 0;
	pthread_mutex_lock(&s->mu);
	if (s->nopen > 0) {
		pthread_mutex_unlock(&s->mu);
		return -EBUSY;
	}
	pthread_mutex_unlock(&s->mu);
	pthread_cond_destroy(&s->room);
	pthread_mutex_destroy(&s->mu);
	free(s);
	return 0;
}

void
logfile_set_stats(struct logfile_set *s, struct logfile_set_stats *st)
{
	pthread_mutex_lock(&s->mu);
	st->max = s->max;
	st->open = s->nopen;
	st->peak = s->peak;
	st->opens = s->opens;
	st->evictions = s->evictions;
	pthread_mutex_unlock(&s->mu);
}

/* Caller holds mu. */
static void
lru_remove(struct logfile_set *s, struct logfile *lf)
{
	if (lf->lru_prev)
		lf->lru_prev->lru_next = lf->lru_next;
	else if (s->lru_head == lf)
		s->lru_head = lf->lru_next;
	else
		return;		/* not on the list */
	if (lf->lru_next)
		lf->lru_next->lru_prev = lf->lru_prev;
	else
		s->lru_tail = lf->lru_prev;
	lf->lru_prev = lf->lru_next = NULL;
}

/* Caller holds mu. */
static void
lru_append(struct logfile_set *s, struct logfile *lf)
{
	lf->lru_next = NULL;
	lf->lru_prev = s->lru_tail;
	if (s->lru_tail)
		s->lru_tail->lru_next = lf;
	else
		s->lru_head = lf;
	s->lru_tail = lf;
}

void
logfile_init(struct logfile *lf, const char *path, uint64_t rotate_size,
	     uint64_t keep, struct logfile_set *set)
{
	memset(lf, 0, sizeof(*lf));
	snprintf(lf->path, sizeof(lf->path), "%s", path);
	lf->fd = -1;
	lf->rotate_size = rotate_size;
	lf->keep = keep;
	lf->set = set;
}

/* Opens lf->path; its size and line state come from the file. */
static int
lf_open_fd(struct logfile *lf)
{
	struct stat st;

	lf->fd = open(lf->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOCTTY, 0640);
	if (lf->fd < 0)
		return -errno;
	lf->size = fstat(lf->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	/*
	 * A file that ends mid-line (a restart, or a close to make room)
	 * continues that line; read access is only for this look at its
	 * last byte.
	 */
	lf->at_bol = 1;
	if (lf->size > 0) {
		char last;

		if (pread(lf->fd, &last, 1, (off_t)lf->size - 1) == 1)
			lf->at_bol = last == '\n';
	}
	return 0;
}

/* Gives back lf's slot if it holds one without a file, and lf itself. */
static void
lf_put(struct logfile *lf)
{
	struct logfile_set *s = lf->set;

	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	lf->in_use = 0;
	if (lf->fd >= 0) {
		lru_append(s, lf);
	} else if (lf->slot) {
		lf->slot = 0;
		s->nopen--;
	}
	pthread_cond_broadcast(&s->room);
	pthread_mutex_unlock(&s->mu);
}

/*
 * Makes lf's fd the caller's until lf_put, opening it if it was closed:
 * in a full set, the least recently written idle file is closed for it
 * (its slot passes to lf, so the open count never exceeds max), or, if
 * every open file is being written, this waits for one to go idle.
 */
static int
lf_get(struct logfile *lf)
{
	struct logfile_set *s = lf->set;
	int victim = -1, r;

	if (s == NULL)
		return lf->fd >= 0 ? 0 : lf_open_fd(lf);
	pthread_mutex_lock(&s->mu);
	lf->in_use = 1;
	if (lf->fd >= 0) {
		lru_remove(s, lf);
		pthread_mutex_unlock(&s->mu);
		return 0;
	}
	if (!lf->slot) {
		while (s->nopen >= s->max && s->lru_head == NULL)
			pthread_cond_wait(&s->room, &s->mu);
		if (s->nopen >= s->max) {
			struct logfile *v = s->lru_head;

			lru_remove(s, v);
			victim = v->fd;
			v->fd = -1;
			v->slot = 0;
			s->evictions++;
		} else {
			s->nopen++;
			if (s->nopen > s->peak)
				s->peak = s->nopen;
		}
		lf->slot = 1;
	}
	s->opens++;
	pthread_mutex_unlock(&s->mu);
	if (victim >= 0)
		close(victim);
	if ((r = lf_open_fd(lf)) < 0)
		lf_put(lf);
	return r;
}

int
logfile_open(struct logfile *lf)
{
	int r = lf_get(lf);

	if (r == 0)
		lf_put(lf);
	return r;
}

void
logfile_close(struct logfile *lf)
{
	struct logfile_set *s = lf->set;
	int fd;

	if (s == NULL) {
		if (lf->fd >= 0)
			close(lf->fd);
		lf->fd = -1;
		return;
	}
	pthread_mutex_lock(&s->mu);
	lru_remove(s, lf);
	fd = lf->fd;
	lf->fd = -1;
	pthread_mutex_unlock(&s->mu);
	/* The slot is given back only once the fd is gone. */
	if (fd >= 0)
		close(fd);
	pthread_mutex_lock(&s->mu);
	if (lf->slot) {
		lf->slot = 0;
		s->nopen--;
		pthread_cond_broadcast(&s->room);
	}
	pthread_mutex_unlock(&s->mu);
}

int
logfile_reopen(struct logfile *lf)
{
	logfile_close(lf);
	return logfile_open(lf);
}

/*
 * path.N-1 -> path.N, ..., path -> path.1; the oldest falls off. The
 * caller has lf (lf_get): its slot is kept across the close and open.
 */
static int
logfile_rotate(struct logfile *lf)
{
	char from[sizeof(lf->path) + 24], to[sizeof(lf->path) + 24];

	close(lf->fd);
	lf->fd = -1;
	if (lf->keep == 0) {
		if (unlink(lf->path) < 0 && errno != ENOENT)
			return -errno;
		return lf_open_fd(lf);
	}
	for (uint64_t i = lf->keep; i > 1; i--) {
		snprintf(from, sizeof(from), "%s.%llu", lf->path,
		    (unsigned long long)(i - 1));
		snprintf(to, sizeof(to), "%s.%llu", lf->path,
		    (unsigned long long)i);
		if (rename(from, to) < 0 && errno != ENOENT)
			return -errno;
	}
	snprintf(to, sizeof(to), "%s.1", lf->path);
	if (rename(lf->path, to) < 0 && errno != ENOENT)
		return -errno;
	return lf_open_fd(lf);
}

/* logfile_write on a file the caller has (lf_get). */
static int
lf_write(struct logfile *lf, const char *buf, size_t len, int at_bol)
{
	size_t done = 0;
	int r;

	if (at_bol && lf->rotate_size && lf->size >= lf->rotate_size &&
	    (r = logfile_rotate(lf)) < 0)
		return r;
	while (done < len) {
		ssize_t n = write(lf->fd, buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* What was written stays counted by the caller. */
			lf->size += done;
			return done ? (int)done : -errno;
		}
		done += (size_t)n;
	}
	lf->size += done;
	return (int)done;
}

int
logfile_write(struct logfile *lf, const char *buf, size_t len, int at_bol)
{
	int r;

	if ((r = lf_get(lf)) < 0)
		return r;
	r = lf_write(lf, buf, len, at_bol);
	lf_put(lf);
	return r;
}

long
logfile_append(struct logfile *lf, const char *buf, size_t len)
{
	size_t n = len;
	int r;

	/* Opened first: a reopened file's size is the file's. */
	if ((r = lf_get(lf)) < 0)
		return r;
	/*
	 * Stop at the end of the line that reaches the cap, so that the
	 * next call starts a line and rotates first.
	 */
	if (lf->rotate_size && lf->size + len > lf->rotate_size) {
		size_t from = lf->size >= lf->rotate_size ? 0 :
		    (size_t)(lf->rotate_size - lf->size - 1);
		const char *nl = memchr(buf + from, '\n', len - from);

		if (nl)
			n = (size_t)(nl - buf) + 1;
	}
	r = lf_write(lf, buf, n, lf->at_bol);
	if (r > 0)
		lf->at_bol = buf[r - 1] == '\n';
	lf_put(lf);
	return r;
}

void
logfile_remove(const char *path, uint64_t keep)
{
	char p[XCD_PATH_MAX + 110];

	unlink(path);
	for (uint64_t i = 1; i <= keep; i++) {
		snprintf(p, sizeof(p), "%s.%llu", path, (unsigned long long)i);
		unlink(p);
	}
}
