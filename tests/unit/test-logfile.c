/*
 * xenconsoled/logfile: size-capped rotation between lines, and mid-line
 * at one line more; keep N; Xen's "Logfile Opened" line; logrotate's
 * copytruncate; a verified directory; a set of files with at most max
 * open, the least recently written one closed for another, continuing
 * its line when it reopens.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "xenconsoled.h"

static char dir[] = "/tmp/test-logfile.XXXXXX";

static long
fsize(const char *name)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static int
fds_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

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

static int
has(const char *name, const char *want)
{
	char p[512], got[256];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((f = fopen(p, "r")) == NULL)
		return 0;
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	got[n] = '\0';
	return strcmp(got, want) == 0;
}

/*
 * Three files in a set of two: each write that needs a closed file closes
 * the least recently written, a partial line goes on after the reopen,
 * rotation works on a reopened file, and no more than two are ever open.
 */
static void
test_set(void)
{
	struct logfile_set *s;
	struct logfile_set_stats st;
	struct logfile a, b, c;
	char p[3][256];
	int base;

	CHECK_EQ(logfile_set_new(-1, 0, &s), -EINVAL);
	CHECK_EQ(logfile_set_new(logdir_open(dir, p[0], sizeof(p[0])), 2, &s),
	    0);
	base = fds_open();
	for (int i = 0; i < 3; i++)
		snprintf(p[i], sizeof(p[i]), "%s/guest-%c.log", dir, 'a' + i);
	logfile_init(&a, p[0], 20, 1, s);
	logfile_init(&b, p[1], 20, 1, s);
	logfile_init(&c, p[2], 20, 1, s);
	CHECK_EQ(logfile_append(&a, "a1\n", 3), 3);
	CHECK_EQ(logfile_append(&b, "b1", 2), 2);
	CHECK_EQ(fds_open(), base + 2);
	CHECK_EQ(logfile_append(&c, "c1\n", 3), 3);	/* closes a */
	CHECK_EQ(fds_open(), base + 2);
	CHECK_EQ(a.fd, -1);
	CHECK(b.fd >= 0);
	CHECK_EQ(logfile_append(&a, "a2\n", 3), 3);	/* closes b */
	CHECK_EQ(b.fd, -1);
	CHECK_EQ(logfile_append(&b, "-b1\n", 4), 4);	/* closes c */
	CHECK_EQ(c.fd, -1);
	CHECK(b.at_bol);
	CHECK_EQ(fds_open(), base + 2);
	/* b rotates after its reopen: its size came from the file */
	CHECK_EQ(logfile_append(&c, "c2\n", 3), 3);	/* closes a */
	CHECK_EQ(logfile_append(&b, "b2-0123456789\n", 14), 14);
	CHECK_EQ(logfile_append(&a, "a3\n", 3), 3);	/* closes c */
	CHECK_EQ(logfile_append(&c, "c3\n", 3), 3);	/* closes b */
	CHECK_EQ(logfile_append(&b, "b3\n", 3), 3);	/* closes a */
	CHECK(has("guest-b.log.1", "b1-b1\nb2-0123456789\n"));
	CHECK(has("guest-b.log", "b3\n"));
	CHECK(has("guest-a.log", "a1\na2\na3\n"));
	CHECK(has("guest-c.log", "c1\nc2\nc3\n"));
	logfile_set_stats(s, &st);
	CHECK_EQ(st.max, 2);
	CHECK_EQ(st.open, 2);
	CHECK_EQ(st.peak, 2);
	CHECK_EQ(st.evictions, 7);
	CHECK_EQ(st.opens, 9);
	/* a reopen (SIGHUP) gives its slot back and takes one */
	CHECK_EQ(logfile_reopen(&c), 0);
	CHECK_EQ(fds_open(), base + 2);
	CHECK_EQ(logfile_set_free(s), -EBUSY);
	logfile_close(&a);
	logfile_close(&b);
	logfile_close(&c);
	CHECK_EQ(fds_open(), base);
	logfile_set_stats(s, &st);
	CHECK_EQ(st.open, 0);
	CHECK_EQ(logfile_set_free(s), 0);
	for (int i = 0; i < 3; i++)
		rm_rotated(p[i], 1);
}

/*
 * Rotation at rotate_size at the end of a line, keep N; logfile_append
 * stops at the end of the line that reaches the cap, rotates before the
 * next, keeps its own line state, and continues a line a file ended in
 * after a reopen.
 */
