/*
 * Value parsers and the table-driven settings of lib/conf; and reading a
 * file: what is not a regular file, and fstat or read failing (through
 * this test's own fstat and read, which conf.c binds to first).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "conf.h"
#include "check.h"

struct settings {
	uint64_t rate, burst, idle;
	int verbose, mode;
	char dir[16];
};

static const char *const modes[] = { "none", "guest", "all", NULL };
static const struct conf_key keys[] = {
	{ "rate", CONF_UINT, offsetof(struct settings, rate), 1, 1000, NULL, "" },
	{ "burst", CONF_SIZE, offsetof(struct settings, burst), 1, 1 << 30, NULL, "" },
	{ "idle", CONF_MSEC, offsetof(struct settings, idle), 0, 86400000, NULL, "" },
	{ "verbose", CONF_BOOL, offsetof(struct settings, verbose), 0, 0, NULL, "" },
	{ "mode", CONF_ENUM, offsetof(struct settings, mode), 0, 0, modes, "" },
	{ "dir", CONF_STR, offsetof(struct settings, dir), 0, 16, NULL, "" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

/* Set to an errno: the next fstat or read fails with it. */
static int fail_fstat, fail_read;

int
fstat(int fd, struct stat *sb)
{
	if (fail_fstat) {
		memset(sb, 0, sizeof(*sb));	/* undefined: not a file */
		errno = fail_fstat;
		fail_fstat = 0;
		return -1;
	}
	return fstatat(fd, "", sb, AT_EMPTY_PATH);
}

ssize_t
read(int fd, void *buf, size_t len)
{
	if (fail_read) {
		errno = fail_read;
		fail_read = 0;
		return -1;
	}
	return syscall(SYS_read, fd, buf, len);
}

static int
cb(const struct conf_item *it, void *arg, char *err, size_t len)
{
	if (it->key == NULL)
		return 0;
	return conf_set(keys, arg, it->key, it->value, err, len) ? -1 : 0;
}

static void
test_file(void)
{
	char dir[] = "/tmp/test-conf.XXXXXX", path[64], fifo[64];
	struct settings s = { 0 };
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/x.conf", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	CHECK((f = fopen(path, "w")) != NULL);
	fputs("rate = 7\n", f);
	fclose(f);
	CHECK_EQ(conf_parse_file(path, cb, &s, NULL), 0);
	CHECK_EQ(s.rate, 7);
	/* fstat failing: its error, not a guess from a stat never filled */
	fail_fstat = EIO;
	CHECK_EQ(conf_parse_file(path, cb, &s, NULL), -EIO);
	/* read failing: an error, not half a config */
	fail_read = EIO;
	s.rate = 0;
	CHECK_EQ(conf_parse_file(path, cb, &s, NULL), -EIO);
	CHECK_EQ(s.rate, 0);
	/* not a regular file; a stale errno does not leak into the result */
	errno = EBUSY;
	CHECK_EQ(conf_parse_file(dir, cb, &s, NULL), -EISDIR);
	/* a FIFO nobody writes is refused at once, not waited on */
	CHECK_EQ(mkfifo(fifo, 0600), 0);
	CHECK_EQ(conf_parse_file(fifo, cb, &s, NULL), -EINVAL);
	unlink(fifo);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	uint64_t v;
	int b;
	struct settings s = { 0 };
	char err[256];
	static const char good[] =
	    "# comment\n\nrate = 10\nburst=64K\r\nidle = 2m # trailing\n"
	    "verbose = yes\nmode = guest\ndir = \"a \\\"b\\\"\"\n";
	static const char bad[] =
	    "rate = 0\nburst = 1T\nidle = -1\nnokey\nmode = x\n"
	    "dir = \"unterminated\n[sec\nrate = 5\n";

	CHECK_EQ(conf_uint("42", 0, 100, &v), 0); CHECK_EQ(v, 42);
	CHECK_EQ(conf_uint("101", 0, 100, &v), -ERANGE);
	CHECK_EQ(conf_uint("-1", 0, 100, &v), -EINVAL);
	CHECK_EQ(conf_uint("1x", 0, 100, &v), -EINVAL);
	CHECK_EQ(conf_uint("", 0, 100, &v), -EINVAL);
	CHECK_EQ(conf_uint("99999999999999999999999", 0, UINT64_MAX, &v),
	    -ERANGE);
	CHECK_EQ(conf_size("64K", 0, UINT64_MAX, &v), 0); CHECK_EQ(v, 65536);
	CHECK_EQ(conf_size("2MiB", 0, UINT64_MAX, &v), 0);
	CHECK_EQ(v, 2 << 20);
	CHECK_EQ(conf_size("1G", 0, UINT64_MAX, &v), 0); CHECK_EQ(v, 1 << 30);
	CHECK_EQ(conf_size("1Q", 0, UINT64_MAX, &v), -EINVAL);
	CHECK_EQ(conf_size("17179869184G", 0, UINT64_MAX, &v), -ERANGE);
	CHECK_EQ(conf_duration_ms("250ms", 0, UINT64_MAX, &v), 0);
	CHECK_EQ(v, 250);
	CHECK_EQ(conf_duration_ms("10", 0, UINT64_MAX, &v), 0);
	CHECK_EQ(v, 10000);
	CHECK_EQ(conf_duration_ms("7d", 0, UINT64_MAX, &v), 0);
	CHECK_EQ(v, 7ULL * 86400000);
	CHECK_EQ(conf_bool("On", &b), 0); CHECK_EQ(b, 1);
	CHECK_EQ(conf_bool("no", &b), 0); CHECK_EQ(b, 0);
	CHECK_EQ(conf_bool("maybe", &b), -EINVAL);
	CHECK_EQ(conf_enum("all", modes), 2);
	CHECK_EQ(conf_enum("All", modes), -EINVAL);

	CHECK_EQ(conf_parse_buf("good", good, sizeof(good) - 1, cb, &s, stderr),
	    0);
	CHECK_EQ(s.rate, 10);
	CHECK_EQ(s.burst, 65536);
	CHECK_EQ(s.idle, 120000);
	CHECK_EQ(s.verbose, 1);
	CHECK_EQ(s.mode, 1);
	CHECK_STR(s.dir, "a \"b\"");
	/* Every bad line is counted; the parser does not stop at the first. */
	CHECK_EQ(conf_parse_buf("bad", bad, sizeof(bad) - 1, cb, &s, NULL), 7);
	/* Unknown keys are reported by the caller; conf_set says 1. */
	CHECK_EQ(conf_set(keys, &s, "nope", "1", err, sizeof(err)), 1);
	CHECK_EQ(conf_set(keys, &s, "dir", "0123456789abcdef", err,
	    sizeof(err)), -1);
	CHECK_EQ(conf_parse_file("/nonexistent/x.conf", cb, &s, NULL), -ENOENT);
	test_file();
	return CHECK_DONE();
}
