/*
 * libFuzzer target: the config parser (lib/conf.h), conf_parse_buf() on
 * any bytes, with a settings table of every value type behind it.
 * Checked: each item the parser hands out is well formed (line in range,
 * key and section names of word characters, a name only inside a
 * section); each error is one "file:line: " line and the count returned
 * matches; a value that conf_set() accepts is within its key's bounds;
 * and the effective configuration conf_print() shows parses back, with
 * no error, into the same settings.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"

#define NAME "fuzz.conf"

struct settings {
	char str[32];
	uint64_t num, size, ms;
	int flag, pick;
};

static const char *const picks[] = { "guest", "hv", "all", NULL };

static const struct conf_key keys[] = {
	{ "str", CONF_STR, offsetof(struct settings, str), 0, 32, NULL, "" },
	{ "num", CONF_UINT, offsetof(struct settings, num), 2, 1000, NULL,
	  "" },
	{ "size", CONF_SIZE, offsetof(struct settings, size), 0,
	  UINT64_C(1) << 40, NULL, "" },
	{ "ms", CONF_MSEC, offsetof(struct settings, ms), 10,
	  UINT64_C(1) << 36, NULL, "" },
	{ "flag", CONF_BOOL, offsetof(struct settings, flag), 0, 0, NULL, "" },
	{ "pick", CONF_ENUM, offsetof(struct settings, pick), 0, 0, picks,
	  "" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

struct run {
	struct settings s;
	int lines;
};

static int
words(const char *p)
{
	if (*p == '\0')
		return 0;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
			return 0;
	return 1;
}

static int
item(const struct conf_item *it, void *arg, char *err, size_t errlen)
{
	struct run *r = arg;
	int st;

	FUZZ_CHECK(strcmp(it->file, NAME) == 0);
	FUZZ_CHECK(it->line >= 1 && it->line <= r->lines);
	FUZZ_CHECK(it->name == NULL || it->section != NULL);
	FUZZ_CHECK(it->section == NULL || words(it->section));
	FUZZ_CHECK(it->name == NULL || it->name[0] != '\0');
	if (it->key == NULL) {		/* a section header */
		FUZZ_CHECK(it->section != NULL && it->value == NULL);
		return 0;
	}
	FUZZ_CHECK(words(it->key) && it->value != NULL);
	FUZZ_CHECK(strlen(it->value) < CONF_MAX_LINE);
	if (it->section != NULL)
		return 0;
	st = conf_set(keys, &r->s, it->key, it->value, err, errlen);
	FUZZ_CHECK(st == 0 || st == 1 || (st == -1 && err[0] != '\0'));
	FUZZ_CHECK(r->s.num >= 2 && r->s.num <= 1000);
	FUZZ_CHECK(r->s.size <= UINT64_C(1) << 40);
	FUZZ_CHECK(r->s.ms >= 10 && r->s.ms <= UINT64_C(1) << 36);
	FUZZ_CHECK(r->s.flag == 0 || r->s.flag == 1);
	FUZZ_CHECK(r->s.pick >= 0 && r->s.pick <= 2);
	FUZZ_CHECK(memchr(r->s.str, '\0', sizeof(r->s.str)) != NULL);
	return st < 0 ? -1 : 0;
}

/* Parses buf into r; returns the errors, checking how they are shown. */
static int
parse(const char *buf, size_t len, struct run *r)
{
	char *msgs = NULL, *p;
	size_t msglen = 0;
	FILE *errs = open_memstream(&msgs, &msglen);
	int n, shown = 0;

	r->lines = 1;
	for (size_t i = 0; i < len; i++)
		r->lines += buf[i] == '\n';
	n = conf_parse_buf(NAME, buf, len, item, r, errs);
	fclose(errs);
	FUZZ_CHECK(n >= 0);
	for (p = msgs; p < msgs + msglen; shown++) {
		char *nl = memchr(p, '\n', msglen - (size_t)(p - msgs));
		long line;

		FUZZ_CHECK(nl != NULL);
		FUZZ_CHECK(strncmp(p, NAME ":", strlen(NAME ":")) == 0);
		line = strtol(p + strlen(NAME ":"), &p, 10);
		FUZZ_CHECK(line >= 1 && line <= r->lines);
		FUZZ_CHECK(p[0] == ':' && p[1] == ' ');
		p = nl + 1;
	}
	FUZZ_CHECK(shown == n);
	free(msgs);
	return n;
}

static void
defaults(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	s->num = 2;
	s->ms = 10;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run a, b;
	char *shown = NULL;
	size_t shownlen = 0;
	FILE *out;

	defaults(&a.s);
	parse((const char *)data, size, &a);
	out = open_memstream(&shown, &shownlen);
	conf_print(out, keys, &a.s, NULL);
	fclose(out);
	defaults(&b.s);
	FUZZ_CHECK(parse(shown, shownlen, &b) == 0);
	FUZZ_CHECK(strcmp(a.s.str, b.s.str) == 0 && a.s.num == b.s.num &&
	    a.s.size == b.s.size && a.s.ms == b.s.ms &&
	    a.s.flag == b.s.flag && a.s.pick == b.s.pick);
	free(shown);
	return 0;
}
