/*
 * The skeleton up to the start: its options and the daemon's, the
 * daemon's hooks for extra arguments and for the command line over the
 * file, config errors and -n, and a reload by the rules of the start.
 * The start itself needs Xen; the lab's daemon-* cases run it.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "skel.h"
#include "check.h"

struct settings {
	uint64_t size;
	char name[32];
};

struct t {
	int interactive, extra, configured, reloaded;
	const char *opt_value;
	uint64_t size_seen;
	struct settings reload;
};

#define S(f) offsetof(struct settings, f)
static const struct conf_key keys[] = {
	{ "size", CONF_UINT, S(size), 0, 100, NULL, "a number" },
	{ "name", CONF_STR, S(name), 0, 32, NULL, "a name" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};
#undef S

/* -i as an alias of -f, -o VALUE warns on unknown values, as Xen's. */
static int
option(struct xud *x, int c, const char *arg)
{
	struct t *t = x->arg;

	switch (c) {
	case 'i': t->interactive = 1; x->foreground = 1; return 0;
	case 'o': t->opt_value = arg; return 0;
	case 'q': return 7;
	}
	return XUD_OPT_UNKNOWN;
}

static int
args(struct xud *x, int argc, char **argv)
{
	struct t *t = x->arg;

	(void)argv;
	t->extra = argc;
	return 0;
}

static int
configured(struct xud *x)
{
	struct t *t = x->arg;
	struct settings *s = x->settings;

	t->configured++;
	t->size_seen = s->size;
	memset(&t->reload, 0, sizeof(t->reload));
	t->reloaded = xud_conf_reload(x, &t->reload);
	return 0;
}

/* A check across keys: 13 is refused, at the start and at reloads. */
static int
conf_check(const char *path, void *settings, FILE *errs)
{
	const struct settings *s = settings;

	if (s->size != 13)
		return 0;
	fprintf(errs, "%s: size 13 is not allowed\n", path);
	return 1;
}

static const struct option opts[] = {
	{ "interactive", no_argument, NULL, 'i' },
	{ "overflow", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

static const struct xud_daemon daemon_a = {
	.name = "test-skel",
	.config = "/nonexistent/test-skel.conf",
	.control = "/nonexistent/test-skel/control",
	.keys = keys,
	.conf_check = conf_check,
	.optstring = "io:q",
	.options = opts,
	.option = option,
	.args = args,
	.configured = configured,
};

/* No keys, no options of its own: jitsud's shape. */
static const struct xud_daemon daemon_b = {
	.name = "test-skel-b",
	.config = "/nonexistent/test-skel-b.conf",
};

static char dir[] = "/tmp/xud-test-skel.XXXXXX";

static int
run(const struct xud_daemon *d, struct t *t, struct settings *s, ...)
{
	char *argv[16];
	va_list ap;
	int argc = 0;

	argv[argc++] = (char *)d->name;
	va_start(ap, s);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	optind = 0;	/* getopt_long starts afresh */
	memset(t, 0, sizeof(*t));
	memset(s, 0, sizeof(*s));
	return xud_main(d, t, s, argc, argv);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int
main(void)
{
	char good[64], bad[64], thirteen[64], cmd[80];
	struct settings s;
	struct t t;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(good, sizeof(good), "%s/good.conf", dir);
	snprintf(bad, sizeof(bad), "%s/bad.conf", dir);
	write_file(good, "size = 42\nname = \"x y\"\n");
	write_file(bad, "size = 420\n[section]\nnope = 1\n");
	snprintf(thirteen, sizeof(thirteen), "%s/13.conf", dir);
	write_file(thirteen, "size = 13\n");

	CHECK_EQ(run(&daemon_a, &t, &s, "-V", NULL), 0);
	CHECK_EQ(run(&daemon_a, &t, &s, "--help", NULL), 0);
	/* The daemon's options and aliases, and its extra arguments. */
	CHECK_EQ(run(&daemon_a, &t, &s, "-n", "-i", "--overflow=bogus",
	    "-c", good, "a", "b", NULL), 0);
	CHECK_EQ(t.interactive, 1);
	CHECK_STR(t.opt_value, "bogus");
	CHECK_EQ(t.extra, 2);
	CHECK_EQ(t.configured, 1);
	CHECK_EQ(t.size_seen, 42);
	CHECK_STR(s.name, "x y");
	/* The reload reads the same file by the same rules. */
	CHECK_EQ(t.reloaded, 0);
	CHECK_EQ(t.reload.size, 42);
	/* A missing default file is fine, also for the reload. */
	CHECK_EQ(run(&daemon_a, &t, &s, "-n", NULL), 0);
	CHECK_EQ(t.configured, 1);
	CHECK_EQ(t.reloaded, 0);
	/* A missing file that was named is not. */
	CHECK_EQ(run(&daemon_a, &t, &s, "-n", "-c", "/nonexistent/x.conf",
	    NULL), 1);
	CHECK_EQ(t.configured, 0);
	/* Config errors: exit 1 before the daemon's hook. */
	CHECK_EQ(run(&daemon_a, &t, &s, "-n", "-c", bad, NULL), 1);
	CHECK_EQ(t.configured, 0);
	CHECK_EQ(run(&daemon_a, &t, &s, "-n", "-c", thirteen, NULL), 1);
	CHECK_EQ(t.configured, 0);
	/* The option hook's own exit status, and its "not mine". */
	CHECK_EQ(run(&daemon_a, &t, &s, "-q", NULL), 7);
	CHECK_EQ(run(&daemon_a, &t, &s, "-z", NULL), 2);
	CHECK_EQ(run(&daemon_a, &t, &s, "--nope", NULL), 2);
	CHECK_EQ(run(&daemon_a, &t, &s, "-c", NULL), 2);
	/* --status with nothing listening. */
	CHECK_EQ(run(&daemon_a, &t, &s, "--status", "--control",
	    "/nonexistent/control", NULL), 1);

	/* Without an args hook or keys: usage errors and config errors. */
	CHECK_EQ(run(&daemon_b, &t, &s, "-n", "x", NULL), 2);
	CHECK_EQ(run(&daemon_b, &t, &s, "-i", NULL), 2);
	CHECK_EQ(run(&daemon_b, &t, &s, "--status", NULL), 2);
	CHECK_EQ(run(&daemon_b, &t, &s, "-n", "-c", good, NULL), 1);
	CHECK_EQ(run(&daemon_b, &t, &s, "-n", NULL), 0);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		CHECK(0);
	return CHECK_DONE();
}
