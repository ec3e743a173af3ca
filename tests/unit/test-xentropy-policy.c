/* xentropyd's policy: which guests are served, and how much they get. */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "log.h"
#include "skel.h"
#include "policy.h"

#define MS 1000000ULL
#define S 1000000000ULL

static void
test_serves(void)
{
	struct xe_conf c;

	xe_conf_defaults(&c);
	CHECK(!xe_conf_serves(&c, 5, "web"));
	c.serve_all = 1;
	CHECK(xe_conf_serves(&c, 5, "web"));
	CHECK(!xe_conf_serves(&c, 0, "Domain-0"));	/* never dom0 */
	c.serve_all = 0;
	snprintf(c.names[c.nnames++], XE_PATTERN_MAX, "web-*");
	c.domids[c.ndomids++] = 7;
	CHECK(xe_conf_serves(&c, 9, "web-1"));
	CHECK(!xe_conf_serves(&c, 9, "db-1"));
	CHECK(!xe_conf_serves(&c, 9, ""));
	CHECK(!xe_conf_serves(&c, 9, NULL));
	CHECK(xe_conf_serves(&c, 7, ""));
	c.domids[c.ndomids++] = 0;
	CHECK(!xe_conf_serves(&c, 0, "x"));
}

/* Legacy consoles: every domU by default, as mirage/xentropyd did. */
static void
test_legacy_serves(void)
{
	struct xe_conf c;

	xe_conf_defaults(&c);
	CHECK_EQ(c.legacy_serve, XE_LEGACY_SERVE_ALL);
	CHECK_EQ(c.legacy_discard, 4096);
	CHECK(!xe_conf_legacy_serves(&c, 0, 1));	/* legacy mode off */
	CHECK(xe_conf_legacy_serves(&c, 1, 0));
	CHECK(xe_conf_legacy_serves(&c, 1, 1));
	/* "legacy-serve = policy": only guests the policy serves. */
	c.legacy_serve = XE_LEGACY_SERVE_POLICY;
	CHECK(!xe_conf_legacy_serves(&c, 1, 0));
	CHECK(xe_conf_legacy_serves(&c, 1, 1));
	CHECK(!xe_conf_legacy_serves(&c, 0, 1));
}

static void
test_decide(void)
{
	struct rl_bucket b;
	uint32_t grant, retry;
	uint64_t t = 100 * S;

	/* 64 KiB burst at 4 KiB/s: the boot-time seed passes at once. */
	rl_init(&b, 4096, 65536, t);
	for (int i = 0; i < 16; i++) {
		xe_decide(&b, 4096, t, &grant, &retry);
		CHECK_EQ(grant, 4096);
		CHECK_EQ(retry, 0);
	}
	/* Empty: nothing granted, retry when all 4096 bytes are back. */
	xe_decide(&b, 4096, t, &grant, &retry);
	CHECK_EQ(grant, 0);
	CHECK_EQ(retry, 1000);
	/* Half a second later half is there: a partial grant. */
	xe_decide(&b, 4096, t + 500 * MS, &grant, &retry);
	CHECK_EQ(grant, 2048);
	CHECK_EQ(retry, 500);
	/* Retrying when told finds the rest. */
	xe_decide(&b, 2048, t + 1000 * MS, &grant, &retry);
	CHECK_EQ(grant, 2048);
	CHECK_EQ(retry, 0);
	/* A tiny wait rounds up to 1 ms, never 0 when throttled. */
	xe_decide(&b, 1, t + 1000 * MS, &grant, &retry);
	CHECK_EQ(grant, 0);
	CHECK_EQ(retry, 1);

	/* rate 0: no limit. */
	rl_init(&b, 0, 65536, t);
	for (int i = 0; i < 100; i++)
		xe_decide(&b, 8192, t, &grant, &retry);
	CHECK_EQ(grant, 8192);
	CHECK_EQ(retry, 0);
}

