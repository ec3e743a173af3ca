/*
 * netbackd/settings.c: max-queues from the file and the command line,
 * its errors as "file:line: message", the -n -v text, and the queues
 * offered for a number of CPUs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "conf.h"
#include "netbackd.h"
#include "settings.h"

/* Parses text as a config file: the errors, the settings in s. */
static int
parse(const char *text, struct nb_settings *s, char **errs)
{
	size_t len;
	FILE *f = open_memstream(errs, &len);
	int n;

	nb_settings_default(s);
	n = conf_parse_buf("t.conf", text, strlen(text), nb_settings_item, s,
	    f);
	fclose(f);
	return n;
}

static void
test_file(void)
{
	struct nb_settings s;
	char *errs;

	CHECK_EQ(parse("# nothing\n", &s, &errs), 0);
	CHECK_EQ(s.max_queues, 0);
	CHECK_STR(errs, "");
	free(errs);
	CHECK_EQ(parse("max-queues = 1\n", &s, &errs), 0);
	CHECK_EQ(s.max_queues, 1);
	free(errs);
	CHECK_EQ(parse("max-queues = " NB_MAX_QUEUES_S "\n", &s, &errs), 0);
	CHECK_EQ(s.max_queues, NB_MAX_QUEUES);
	free(errs);
	CHECK_EQ(parse("max-queues = 3\nmax-queues = auto\n", &s, &errs), 0);
	CHECK_EQ(s.max_queues, 0);
	free(errs);
	/* every error, each with its line; the good value still counts */
	CHECK_EQ(parse("max-queues = 0\nmax-queues = 2\n"
	    "max-queues = 5\nmax-queues = 2x\nqueues = 2\n[vif]\n", &s,
	    &errs), 5);
	CHECK_STR(errs,
	    "t.conf:1: max-queues: '0' out of range (1..4, or auto)\n"
	    "t.conf:3: max-queues: '5' out of range (1..4, or auto)\n"
	    "t.conf:4: max-queues: expected a number or auto, got '2x'\n"
	    "t.conf:5: unknown key 'queues'\n"
	    "t.conf:6: unknown section [vif]\n");
	CHECK_EQ(s.max_queues, 2);
	free(errs);
}

/* --max-queues goes through the same parser, with its own name. */
static void
test_option(void)
{
	static const char *const bad[] = { "", "0", "5", "99999999999999999999",
		"-1", " 1", "1 ", "Auto", "0x2" };
	char err[128];
	unsigned n = 7;

	CHECK_EQ(nb_settings_max_queues("--max-queues", "3", &n, err,
	    sizeof(err)), 0);
	CHECK_EQ(n, 3);
	CHECK_EQ(nb_settings_max_queues("--max-queues", "auto", &n, err,
	    sizeof(err)), 0);
	CHECK_EQ(n, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = 7;
		err[0] = '\0';
		CHECK_EQ(nb_settings_max_queues("--max-queues", bad[i], &n,
		    err, sizeof(err)), -1);
		CHECK_EQ(n, 7);
		CHECK(strncmp(err, "--max-queues: ", 14) == 0);
	}
}

static void
test_print(void)
{
	struct nb_settings s;
	char *text;
	size_t len;
	FILE *f;

	nb_settings_default(&s);
	f = open_memstream(&text, &len);
	nb_settings_print(f, &s);
	s.max_queues = 2;
	nb_settings_print(f, &s);
	fclose(f);
	CHECK_STR(text, "max-queues = auto\nmax-queues = 2\n");
	free(text);
}

/* auto: one per CPU, at least one, at most NB_MAX_QUEUES; a setting
 * holds whatever the CPUs. */
static void
test_queues(void)
{
	struct nb_settings s;

	nb_settings_default(&s);
	CHECK_EQ(nb_settings_queues(&s, -1), 1);
	CHECK_EQ(nb_settings_queues(&s, 0), 1);
	CHECK_EQ(nb_settings_queues(&s, 1), 1);
	CHECK_EQ(nb_settings_queues(&s, 3), 3);
	CHECK_EQ(nb_settings_queues(&s, 64), NB_MAX_QUEUES);
	s.max_queues = 1;
	CHECK_EQ(nb_settings_queues(&s, 64), 1);
	s.max_queues = 4;
	CHECK_EQ(nb_settings_queues(&s, 1), 4);
}

int
main(void)
{
	test_file();
	test_option();
	test_print();
	test_queues();
	return CHECK_DONE();
}
