/* The unikernel's command-line lookup, built for the host. */
#include "config.h"

#include <errno.h>

#include "check.h"
#include "unikernel/rt/cmdline.h"

int
main(void)
{
	char buf[16];

	CHECK(cmdline_has("crash", "crash"));
	CHECK(cmdline_has("  a crash b ", "crash"));
	CHECK(!cmdline_has("crashed", "crash"));
	CHECK(!cmdline_has("nocrash", "crash"));
	CHECK(!cmdline_has("crash=1", "crash"));
	CHECK(!cmdline_has("", "crash"));

	CHECK_EQ(cmdline_get("a ip=10.0.0.2 b", "ip", buf, sizeof(buf)), 8);
	CHECK_STR(buf, "10.0.0.2");
	CHECK_EQ(cmdline_get("ip=", "ip", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
	CHECK_EQ(cmdline_get("ipx=1 ip", "ip", buf, sizeof(buf)), -ENOENT);
	CHECK_EQ(cmdline_get("ip=0123456789abcdef", "ip", buf, sizeof(buf)),
		 -ERANGE);
	CHECK_EQ(cmdline_get("ip=0123456789abcde", "ip", buf, sizeof(buf)), 15);
	/* the first one counts */
	CHECK_EQ(cmdline_get("ip=1 ip=2", "ip", buf, sizeof(buf)), 1);
	CHECK_STR(buf, "1");
	return CHECK_DONE();
}
