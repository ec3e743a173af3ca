/* Log formatting on stderr: levels, debug gating, errno kept, log_dom. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"
#include "check.h"

int
main(void)
{
	char buf[2048];
	FILE *tmp = tmpfile();
	size_t n;
	int saved;

	CHECK(tmp != NULL);
	unsetenv("JOURNAL_STREAM");
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
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
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	CHECK_STR(buf,
	    "t: hello 1\n"
	    "t: debug: shown\n"
	    "t: warning: x\n"
	    "t: warning: open f: No such file or directory\n"
	    "t: warning: map: Permission denied\n"
	    "t: dom7(web): crashed\n"
	    "t: error: dom8: gone\n");
	return CHECK_DONE();
}
