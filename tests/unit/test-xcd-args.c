/* xenconsoled's command line, parsed as Xen's daemon parses it. */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "check.h"

static char errbuf[4096];

/*
 * Parses a NULL-terminated list as the skeleton does for xenconsoled:
 * getopt_long() over our options, each value to xcd_args_option(), the
 * rest to xcd_args_extra(). Returns 2 where the skeleton would exit with
 * its usage error. The messages land in errbuf.
 */
static int
parse(struct xcd_args *a, ...)
{
	char *argv[32] = { "xenconsoled" };
	int argc = 1, c, r = 0;
	va_list ap;
	FILE *err;

	errbuf[0] = '\0';	/* fmemopen() leaves it when nothing is written */
	err = fmemopen(errbuf, sizeof(errbuf), "w");
	va_start(ap, a);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	xcd_args_init(a);
	optind = 0;
	opterr = 0;
	while (r == 0 && (c = getopt_long(argc, argv, ":" XCD_ARGS_SHORT,
	    xcd_args_options, NULL)) != -1)
		if (xcd_args_option(a, c, optarg, err) < 0)
			r = 2;
	if (r == 0)
		xcd_args_extra(argc - optind, argv + optind, err);
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

/* Not ours: the skeleton's usage error (exit 2), with its message. */
static void
test_usage_errors(void)
{
	struct xcd_args a;

	CHECK_EQ(parse(&a, "--bogus", NULL), 2);
	CHECK_EQ(parse(&a, "-x", NULL), 2);
	CHECK_EQ(parse(&a, "--log", NULL), 2);
	CHECK_EQ(parse(&a, "--replace-escape=yes", NULL), 2);
	CHECK_STR(errbuf, "");
}

static void
test_values(void)
{
	struct xcd_args a;
	struct xcd_settings s;
	char err[128];

	CHECK_EQ(parse(&a, "-o", "keep", "--timestamp-format=xen",
	    "--replace-escape", "--no-notes", "--log-dir=/srv/log", NULL), 0);
	a.pid_file = "/run/x.pid";	/* the skeleton's --pid-file */
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
