/*
 * Log formatting on stderr: levels, debug gating, errno kept, log_dom;
 * and the journal and syslog over their sockets: fields, priorities, no
 * blocking on a socket nobody reads, and the count of what it refused.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "log.h"
#include "logsock.h"
#include "capture.h"
#include "check.h"

/* Does the datagram d (n bytes) hold field name=val, as the journal's? */
static int
has_field(const char *d, size_t n, const char *name, const char *val)
{
	struct ls_field f = { name, val, strlen(val) };
	char want[256];
	size_t w = ls_journal_encode(want, sizeof(want), &f, 1);

	return w > 0 && memmem(d, n, want, w) != NULL;
}

static int
bound_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	return fd;
}

static void
test_sockets(void)
{
	char dir[] = "/tmp/test-log.XXXXXX", jpath[64], spath[64];
	char d[4096], env[64], note[96];
	struct capture cap;
	struct stat st;
	int j, sl, got = 0, sent = 2000;
	ssize_t n;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(jpath, sizeof(jpath), "%s/journal", dir);
	snprintf(spath, sizeof(spath), "%s/log", dir);
	CHECK((j = bound_socket(jpath)) >= 0);
	CHECK((sl = bound_socket(spath)) >= 0);
	log_set_paths(jpath, spath);

	/* stderr is "journald's stream": messages go to the journal socket */
	capture_begin(&cap);
	fstat(STDERR_FILENO, &st);
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", env, 1);
	log_init("t", LOG_TO_STDERR, 0);
	log_dom(LOG_NOTICE, 7, "web", "crashed");
	n = recv(j, d, sizeof(d), 0);
	CHECK(n > 0);
	CHECK(has_field(d, (size_t)n, "MESSAGE", "dom7(web): crashed"));
	CHECK(has_field(d, (size_t)n, "PRIORITY", "5"));
	CHECK(has_field(d, (size_t)n, "SYSLOG_IDENTIFIER", "t"));
	CHECK(has_field(d, (size_t)n, "XEN_DOMID", "7"));
	CHECK(has_field(d, (size_t)n, "XEN_DOMAIN_NAME", "web"));

	/* Nobody reads: the calls return, and what did not fit is counted */
	for (int i = 0; i < sent; i++)
		log_info("fill %d", i);
	while (recv(j, d, sizeof(d), 0) > 0)
		got++;
	CHECK(got > 0 && got < sent);
	log_info("after");
	n = recv(j, d, sizeof(d), 0);
	snprintf(note, sizeof(note), "%d log messages dropped: the journal "
	    "was not reading", sent - got);
	CHECK(n > 0 && has_field(d, (size_t)n, "MESSAGE", note));
	CHECK(n > 0 && has_field(d, (size_t)n, "PRIORITY", "4"));
	n = recv(j, d, sizeof(d), 0);
	CHECK(n > 0 && has_field(d, (size_t)n, "MESSAGE", "after"));

	/* syslog: the line glibc would write, facility daemon */
	unsetenv("JOURNAL_STREAM");
	log_init("t", LOG_TO_SYSLOG, 0);
	log_warnx("w");
	n = recv(sl, d, sizeof(d) - 1, 0);
	CHECK(n > 0);
	d[n > 0 ? n : 0] = '\0';
	snprintf(note, sizeof(note), "<%d>", LOG_DAEMON | LOG_WARNING);
	CHECK(strncmp(d, note, strlen(note)) == 0);
	snprintf(note, sizeof(note), " t[%ld]: w", (long)getpid());
	CHECK(strstr(d, note) != NULL);

	/* nothing fell back to stderr */
	CHECK_EQ(capture_end(&cap, d, sizeof(d)), 0);
	close(j);
	close(sl);
	unlink(jpath);
	unlink(spath);
	rmdir(dir);
}

int
main(void)
{
	char buf[2048];
	struct capture cap;

	unsetenv("JOURNAL_STREAM");
	capture_begin(&cap);
	log_init("t", LOG_TO_STDERR, 0);
	log_info("hello %d", 1);
	log_debug("hidden");
	log_set_verbose(1);
	log_debug("shown");
	errno = EBUSY;
	log_warnx("x");
	CHECK_EQ(errno, EBUSY);
	errno = ENOENT;
	log_warn("open %s", "f");
	log_warnc(-EACCES, "map");
	log_dom(LOG_NOTICE, 7, "web", "crashed");
	log_dom(LOG_ERR, 8, NULL, "gone");
	capture_end(&cap, buf, sizeof(buf));
	CHECK_STR(buf,
	    "t: hello 1\n"
	    "t: debug: shown\n"
	    "t: warning: x\n"
	    "t: warning: open f: No such file or directory\n"
	    "t: warning: map: Permission denied\n"
	    "t: dom7(web): crashed\n"
	    "t: error: dom8: gone\n");
	test_sockets();
	return CHECK_DONE();
}
