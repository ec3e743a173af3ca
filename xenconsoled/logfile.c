/* Append-only log files with size-capped rotation at line boundaries. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xenconsoled.h"

void
logfile_init(struct logfile *lf, const char *path, uint64_t rotate_size,
	     uint64_t keep)
{
	memset(lf, 0, sizeof(*lf));
	snprintf(lf->path, sizeof(lf->path), "%s", path);
	lf->fd = -1;
	lf->rotate_size = rotate_size;
	lf->keep = keep;
}

int
logfile_open(struct logfile *lf)
{
	struct stat st;

	if (lf->fd >= 0)
		return 0;
	lf->fd = open(lf->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOCTTY, 0640);
	if (lf->fd < 0)
		return -errno;
	lf->size = fstat(lf->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	/*
	 * A file that ends mid-line (a restart) continues that line; read
	 * access is only for this look at its last byte.
	 */
	lf->at_bol = 1;
	if (lf->size > 0) {
		char last;

		if (pread(lf->fd, &last, 1, (off_t)lf->size - 1) == 1)
			lf->at_bol = last == '\n';
	}
	return 0;
}

void
logfile_close(struct logfile *lf)
{
	if (lf->fd >= 0)
		close(lf->fd);
	lf->fd = -1;
}

int
logfile_reopen(struct logfile *lf)
{
	logfile_close(lf);
	return logfile_open(lf);
}

/* path.N-1 -> path.N, ..., path -> path.1; the oldest falls off. */
static int
logfile_rotate(struct logfile *lf)
{
	char from[sizeof(lf->path) + 24], to[sizeof(lf->path) + 24];

	logfile_close(lf);
	if (lf->keep == 0) {
		if (unlink(lf->path) < 0 && errno != ENOENT)
			return -errno;
		return logfile_open(lf);
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
	return logfile_open(lf);
}

int
logfile_write(struct logfile *lf, const char *buf, size_t len, int at_bol)
{
	size_t done = 0;
	int r;

	if (lf->fd < 0 && (r = logfile_open(lf)) < 0)
		return r;
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

long
logfile_append(struct logfile *lf, const char *buf, size_t len)
{
	size_t n = len;
	int r;

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
	r = logfile_write(lf, buf, n, lf->at_bol);
	if (r > 0)
		lf->at_bol = buf[r - 1] == '\n';
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
