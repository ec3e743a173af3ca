/* xenconsoled/logfile: size-capped rotation only between lines, keep N. */
#include "config.h"

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

int
main(void)
{
	struct logfile lf;
	char path[256];

	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(path, sizeof(path), "%s/guest-x.log", dir);
	logfile_init(&lf, path, 10, 2);
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
	logfile_init(&lf, path, 10, 2);
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
	CHECK(rmdir(dir) == 0);
	return CHECK_DONE();
}
