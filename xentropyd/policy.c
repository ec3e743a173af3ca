/* xentropyd's configuration and policy decisions, free of I/O. */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "policy.h"

static const char *const legacy_serve_names[] = { "all", "policy", NULL };

static const struct conf_key xe_keys[] = {
	{ "serve-all", CONF_BOOL, offsetof(struct xe_conf, serve_all), 0, 0,
	  NULL, "serve every guest without being asked" },
	{ "on-request", CONF_BOOL, offsetof(struct xe_conf, on_request), 0, 0,
	  NULL, "serve guests that write the request key" },
	{ "rate", CONF_SIZE, offsetof(struct xe_conf, rate), 0, 1ULL << 30,
	  NULL, "bytes per second per guest (0: no limit)" },
	{ "burst", CONF_SIZE, offsetof(struct xe_conf, burst),
	  XE_MIN_BURST, 1ULL << 30, NULL, "bucket size per guest" },
	{ "ring-size", CONF_SIZE, offsetof(struct xe_conf, ring_size),
	  16384, 1 << 20, NULL, "daemon-to-guest ring size" },
	{ "frame-timeout", CONF_MSEC, offsetof(struct xe_conf,
	  frame_timeout_ms), 10, 600000, NULL, "deadline for a partial frame" },
	{ "max-guests", CONF_UINT, offsetof(struct xe_conf, max_guests), 1,
	  32768, NULL, "channels open at once" },
	{ "legacy-mirage-channel", CONF_BOOL, offsetof(struct xe_conf, legacy),
	  0, 0, NULL, "also serve the 2015 MirageOS console protocol" },
	{ "legacy-serve", CONF_ENUM, offsetof(struct xe_conf, legacy_serve),
	  0, 0, legacy_serve_names, "which guests get a legacy console" },
	{ "legacy-discard", CONF_SIZE, offsetof(struct xe_conf,
	  legacy_discard), 0, 1ULL << 30, NULL,
	  "bytes per second a legacy guest may write after its hello" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

void
xe_conf_defaults(struct xe_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->serve_all = 0;
	c->on_request = 1;
	c->rate = 4096;
	c->burst = 65536;
	c->ring_size = 32768;
	c->frame_timeout_ms = 5000;
	c->max_guests = 256;
	c->legacy_serve = XE_LEGACY_SERVE_ALL;
	/*
	 * mirage/xentropyd discarded whatever a guest wrote after its hello.
	 * Its guests write nothing then; 4 KiB/s is two of the guest's
	 * console rings a second, far above an echo or a stray log line.
	 */
	c->legacy_discard = 4096;
}

static int
add_names(struct xe_conf *c, const char *v, char *err, size_t len)
{
	char buf[CONF_MAX_LINE], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " \t,", &save); tok;
	    tok = strtok_r(NULL, " \t,", &save)) {
		if (strlen(tok) >= XE_PATTERN_MAX) {
			snprintf(err, len, "serve-name: pattern longer than "
			    "%d bytes", XE_PATTERN_MAX - 1);
			return -1;
		}
		if (c->nnames == XE_MAX_PATTERNS) {
			snprintf(err, len, "serve-name: more than %d patterns",
			    XE_MAX_PATTERNS);
			return -1;
		}
		snprintf(c->names[c->nnames++], XE_PATTERN_MAX, "%s", tok);
	}
	return 0;
}

static int
add_domids(struct xe_conf *c, const char *v, char *err, size_t len)
{
	char buf[CONF_MAX_LINE], *tok, *save = NULL;
	uint64_t id;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " \t,", &save); tok;
	    tok = strtok_r(NULL, " \t,", &save)) {
		int r = conf_uint(tok, 1, 0x7fef, &id);

		if (r < 0) {
			snprintf(err, len, "serve-domid: '%s' is not a domid "
			    "(1..32751; dom0 is never served)", tok);
			return -1;
		}
		if (c->ndomids == XE_MAX_DOMIDS) {
			snprintf(err, len, "serve-domid: more than %d domids",
			    XE_MAX_DOMIDS);
			return -1;
		}
		c->domids[c->ndomids++] = (uint32_t)id;
	}
	return 0;
}

int
xe_conf_item(const struct conf_item *it, void *arg, char *err, size_t len)
{
	struct xe_conf *c = arg;
	int r;

	if (it->key == NULL) {
		snprintf(err, len, "unknown section [%s]", it->section);
		return -1;
	}
	if (strcmp(it->key, "serve-name") == 0)
		return add_names(c, it->value, err, len);
	if (strcmp(it->key, "serve-domid") == 0)
		return add_domids(c, it->value, err, len);
	r = conf_set(xe_keys, c, it->key, it->value, err, len);
	if (r == 1) {
		snprintf(err, len, "unknown key '%s'", it->key);
		return -1;
	}
	return r;
}

int
xe_conf_check(const char *path, void *settings, FILE *errs)
{
	const struct xe_conf *c = settings;

	if (c->burst < XE_MIN_BURST) {
		fprintf(errs, "%s: burst must be at least %d\n", path,
		    XE_MIN_BURST);
		return 1;
	}
	return 0;
}

int
xe_conf_load(struct xe_conf *c, const char *path, FILE *errs)
{
	int r;

	xe_conf_defaults(c);
	r = conf_parse_file(path, xe_conf_item, c, errs);
	if (r == 0)
		r = xe_conf_check(path, c, errs);
	return r;
}

void
xe_conf_print(FILE *out, const void *settings)
{
	const struct xe_conf *c = settings;

	conf_print(out, xe_keys, c, NULL);
	fprintf(out, "serve-name =");
	for (unsigned int i = 0; i < c->nnames; i++)
		fprintf(out, " %s", c->names[i]);
	fprintf(out, "\nserve-domid =");
	for (unsigned int i = 0; i < c->ndomids; i++)
		fprintf(out, " %" PRIu32, c->domids[i]);
	fprintf(out, "\n");
}

int
xe_conf_serves(const struct xe_conf *c, uint32_t domid, const char *name)
{
	if (domid == 0)
		return 0;
	if (c->serve_all)
		return 1;
	for (unsigned int i = 0; i < c->ndomids; i++)
		if (c->domids[i] == domid)
			return 1;
	if (name == NULL || name[0] == '\0')
		return 0;
	for (unsigned int i = 0; i < c->nnames; i++)
		if (fnmatch(c->names[i], name, 0) == 0)
			return 1;
	return 0;
}

int
xe_conf_legacy_serves(const struct xe_conf *c, int legacy_on, int served)
{
	return legacy_on && (c->legacy_serve == XE_LEGACY_SERVE_ALL || served);
}

void
xe_decide(struct rl_bucket *b, uint32_t count, uint64_t now_ns,
	  uint32_t *grant, uint32_t *retry_ms)
{
	uint64_t got = rl_take(b, count, now_ns), wait;

	*grant = (uint32_t)got;
	*retry_ms = 0;
	if (got >= count)
		return;
	wait = rl_wait_ns(b, count - got, now_ns);
	/* Round up, so that retrying at retry_ms finds the tokens there. */
	wait = (wait + 999999) / 1000000;
	*retry_ms = wait > UINT32_MAX ? UINT32_MAX : (uint32_t)(wait ? wait : 1);
}