static void
test_independent_buckets(void)
{
	struct rl_bucket a, b;
	uint32_t grant, retry;
	uint64_t t = 5 * S;

	rl_init(&a, 1024, 8192, t);
	rl_init(&b, 1024, 8192, t);
	xe_decide(&a, 8192, t, &grant, &retry);
	xe_decide(&a, 8192, t, &grant, &retry);
	CHECK_EQ(grant, 0);
	/* One guest's empty bucket does not touch another's. */
	xe_decide(&b, 8192, t, &grant, &retry);
	CHECK_EQ(grant, 8192);
}

static void
test_load(void)
{
	struct xe_conf c;
	char path[] = "/tmp/test-xentropy-policy.XXXXXX";
	FILE *f, *errs = tmpfile();
	int fd = mkstemp(path), r;

	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("serve-name = web-* db-?\nserve-name = mirage\n"
	    "serve-domid = 3, 4\nrate = 1K\nburst = 128K\n"
	    "frame-timeout = 500ms\nlegacy-serve = policy\n"
	    "legacy-discard = 0\n", f);
	fclose(f);
	r = xe_conf_load(&c, path, errs);
	CHECK_EQ(r, 0);
	CHECK_EQ(c.nnames, 3);
	CHECK_STR(c.names[2], "mirage");
	CHECK_EQ(c.ndomids, 2);
	CHECK_EQ(c.domids[1], 4);
	CHECK_EQ(c.rate, 1024);
	CHECK_EQ(c.burst, 131072);
	CHECK_EQ(c.frame_timeout_ms, 500);
	CHECK_EQ(c.on_request, 1);
	CHECK_EQ(c.legacy_serve, XE_LEGACY_SERVE_POLICY);
	CHECK_EQ(c.legacy_discard, 0);
	f = fopen(path, "w");
	fputs("serve-domid = 0\nrate = fast\nnope = 1\n"
	    "legacy-serve = some\n[guest x]\n", f);
	fclose(f);
	CHECK_EQ(xe_conf_load(&c, path, errs), 5);
	CHECK_EQ(xe_conf_load(&c, "/nonexistent/xentropyd.conf", errs),
	    -ENOENT);
	unlink(path);
	fclose(errs);
}

/*
 * The daemon reads its config through the skeleton by one rule, at the
 * start and on SIGHUP: a missing file is the defaults unless named with
 * -c; a file with errors is refused. This drives the reload with
 * xentropyd's own hooks.
 */
static int
reload(const char *path, int given, struct xe_conf *c)
{
	static const struct xud_daemon d = {
		.name = "xentropyd", .conf_item = xe_conf_item,
		.conf_check = xe_conf_check,
	};
	struct xud x = { .d = &d, .config = path, .config_given = given };

	xe_conf_defaults(c);
	return xud_conf_reload(&x, c);
}

static void
test_reload_rule(void)
{
	char path[] = "/tmp/test-xentropy-read.XXXXXX";
	const char *gone = "/nonexistent/xentropyd.conf";
	struct xe_conf c;
	int fd = mkstemp(path);
	FILE *f;

	CHECK(fd >= 0);
	log_init("test-xentropy-policy", LOG_TO_STDERR, 0);
	/* The default path, missing: the built-in defaults. */
	CHECK_EQ(reload(gone, 0, &c), 0);
	CHECK_EQ(c.rate, 4096);
	/* A file named with -c must exist. */
	CHECK_EQ(reload(gone, 1, &c), -1);
	/* Errors, and the check across keys, refuse the file. */
	f = fdopen(fd, "w");
	fputs("rate = 1K\nrate = fast\n", f);
	fclose(f);
	CHECK_EQ(reload(path, 0, &c), -1);
	f = fopen(path, "w");
	fputs("rate = 1K\n", f);
	fclose(f);
	CHECK_EQ(reload(path, 1, &c), 0);
	CHECK_EQ(c.rate, 1024);
	c.burst = 1024;
	CHECK_EQ(xe_conf_check(path, &c, stderr), 1);
	unlink(path);
}

int
main(void)
{
	test_serves();
	test_legacy_serves();
	test_decide();
	test_independent_buckets();
	test_load();
	test_reload_rule();
	return CHECK_DONE();
}
