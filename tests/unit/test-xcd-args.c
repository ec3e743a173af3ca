/* xenconsoled's command line, parsed as Xen's daemon parses it. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "check.h"

static char errbuf[4096];

/* Parses a NULL-terminated list; the messages land in errbuf. */
static int
parse(struct xcd_args *a, ...)
{
	char *argv[32] = { "xenconsoled" };
	int argc = 1, r;
	va_list ap;
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");

	va_start(ap, a);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	memset(a, 0, sizeof(*a));
	a->conf = "default.conf";
	r = xcd_args_parse(a, argc, argv, err);
	fclose(err);
	return r;
}

static void
test_which_adds_up(void)
{
	struct xcd_args a;

	CHECK_EQ(parse(&a, NULL), 0);
	CHECK_EQ(a.log, -1);		/* not given: the file decides */
	CHECK_EQ(a.timestamp, -1);
	CHECK_EQ(parse(&a, "--log=guest", "--log=hv", NULL), 0);
	CHECK_EQ(a.log, XCD_ALL);
	CHECK_EQ(parse(&a, "--log=hv", NULL), 0);
	CHECK_EQ(a.log, XCD_HV);
	CHECK_EQ(parse(&a, "--log=all", "--log=none", "--log=guest", NULL), 0);
	CHECK_EQ(a.log, XCD_GUEST);
	CHECK_EQ(parse(&a, "-t", "guest", "--timestamp=hv", NULL), 0);
	CHECK_EQ(a.timestamp, XCD_ALL);
	CHECK_EQ(parse(&a, "--timestamp=all", "-tnone", NULL), 0);
	CHECK_EQ(a.timestamp, XCD_NONE);
	CHECK_STR(errbuf, "");
}

/* An empty XENCONSOLED_TRACE gives --log= : none. */
static void
test_empty_is_none(void)
{
	struct xcd_args a;

	CHECK_EQ(parse(&a, "--log=all", "--log=", NULL), 0);
	CHECK_EQ(a.log, XCD_NONE);
	CHECK_EQ(parse(&a, "--timestamp=", NULL), 0);
	CHECK_EQ(a.timestamp, XCD_NONE);
	CHECK_STR(errbuf, "");
}

static void
test_unknown_values_warn(void)
{
	struct xcd_args a;

	CHECK_EQ(parse(&a, "--log=guest", "--log=everything", NULL), 0);
	CHECK_EQ(a.log, XCD_GUEST);
	CHECK_STR(errbuf, "xenconsoled: warning: --log: unknown value "
	    "'everything', ignored\n");
	CHECK_EQ(parse(&a, "-o", "maybe", "--timestamp-format=utc", NULL), 0);
	CHECK_EQ(a.overflow_keep, -1);
	CHECK_EQ(a.timestamp_format, -1);
	CHECK(strstr(errbuf, "--overflow-data: unknown value 'maybe'"));
	CHECK(strstr(errbuf, "--timestamp-format: unknown value 'utc'"));
	CHECK_EQ(parse(&a, "-i", "extra", "more", NULL), 0);
	CHECK_EQ(a.fg, 1);
	CHECK_STR(errbuf, "xenconsoled: warning: ignoring argument 'extra'\n"
	    "xenconsoled: warning: ignoring argument 'more'\n");
}

static void
test_usage_errors(void)
{
	struct xcd_args a;

	CHECK_EQ(parse(&a, "--bogus", NULL), 2);
	CHECK_STR(errbuf, "xenconsoled: unknown option '--bogus'\n");
	CHECK_EQ(parse(&a, "-x", NULL), 2);
	CHECK_STR(errbuf, "xenconsoled: unknown option '-x'\n");
	CHECK_EQ(parse(&a, "--log", NULL), 2);
	CHECK_STR(errbuf, "xenconsoled: --log: missing argument\n");
	CHECK_EQ(parse(&a, "-c", NULL), 2);
}

static void
test_values(void)
{
	struct xcd_args a;
	struct xcd_settings s;
	char err[128];

	CHECK_EQ(parse(&a, "-o", "keep", "--timestamp-format=xen",
	    "--replace-escape", "--no-notes", "--log-dir=/srv/log",
	    "--pid-file", "/run/x.pid", "-c", "my.conf", "-nvv", NULL), 0);
	CHECK_STR(a.conf, "my.conf");
	CHECK(a.conf_given && a.check && a.verbose == 2);
	memset(&s, 0, sizeof(s));
	s.notes = 1;
	s.log = XCD_GUEST;
	CHECK_EQ(xcd_args_apply(&a, &s, err, sizeof(err)), 0);
	CHECK_EQ(s.overflow_keep, 1);
	CHECK_EQ(s.timestamp_format, 1);
	CHECK_EQ(s.replace_escape, 1);
	CHECK_EQ(s.notes, 0);
	CHECK_EQ(s.log, XCD_GUEST);	/* not given: the file's stays */
	CHECK_STR(s.log_dir, "/srv/log");
	CHECK_STR(s.pid_file, "/run/x.pid");
}

static void
test_long_path(void)
{
	struct xcd_args a;
	struct xcd_settings s;
	char err[128], dir[XCD_PATH_MAX + 20];

	memset(dir, 'd', sizeof(dir) - 1);
	dir[0] = '/';
	dir[sizeof(dir) - 1] = '\0';
	CHECK_EQ(parse(&a, "--log-dir", dir, NULL), 0);
	memset(&s, 0, sizeof(s));
	CHECK_EQ(xcd_args_apply(&a, &s, err, sizeof(err)), -1);
	CHECK(strstr(err, "--log-dir: longer than"));
}

int
main(void)
{
	test_which_adds_up();
	test_empty_is_none();
	test_unknown_values_warn();
	test_usage_errors();
	test_values();
	test_long_path();
	return CHECK_DONE();
}
