/*
 * Append-only log files with size-capped rotation, a bound on how many
 * are open at once (a logfile_set), all in one verified directory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "logfile.h"

struct logfile_set {
	int dirfd;		/* -1: none */
	pthread_mutex_t mu;
	pthread_cond_t room;	/* a file went idle or a slot came free */
	unsigned int max;
	unsigned int nopen;	/* files holding a slot: open or opening */
	struct logfile *lru_head, *lru_tail;	/* idle, oldest write first */
	unsigned int peak;
	uint64_t opens, evictions;
};

int
logdir_open(const char *path, char *why, size_t len)
{
	struct stat st;
	int fd, e;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if ((e == ENOTDIR || e == ELOOP) && lstat(path, &st) == 0 &&
		    S_ISLNK(st.st_mode)) {
			snprintf(why, len, "is a symbolic link");
			return -ELOOP;
		}
		snprintf(why, len, "%s", strerror(e));
		return -e;
	}
	if (fstat(fd, &st) < 0) {
		e = errno;
		snprintf(why, len, "%s", strerror(e));
		close(fd);
		return -e;
	}
	/* Whoever may write there could swap our logs for links. */
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(why, len, "owned by uid %u, not by root or us",
		    (unsigned int)st.st_uid);
		close(fd);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, len, "writable by %s (mode %04o); "
		    "chmod go-w it", st.st_mode & S_IWOTH ? "others" : "its group",
		    (unsigned int)(st.st_mode & 07777));
		close(fd);
		return -EPERM;
	}
	return fd;
}

int
logfile_set_new(int dirfd, unsigned int max, struct logfile_set **out)
{
	struct logfile_set *s;

	if (max == 0)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	s->dirfd = dirfd;
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
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s);
	return 0;
}

int
logfile_set_dirfd(const struct logfile_set *s)
{
	return s ? s->dirfd : -1;
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
	lf->opened_due = 1;
}

void
logfile_opened_line(struct logfile *lf, enum lf_stamp stamp)
{
	lf->opened = stamp;
}

/* Where lf's names are looked up, and its name there. */
static int
lf_dir(const struct logfile *lf)
{
	return lf->set ? lf->set->dirfd : AT_FDCWD;
}

static const char *
lf_name(const struct logfile *lf)
{
	const char *slash = strrchr(lf->path, '/');

	return lf->set && slash ? slash + 1 : lf->path;
}

