/* xenconsoled/logname: log file names one-to-one with (domain, console). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "check.h"
#include "logname.h"

/* make, then parse back to the same domain and console. */
static void
round_trip(const char *dom, const char *cname, const char *want)
{
	char file[LOGNAME_MAX + 1], d[LOGNAME_MAX + 1], c[LOGNAME_MAX + 1];
	unsigned long rot = 9;

	CHECK_EQ(logname_make(file, sizeof(file), dom, cname), strlen(want));
	CHECK_STR(file, want);
	CHECK_EQ(logname_parse(file, d, sizeof(d), c, sizeof(c), &rot), 0);
	CHECK_STR(d, dom);
	CHECK_STR(c, cname ? cname : "");
	CHECK_EQ(rot, 0);
}

static void
test_make(void)
{
	char file[LOGNAME_MAX + 1], big[400];

	/* primary consoles keep Xen's names */
	round_trip("web", NULL, "guest-web.log");
	round_trip("web-1", "", "guest-web-1.log");
	round_trip("a.log", NULL, "guest-a.log.log");
	round_trip("", NULL, "guest-.log");
	/* the collision: "web" console 1 is not "web-1" */
	round_trip("web", "1", "guest-web@1.log");
	round_trip("web@1", NULL, "guest-web%401.log");
	round_trip("a/b%c", "x/y@z", "guest-a%2Fb%25c@x%2Fy%40z.log");
	round_trip("tab\tnl\n\x7f", NULL, "guest-tab%09nl%0A%7F.log");
	round_trip("ünï cødé", "serial 0", "guest-ünï cødé@serial 0.log");
	/* too long for a file name, or for out */
	memset(big, 'n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ(logname_make(file, sizeof(file), big, NULL), -ENAMETOOLONG);
	big[255 - 10] = '\0';
	CHECK_EQ(logname_make(file, sizeof(file), big, NULL), 255);
	CHECK_EQ(logname_make(file, sizeof(file), big, "1"), -ENAMETOOLONG);
	CHECK_EQ(logname_make(file, 12, "abc", NULL), -ENAMETOOLONG);
	CHECK_EQ(logname_make(file, 14, "abc", NULL), 13);
}

static void
test_parse(void)
{
	char d[64], c[64];
	unsigned long rot;

	/* rotated copies */
	CHECK_EQ(logname_parse("guest-web.log.3", d, sizeof(d), c, sizeof(c),
	    &rot), 0);
	CHECK_STR(d, "web");
	CHECK_EQ(rot, 3);
	CHECK_EQ(logname_parse("guest-web@1.log.12", d, sizeof(d), c,
	    sizeof(c), &rot), 0);
	CHECK_STR(d, "web");
	CHECK_STR(c, "1");
	CHECK_EQ(rot, 12);
	/* "a.log" rotated, not "a.log.1" live */
	CHECK_EQ(logname_parse("guest-a.log.log.1", d, sizeof(d), c, sizeof(c),
	    &rot), 0);
	CHECK_STR(d, "a.log");
	CHECK_EQ(rot, 1);
	/* names that logname_make never writes are not ours */
	static const char *const bad[] = {
		"hypervisor.log", "guest-web.txt", "guest-web", "guest-web.log.0",
		"guest-web.log.01", "guest-web.log.x", "guest-web.log.",
		"guest-web.log.1.gz", "guest-a%2fb.log", "guest-a%2.log",
		"guest-a%.log", "guest-a%41.log", "guest-a%00.log",
		"guest-web@.log", "guest-a@b@c.log", "guest-.log.1x", "guest-",
		"guest-.lo", "guest-web%40.log.18446744073709551616", NULL,
	};
	for (int i = 0; bad[i]; i++) {
		int r = logname_parse(bad[i], d, sizeof(d), c, sizeof(c), &rot);

		if (r != -EINVAL)
			fprintf(stderr, "accepted: %s\n", bad[i]);
		CHECK_EQ(r, -EINVAL);
	}
	CHECK_EQ(logname_parse("guest-abcdef.log", d, 4, c, sizeof(c), &rot),
	    -ENAMETOOLONG);
}

int
main(void)
{
	test_make();
	test_parse();
	return CHECK_DONE();
}
