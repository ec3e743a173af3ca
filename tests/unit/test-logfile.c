/*
 * xenconsoled/logfile: size-capped rotation only between lines, keep N;
 * a set of files with at most max open, the least recently written one
 * closed for another, continuing its line when it reopens.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
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
	int base = fds_open();

	CHECK_EQ(logfile_set_new(0, &s), -EINVAL);
	CHECK_EQ(logfile_set_new(2, &s), 0);
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
		logfile_remove(p[i], 1);
}

int
main(void)
{
	struct logfile lf;
	char path[256];

	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(path, sizeof(path), "%s/guest-x.log", dir);
	logfile_init(&lf, path, 10, 2, NULL);
	CHECK_EQ(logfile_write(&lf, "12345678\n", 9, 1), 9);
	/* over the cap but mid-line: no rotation */
	CHECK_EQ(logfile_write(&lf, "abc", 3, 1), 3);
	CHECK_EQ(logfile_write(&lf, "def\n", 4, 0), 4);
	CHECK_EQ(fsize("guest-x.log"), 16);
	CHECK_EQ(fsize("guest-x.log.1"), -1);
	/* at a line start over the cap: rotate first */
	CHECK_EQ(logfile_write(&lf, "L2\n", 3, 1), 3);
	CHECK_EQ(fsize("guest-x.log"), 3);
	CHECK_EQ(fsize("guest-x.log.1"), 16);
	CHECK_EQ(logfile_write(&lf, "0123456789\n", 11, 1), 11);
	CHECK_EQ(logfile_write(&lf, "L4\n", 3, 1), 3);
	CHECK_EQ(fsize("guest-x.log.2"), 16);
	CHECK_EQ(fsize("guest-x.log.1"), 14);
	CHECK_EQ(fsize("guest-x.log"), 3);
	/* keep 2: the oldest goes */
	CHECK_EQ(logfile_write(&lf, "0123456789\n", 11, 1), 11);
	CHECK_EQ(logfile_write(&lf, "L6\n", 3, 1), 3);
	CHECK_EQ(fsize("guest-x.log.2"), 14);
	CHECK_EQ(fsize("guest-x.log.1"), 14);
	CHECK_EQ(fsize("guest-x.log.3"), -1);
	/* reopen (SIGHUP after an outside rename) appends to a new file */
	{
		char moved[300];

		snprintf(moved, sizeof(moved), "%s.moved", path);
		CHECK(rename(path, moved) == 0);
		CHECK_EQ(logfile_reopen(&lf), 0);
		CHECK_EQ(logfile_write(&lf, "new\n", 4, 1), 4);
		CHECK_EQ(fsize("guest-x.log"), 4);
		unlink(moved);
	}
	logfile_close(&lf);
	logfile_remove(path, 2);

	/*
	 * logfile_append (the writer threads'): stops at the end of the line
	 * that reaches the cap, rotates before the next, keeps its own line
	 * state, and continues a line a file ended in after a reopen.
	 */
	logfile_init(&lf, path, 10, 2, NULL);
	CHECK_EQ(logfile_append(&lf, "1234\n5678\nabcd\nef", 18), 10);
	CHECK_EQ(logfile_append(&lf, "abcd\nef", 7), 5);
	CHECK_EQ(fsize("guest-x.log.1"), 10);
	CHECK_EQ(fsize("guest-x.log"), 5);
	CHECK_EQ(logfile_append(&lf, "ef", 2), 2);
	CHECK_EQ(logfile_reopen(&lf), 0);
	CHECK(!lf.at_bol);
	/* over the cap, but mid-line: the line ends first */
	CHECK_EQ(logfile_append(&lf, "gh\nij\n", 6), 3);
	CHECK_EQ(fsize("guest-x.log"), 10);
	CHECK_EQ(logfile_append(&lf, "ij\n", 3), 3);
	CHECK_EQ(fsize("guest-x.log"), 3);
	CHECK_EQ(fsize("guest-x.log.1"), 10);
	CHECK_EQ(fsize("guest-x.log.2"), 10);
	logfile_close(&lf);
	logfile_remove(path, 2);
	CHECK_EQ(fsize("guest-x.log"), -1);
	CHECK_EQ(fsize("guest-x.log.1"), -1);
	test_set();
	CHECK(rmdir(dir) == 0);
	return CHECK_DONE();
}
