/*
 * logfile.c: append-only log files in one verified directory, with
 * size-capped rotation.
 *
 * Files may share a logfile_set, which keeps at most max of them open:
 * a file is opened (O_APPEND, same path) by the write that needs it, and
 * a write that finds the set full closes the least recently written
 * file that no write is using, or waits for one. A closed file keeps its
 * path and line state; its size and last byte are read back when it
 * reopens, so a close between two writes loses and repeats nothing.
 * No lock is held across an open, a write or a close.
 *
 * Every open, rename and unlink goes through the set's directory fd
 * (logdir_open), never a path: a symlink put in place of the directory
 * or of a file is refused (O_NOFOLLOW), not followed.
 *
 * A logfile's fields belong to the one thread writing it (a log writer,
 * one at a time per file), except fd while the file is idle: the set's
 * lock guards it then, as another writer may close it.
 */
#ifndef XCD_LOGFILE_H
#define XCD_LOGFILE_H

#include <stddef.h>
#include <stdint.h>

#include "linefmt.h"

/* A directory, then the file's name (logname.h). */
#define LOGFILE_PATH_MAX 520	/* 256 + 1 + LOGNAME_MAX + 1, rounded up */
/*
 * A line longer than this may be cut by a rotation: a file is rotated at
 * rotate_size at the end of a line, and at rotate_size + LOGFILE_LINE_MAX
 * even mid-line, so a guest that never writes a newline is bounded too.
 */
#define LOGFILE_LINE_MAX 4096
/* What Xen writes, stamped, when it opens a log with timestamps on. */
#define LOGFILE_OPENED "Logfile Opened"

struct logfile_set;
struct logfile {
	char path[LOGFILE_PATH_MAX];	/* <set's directory>/<name> */
	int fd;
	uint64_t size;
	uint64_t rotate_size, keep;
	int at_bol;		/* the file ends with a newline (or is empty) */
	enum lf_stamp opened;	/* stamp of the "opened" line; NONE: none */
	int opened_due;		/* the next write starts with that line */
	struct logfile_set *set;	/* NULL: no limit, paths as given */
	int in_use;		/* a write has it: never closed for others */
	int slot;		/* counted in the set's open files */
	struct logfile *lru_prev, *lru_next;	/* open and idle, in the set */
};
struct logfile_set_stats {
	unsigned int max, open;
	unsigned int peak;	/* most open at once */
	uint64_t opens, evictions;
};

/*
 * Opens the log directory path (O_DIRECTORY|O_NOFOLLOW) and checks that
 * it is owned by root or by us and writable by nobody else. Returns the
 * fd, or -errno with why (len bytes) saying what is wrong.
 */
int logdir_open(const char *path, char *why, size_t len);
/*
 * At most max (>= 1) files open at once, all in the directory dirfd
 * (logdir_open), which the set now owns; -1: a set without a directory,
 * whose opens fail. Returns 0 or -errno.
 */
int logfile_set_new(int dirfd, unsigned int max, struct logfile_set **out);
/* -EBUSY (nothing freed) while a file of the set is open. Accepts NULL. */
int logfile_set_free(struct logfile_set *s);
void logfile_set_stats(struct logfile_set *s, struct logfile_set_stats *st);
/* The set's directory fd, for retention; -1 if none. */
int logfile_set_dirfd(const struct logfile_set *s);

/*
 * set may be NULL (tests): path is then opened as given. rotate_size 0
 * never rotates; keep rotated copies path.1 .. path.<keep> are kept.
 */
void logfile_init(struct logfile *lf, const char *path, uint64_t rotate_size,
		  uint64_t keep, struct logfile_set *set);
/*
 * Each open of the file other than one to make room in the set (the
 * first, the one after logfile_reopen or logfile_close, and the new file
 * of a rotation) starts with LOGFILE_OPENED on a line of its own, stamped
 * with stamp, as Xen's daemon does when timestamps are on. LF_STAMP_NONE
 * (the default) writes no such line.
 */
void logfile_opened_line(struct logfile *lf, enum lf_stamp stamp);
/* Opens now (a check at start); it stays open until its set needs room. */
int logfile_open(struct logfile *lf);
/*
 * Appends a prefix of buf (at least one byte) to the file, rotating as
 * LOGFILE_LINE_MAX says, with the line state kept by the file itself:
 * returns the bytes written or -errno.
 */
long logfile_append(struct logfile *lf, const char *buf, size_t len);
int logfile_reopen(struct logfile *lf);
/* Closes and gives the set its room back; never while a write has lf. */
void logfile_close(struct logfile *lf);

#endif