static void
test_rotate(void)
{
	struct logfile lf;
	char path[256];

	snprintf(path, sizeof(path), "%s/guest-x.log", dir);
	logfile_init(&lf, path, 10, 2, NULL);
	CHECK_EQ(logfile_append(&lf, "1234\n5678\nabcd\nef", 18), 10);
	/* rotated first: the whole of it fits */
	CHECK_EQ(logfile_append(&lf, "abcd\nef", 7), 7);
	CHECK_EQ(fsize("guest-x.log.1"), 10);
	CHECK_EQ(fsize("guest-x.log"), 7);
	CHECK_EQ(logfile_append(&lf, "ef", 2), 2);
	CHECK_EQ(logfile_reopen(&lf), 0);
	CHECK(!lf.at_bol);
	/* over the cap, but mid-line: the line ends first */
	CHECK_EQ(logfile_append(&lf, "gh\nij\n", 6), 3);
	CHECK_EQ(fsize("guest-x.log"), 12);
	CHECK_EQ(logfile_append(&lf, "ij\n", 3), 3);
	CHECK_EQ(fsize("guest-x.log"), 3);
	CHECK_EQ(fsize("guest-x.log.1"), 12);
	CHECK_EQ(fsize("guest-x.log.2"), 10);
	/* keep 2: the oldest goes */
	CHECK_EQ(logfile_append(&lf, "0123456789\n", 11), 11);
	CHECK_EQ(logfile_append(&lf, "L\n", 2), 2);
	CHECK_EQ(fsize("guest-x.log.2"), 12);
	CHECK_EQ(fsize("guest-x.log.1"), 14);
	CHECK_EQ(fsize("guest-x.log.3"), -1);
	/* reopen (SIGHUP after an outside rename) appends to a new file */
	{
		char moved[1024];

		snprintf(moved, sizeof(moved), "%s.moved", path);
		CHECK(rename(path, moved) == 0);
		CHECK_EQ(logfile_reopen(&lf), 0);
		CHECK_EQ(logfile_append(&lf, "new\n", 4), 4);
		CHECK_EQ(fsize("guest-x.log"), 4);
		unlink(moved);
	}
	logfile_close(&lf);
	rm_rotated(path, 2);
	CHECK_EQ(fsize("guest-x.log"), -1);
	CHECK_EQ(fsize("guest-x.log.1"), -1);
}

/*
 * A guest that never writes a newline is cut at rotate_size plus one
 * maximum line, and the files stay bounded however much it writes.
 */
static void
test_no_newline(void)
{
	enum { CAP = 100, KEEP = 2 };
	static char junk[3000];
	struct logfile lf;
	char path[256];
	uint64_t total = 0;
	long n;

	memset(junk, 'x', sizeof(junk));
	snprintf(path, sizeof(path), "%s/guest-nonl.log", dir);
	logfile_init(&lf, path, CAP, KEEP, NULL);
	while (total < 10 * (CAP + LOGFILE_LINE_MAX)) {
		n = logfile_append(&lf, junk, sizeof(junk));
		CHECK(n > 0);
		if (n <= 0)
			break;
		total += (uint64_t)n;
		CHECK(fsize("guest-nonl.log") <= CAP + LOGFILE_LINE_MAX);
	}
	CHECK_EQ(fsize("guest-nonl.log.1"), CAP + LOGFILE_LINE_MAX);
	CHECK_EQ(fsize("guest-nonl.log.2"), CAP + LOGFILE_LINE_MAX);
	CHECK_EQ(fsize("guest-nonl.log.3"), -1);
	logfile_close(&lf);
	rm_rotated(path, KEEP);
	/* a newline past the cap, before the bound, ends the file there */
	logfile_init(&lf, path, CAP, KEEP, NULL);
	CHECK_EQ(logfile_append(&lf, junk, 2 * CAP), 2 * CAP);
	CHECK_EQ(logfile_append(&lf, "end\nmore", 8), 4);
	CHECK_EQ(logfile_append(&lf, "more", 4), 4);
	CHECK_EQ(fsize("guest-nonl.log"), 4);
	CHECK_EQ(fsize("guest-nonl.log.1"), 2 * CAP + 4);
	logfile_close(&lf);
	rm_rotated(path, KEEP);
}

/*
 * logrotate's copytruncate empties the file behind our back: the size is
 * read back from the file before a rotation, which is then not due.
 */
static void
test_copytruncate(void)
{
	struct logfile lf;
	char path[256];

	snprintf(path, sizeof(path), "%s/guest-ct.log", dir);
	logfile_init(&lf, path, 10, 1, NULL);
	CHECK_EQ(logfile_append(&lf, "123456789\n", 10), 10);
	CHECK(truncate(path, 0) == 0);
	CHECK_EQ(logfile_append(&lf, "ab\n", 3), 3);
	CHECK_EQ(fsize("guest-ct.log.1"), -1);
	CHECK_EQ(fsize("guest-ct.log"), 3);
	CHECK_EQ(lf.size, 3);
	logfile_close(&lf);
	rm_rotated(path, 1);
}

/* Starts with "[<date> <time>] Logfile Opened\n"? */
static int
opened_at(const char *name, long off)
{
	char p[512], got[64];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((f = fopen(p, "r")) == NULL)
		return 0;
	fseek(f, off, SEEK_SET);
	n = fread(got, 1, 37, f);
	fclose(f);
	got[n] = '\0';
	return n == 37 && got[0] == '[' && got[20] == ']' &&
	    strcmp(got + 21, " Logfile Opened\n") == 0;
}

/*
 * Xen's "Logfile Opened", stamped: on the first open, a reopen (SIGHUP)
 * and a rotation's new file, on a line of its own; not on a close and
 * reopen to make room in a set; never without stamps.
 */
