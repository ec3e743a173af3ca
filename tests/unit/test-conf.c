/* Value parsers and the table-driven settings of lib/conf. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "conf.h"
#include "check.h"

struct settings {
	uint64_t rate, burst, idle;
	int verbose, mode;
	char dir[16];
};

static const char *const modes[] = { "none", "guest", "all", NULL };
static const struct conf_key keys[] = {
	{ "rate", CONF_UINT, offsetof(struct settings, rate), 1, 1000, NULL, "" },
	{ "burst", CONF_SIZE, offsetof(struct settings, burst), 1, 1 << 30, NULL, "" },
	{ "idle", CONF_MSEC, offsetof(struct settings, idle), 0, 86400000, NULL, "" },
	{ "verbose", CONF_BOOL, offsetof(struct settings, verbose), 0, 0, NULL, "" },
	{ "mode", CONF_ENUM, offsetof(struct settings, mode), 0, 0, modes, "" },
	{ "dir", CONF_STR, offsetof(struct settings, dir), 0, 16, NULL, "" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

static int
cb(const struct conf_item *it, void *arg, char *err, size_t len)
{
	if (it->key == NULL)
		return 0;
	return conf_set(keys, arg, it->key, it->value, err, len) ? -1 : 0;
}

int
main(void)
{
	uint64_t v;
	int b;
	struct settings s = { 0 };
	char err[256];
	static const char good[] =
	    "# comment\n\nrate = 10\nburst=64K\r\nidle = 2m # trailing\n"
	    "verbose = yes\nmode = guest\ndir = \"a \\\"b\\\"\"\n";
	static const char bad[] =
	    "rate = 0\nburst = 1T\nidle = -1\nnokey\nmode = x\n"
	    "dir = \"unterminated\n[sec\nrate = 5\n";

	CHECK_EQ(conf_uint("42", 0, 100, &v), 0); CHECK_EQ(v, 42);
	CHECK_EQ(conf_uint("101", 0, 100, &v), -ERANGE);
	CHECK_EQ(conf_uint("-1", 0, 100, &v), -EINVAL);
	CHECK_EQ(conf_uint("1x", 0, 100, &v), -EINVAL);
	CHECK_EQ(conf_uint("", 0, 100, &v), -EINVAL);
	CHECK_EQ(conf_uint("99999999999999999999999", 0, UINT64_MAX, &v),
	    -ERANGE);
	CHECK_EQ(conf_size("64K", 0, UINT64_MAX, &v), 0); CHECK_EQ(v, 65536);
	CHECK_EQ(conf_size("2MiB", 0, UINT64_MAX, &v), 0);
	CHECK_EQ(v, 2 << 20);
	CHECK_EQ(conf_size("1G", 0, UINT64_MAX, &v), 0); CHECK_EQ(v, 1 << 30);
	CHECK_EQ(conf_size("1Q", 0, UINT64_MAX, &v), -EINVAL);
	CHECK_EQ(conf_size("17179869184G", 0, UINT64_MAX, &v), -ERANGE);
	CHECK_EQ(conf_duration_ms("250ms", 0, UINT64_MAX, &v), 0);
	CHECK_EQ(v, 250);
	CHECK_EQ(conf_duration_ms("10", 0, UINT64_MAX, &v), 0);
	CHECK_EQ(v, 10000);
	CHECK_EQ(conf_duration_ms("7d", 0, UINT64_MAX, &v), 0);
	CHECK_EQ(v, 7ULL * 86400000);
	CHECK_EQ(conf_bool("On", &b), 0); CHECK_EQ(b, 1);
	CHECK_EQ(conf_bool("no", &b), 0); CHECK_EQ(b, 0);
	CHECK_EQ(conf_bool("maybe", &b), -EINVAL);
	CHECK_EQ(conf_enum("all", modes), 2);
	CHECK_EQ(conf_enum("All", modes), -EINVAL);

	CHECK_EQ(conf_parse_buf("good", good, sizeof(good) - 1, cb, &s, stderr),
	    0);
	CHECK_EQ(s.rate, 10);
	CHECK_EQ(s.burst, 65536);
	CHECK_EQ(s.idle, 120000);
	CHECK_EQ(s.verbose, 1);
	CHECK_EQ(s.mode, 1);
	CHECK_STR(s.dir, "a \"b\"");
	/* Every bad line is counted; the parser does not stop at the first. */
	CHECK_EQ(conf_parse_buf("bad", bad, sizeof(bad) - 1, cb, &s, NULL), 7);
	/* Unknown keys are reported by the caller; conf_set says 1. */
	CHECK_EQ(conf_set(keys, &s, "nope", "1", err, sizeof(err)), 1);
	CHECK_EQ(conf_set(keys, &s, "dir", "0123456789abcdef", err,
	    sizeof(err)), -1);
	CHECK_EQ(conf_parse_file("/nonexistent/x.conf", cb, &s, NULL), -ENOENT);
	return CHECK_DONE();
}