/* Opens lf->path; its size and line state come from the file. */
static int
lf_open_fd(struct logfile *lf)
{
	struct stat st;

	if (lf->set && lf->set->dirfd < 0)
		return -EBADF;
	lf->fd = openat(lf_dir(lf), lf_name(lf), O_RDWR | O_APPEND | O_CREAT |
	    O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0640);
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

/*
 * The "opened" line, when due: on a line of its own (a file that ends
 * mid-line gets its newline first), stamped now.
 */
static int
lf_opened_line(struct logfile *lf)
{
	char stamp[LF_STAMP_MAX], line[LF_STAMP_MAX + 32];
	struct timespec ts;
	size_t done = 0;
	int n;

	if (!lf->opened_due || lf->opened == LF_STAMP_NONE) {
		lf->opened_due = 0;
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	lf_stamp(lf->opened, ts.tv_sec, ts.tv_nsec, stamp);
	n = snprintf(line, sizeof(line), "%s%s%s\n", lf->at_bol ? "" : "\n",
	    stamp, LOGFILE_OPENED);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -EOVERFLOW;
	while (done < (size_t)n) {
		ssize_t w = write(lf->fd, line + done, (size_t)n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			lf->size += done;
			return -errno;
		}
		done += (size_t)w;
	}
	lf->size += done;
	lf->at_bol = 1;
	lf->opened_due = 0;
	return 0;
}

int
logfile_open(struct logfile *lf)
{
	int r = lf_get(lf);

	if (r == 0) {
		r = lf_opened_line(lf);
		lf_put(lf);
	}
	return r;
}

void
logfile_close(struct logfile *lf)
{
	struct logfile_set *s = lf->set;
	int fd;

	lf->opened_due = 1;
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
 * name.N-1 -> name.N, ..., name -> name.1; the oldest falls off. The
 * caller has lf (lf_get): its slot is kept across the close and open.
 * The names are logrotate's, so that an administrator's logrotate
 * configuration and ours shift the same files.
 */
static int
logfile_rotate(struct logfile *lf)
{
	char from[LOGFILE_PATH_MAX + 24], to[LOGFILE_PATH_MAX + 24];
	const char *name = lf_name(lf);
	int dir = lf_dir(lf);

	close(lf->fd);
	lf->fd = -1;
	lf->opened_due = 1;
	if (lf->keep == 0) {
		if (unlinkat(dir, name, 0) < 0 && errno != ENOENT)
			return -errno;
		return lf_open_fd(lf);
	}
	for (uint64_t i = lf->keep; i > 1; i--) {
		snprintf(from, sizeof(from), "%s.%llu", name,
		    (unsigned long long)(i - 1));
		snprintf(to, sizeof(to), "%s.%llu", name,
		    (unsigned long long)i);
		if (renameat(dir, from, dir, to) < 0 && errno != ENOENT)
			return -errno;
	}
	snprintf(to, sizeof(to), "%s.1", name);
	if (renameat(dir, name, dir, to) < 0 && errno != ENOENT)
		return -errno;
	return lf_open_fd(lf);
}

/*
 * Is a rotation due before more bytes go in? At rotate_size at a line
 * start, at rotate_size + LOGFILE_LINE_MAX anywhere. The count is checked
 * against the file first: logrotate's copytruncate may have emptied it.
 */
static int
lf_rotation_due(struct logfile *lf)
{
	struct stat st;

	if (lf->rotate_size == 0 || lf->size < lf->rotate_size ||
	    (!lf->at_bol && lf->size < lf->rotate_size + LOGFILE_LINE_MAX))
		return 0;
	if (fstat(lf->fd, &st) == 0 && (uint64_t)st.st_size < lf->size) {
		lf->size = (uint64_t)st.st_size;
		if (st.st_size == 0)
			lf->at_bol = 1;
		return lf_rotation_due(lf);
	}
	return 1;
}

/*
 * How much of buf to write now: up to the end of the line that reaches
 * rotate_size (the next call then starts a line and rotates first), and
 * never past rotate_size + LOGFILE_LINE_MAX.
 */
static size_t
lf_take(const struct logfile *lf, const char *buf, size_t len)
{
	uint64_t hard = lf->rotate_size + LOGFILE_LINE_MAX;
	size_t n = len, from;
	const char *nl;

	if (lf->rotate_size == 0 || lf->size + len <= lf->rotate_size)
		return len;
	from = lf->size >= lf->rotate_size ? 0 :
	    (size_t)(lf->rotate_size - lf->size - 1);
	if ((nl = memchr(buf + from, '\n', len - from)) != NULL)
		n = (size_t)(nl - buf) + 1;
	if (lf->size + n > hard && lf->size < hard)
		n = (size_t)(hard - lf->size);
	return n;
}

long
logfile_append(struct logfile *lf, const char *buf, size_t len)
{
	size_t n;
	ssize_t w;
	int r;

	if (len == 0)
		return 0;
	/* Opened first: a reopened file's size is the file's. */
	if ((r = lf_get(lf)) < 0)
		return r;
	if ((r = lf_opened_line(lf)) < 0)
		goto out;
	if (lf_rotation_due(lf) && ((r = logfile_rotate(lf)) < 0 ||
	    (r = lf_opened_line(lf)) < 0))
		goto out;
	n = lf_take(lf, buf, len);
	do
		w = write(lf->fd, buf, n);
	while (w < 0 && errno == EINTR);
	if (w < 0) {
		r = -errno;
		goto out;
	}
	lf->size += (size_t)w;
	if (w > 0)
		lf->at_bol = buf[w - 1] == '\n';
	r = (int)w;
out:
	lf_put(lf);
	return r;
}
