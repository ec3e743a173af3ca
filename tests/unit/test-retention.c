/*
 * xenconsoled/retention: a gone domain's old logs go, a live domain's
 * (even by a look-alike name) and recent ones stay, a future mtime is
 * "now", and the thread reports back through its fd.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "retention.h"

static char dir[] = "/tmp/test-retention.XXXXXX";
static time_t now;

/* A file name with mtime t. */
static void
mk(const char *name, time_t t)
{
	char p[1024];
	struct timeval tv[2] = { { t, 0 }, { t, 0 } };
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK(utimes(p, tv) == 0);
}

static int
exists(const char *name)
{
	char p[1024];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return lstat(p, &st) == 0;
}

static int nremoved;

static void
count(const char *file, int err, void *arg)
{
	CHECK_EQ(err, 0);
	nremoved++;
}

int
main(void)
{
	char *alive[] = { "web" };
	struct retention *r;
	struct pollfd pfd;
	int dfd;

	if (mkdtemp(dir) == NULL)
		return 99;
	now = time(NULL);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	mk("guest-web.log", now - 100000);	/* alive: stays */
	mk("guest-web@1.log", now - 100000);	/* alive's console: stays */
	mk("guest-web-1.log", now - 100000);	/* a gone "web-1": goes */
	mk("guest-web-1.log.2", now - 100000);	/* and its rotation */
	mk("guest-old.log", now - 3600);	/* exactly the age: goes */
	mk("guest-new.log", now - 3599);	/* younger: stays */
	mk("guest-future.log", now + 86400);	/* clock set back: stays */
	mk("hypervisor.log", now - 100000);	/* not a guest's: stays */
	mk("notes.txt", now - 100000);
	CHECK_EQ(retention_scan(dfd, now, 3600 * 1000, alive, 1, count, NULL),
	    3);
	CHECK_EQ(nremoved, 3);
	CHECK(exists("guest-web.log"));
	CHECK(exists("guest-web@1.log"));
	CHECK(!exists("guest-web-1.log"));
	CHECK(!exists("guest-web-1.log.2"));
	CHECK(!exists("guest-old.log"));
	CHECK(exists("guest-new.log"));
	CHECK(exists("guest-future.log"));
	CHECK(exists("hypervisor.log"));
	CHECK(exists("notes.txt"));

	/* The thread: "web" is gone now; its results come back by the fd. */
	CHECK_EQ(retention_new(dfd, 1000, &r), 0);
	CHECK_EQ(retention_request(r, NULL, 0), 0);
	pfd.fd = retention_fd(r);
	pfd.events = POLLIN;
	nremoved = 0;
	/* all but the one from the future, at a second's retention */
	while (nremoved < 3 && poll(&pfd, 1, 10000) == 1)
		retention_collect(r, count, NULL);
	CHECK_EQ(nremoved, 3);
	CHECK(!exists("guest-web.log"));
	CHECK(!exists("guest-web@1.log"));
	CHECK(!exists("guest-new.log"));
	retention_free(r);
	close(dfd);
	{
		const char *left[] = { "guest-future.log",
			"hypervisor.log", "notes.txt", NULL };
		char p[1024];

		for (int i = 0; left[i]; i++) {
			snprintf(p, sizeof(p), "%s/%s", dir, left[i]);
			unlink(p);
		}
	}
	CHECK(rmdir(dir) == 0);
	return CHECK_DONE();
}