static void
test_opened_line(void)
{
	struct logfile_set *s;
	struct logfile a, b;
	char pa[256], pb[256];

	snprintf(pa, sizeof(pa), "%s/guest-oa.log", dir);
	snprintf(pb, sizeof(pb), "%s/guest-ob.log", dir);
	CHECK_EQ(logfile_set_new(logdir_open(dir, pa + 200, 50), 1, &s), 0);
	logfile_init(&a, pa, 60, 1, s);
	logfile_init(&b, pb, 0, 0, s);
	logfile_opened_line(&a, LF_STAMP_XEN);
	CHECK_EQ(logfile_append(&a, "one\npart", 9), 9);
	CHECK(opened_at("guest-oa.log", 0));
	CHECK_EQ(fsize("guest-oa.log"), 37 + 9);
	CHECK_EQ(logfile_append(&b, "b\n", 2), 2);	/* closes a */
	CHECK_EQ(fsize("guest-ob.log"), 2);		/* b has no stamps */
	CHECK_EQ(a.fd, -1);
	CHECK_EQ(logfile_append(&a, "ial\n", 4), 4);	/* no new line */
	CHECK_EQ(fsize("guest-oa.log"), 37 + 13);
	/* a reopen mid-line: the line ends first */
	CHECK_EQ(logfile_append(&a, "x", 1), 1);
	CHECK_EQ(logfile_reopen(&a), 0);
	CHECK_EQ(fsize("guest-oa.log"), 37 + 14 + 1 + 37);
	CHECK(opened_at("guest-oa.log", 37 + 15));
	/* over 60: rotated, and the new file says so first */
	CHECK_EQ(logfile_append(&a, "next\n", 5), 5);
	CHECK_EQ(fsize("guest-oa.log.1"), 37 + 14 + 1 + 37);
	CHECK_EQ(fsize("guest-oa.log"), 37 + 5);
	CHECK(opened_at("guest-oa.log", 0));
	logfile_close(&a);
	logfile_close(&b);
	CHECK_EQ(logfile_set_free(s), 0);
	rm_rotated(pa, 1);
	rm_rotated(pb, 0);
}

/*
 * The directory: a symlink to it, a directory others or its group may
 * write, or another user's, is refused; so is a symlinked log file.
 */
static void
test_dir(void)
{
	char sub[256], link[256], why[128], p[1024], moved[256];
	struct logfile_set *s;
	struct logfile lf;
	int fd;

	snprintf(sub, sizeof(sub), "%s/d", dir);
	snprintf(link, sizeof(link), "%s/l", dir);
	CHECK(mkdir(sub, 0755) == 0);
	CHECK(symlink(sub, link) == 0);
	fd = logdir_open(sub, why, sizeof(why));
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK_EQ(logdir_open(link, why, sizeof(why)), -ELOOP);
	CHECK_STR(why, "is a symbolic link");
	CHECK(chmod(sub, 0775) == 0);
	CHECK_EQ(logdir_open(sub, why, sizeof(why)), -EPERM);
	CHECK(strstr(why, "group") != NULL);
	CHECK(chmod(sub, 01777) == 0);
	CHECK_EQ(logdir_open(sub, why, sizeof(why)), -EPERM);
	CHECK(strstr(why, "others") != NULL);
	CHECK(chmod(sub, 0755) == 0);
	if (geteuid() == 0) {
		CHECK(chown(sub, 4321, 0) == 0);
		CHECK_EQ(logdir_open(sub, why, sizeof(why)), -EPERM);
		CHECK(strstr(why, "uid 4321") != NULL);
		CHECK(chown(sub, 0, 0) == 0);
	}
	/* a log file that is a symlink is not followed */
	CHECK_EQ(logfile_set_new(logdir_open(sub, why, sizeof(why)), 4, &s),
	    0);
	snprintf(p, sizeof(p), "%s/guest-evil.log", sub);
	CHECK(symlink("/etc/passwd", p) == 0);
	logfile_init(&lf, p, 0, 0, s);
	CHECK_EQ(logfile_append(&lf, "x\n", 2), -ELOOP);
	CHECK(unlink(p) == 0);
	/* names are looked up in the directory opened, wherever it went */
	snprintf(moved, sizeof(moved), "%s/m", dir);
	CHECK(rename(sub, moved) == 0);
	CHECK_EQ(logfile_append(&lf, "x\n", 2), 2);
	CHECK_EQ(fsize("m/guest-evil.log"), 2);
	logfile_close(&lf);
	CHECK_EQ(logfile_set_free(s), 0);
	snprintf(p, sizeof(p), "%s/guest-evil.log", moved);
	CHECK(unlink(p) == 0);
	CHECK(unlink(link) == 0);
	CHECK(rmdir(moved) == 0);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 99;
	test_rotate();
	test_no_newline();
	test_copytruncate();
	test_opened_line();
	test_dir();
	test_set();
	CHECK(rmdir(dir) == 0);
	return CHECK_DONE();
}
