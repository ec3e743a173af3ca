/* The shared config parser: lines, sections, and typed values. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

/* A config file larger than this is a mistake, not a config. */
#define CONF_MAX_FILE (4 * 1024 * 1024)

struct conf_state {
	const char *file;
	int line;
	int errors;
	FILE *errs;
	char section[128];
	char name[256];
	int in_section;
};

static void conf_error(struct conf_state *st, const char *fmt, ...)
	XUD_PRINTF(2, 3);

static void
conf_error(struct conf_state *st, const char *fmt, ...)
{
	va_list ap;

	st->errors++;
	if (st->errs == NULL)
		return;
	fprintf(st->errs, "%s:%d: ", st->file, st->line);
	va_start(ap, fmt);
	vfprintf(st->errs, fmt, ap);
	va_end(ap);
	fputc('\n', st->errs);
}

static int
is_word_char(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.';
}

static char *
skip_space(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * Parses a value in place: either "quoted" with \-escapes, or bare up to
 * a comment or end of line, trailing blanks trimmed. NULL on error.
 */
static char *
parse_value(struct conf_state *st, char *p)
{
	char *start = p, *out;

	if (*p == '"') {
		out = start;
		for (p++; *p != '"'; p++) {
			if (*p == '\0') {
				conf_error(st, "unterminated quoted string");
				return NULL;
			}
			if (*p == '\\') {
				p++;
				if (*p != '"' && *p != '\\') {
					conf_error(st, "bad escape \\%c in "
					    "quoted string", *p ? *p : '0');
					return NULL;
				}
			}
			*out++ = *p;
		}
		p = skip_space(p + 1);
		if (*p != '\0' && *p != '#') {
			conf_error(st, "unexpected text after quoted string");
			return NULL;
		}
		*out = '\0';
		return start;
	}
	for (out = p; *p != '\0' && *p != '#'; p++)
		if (*p == '"') {
			conf_error(st, "stray quote in value");
			return NULL;
		}
	while (p > out && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	*p = '\0';
	return start;
}

static void
conf_section(struct conf_state *st, char *p, conf_cb *cb, void *arg)
{
	char *sec, *name = NULL, *end, err[256] = "";
	struct conf_item it;

	p = skip_space(p + 1);
	end = strchr(p, ']');
	if (end == NULL) {
		conf_error(st, "missing ] in section header");
		return;
	}
	*end = '\0';
	if (*skip_space(end + 1) != '\0' && *skip_space(end + 1) != '#') {
		conf_error(st, "unexpected text after section header");
		return;
	}
	sec = p;
	while (is_word_char(*p))
		p++;
	if (p == sec) {
		conf_error(st, "empty section name");
		return;
	}
	if (*p != '\0') {
		if (*p != ' ' && *p != '\t') {
			conf_error(st, "bad character '%c' in section name", *p);
			return;
		}
		*p++ = '\0';
		p = skip_space(p);
		if (*p != '\0') {
			name = parse_value(st, p);
			if (name == NULL)
				return;
			if (*name == '\0') {
				conf_error(st, "empty name in section header");
				return;
			}
		}
	}
	if (strlen(sec) >= sizeof(st->section) ||
	    (name && strlen(name) >= sizeof(st->name))) {
		conf_error(st, "section header too long");
		return;
	}
	snprintf(st->section, sizeof(st->section), "%s", sec);
	snprintf(st->name, sizeof(st->name), "%s", name ? name : "");
	st->in_section = 1;
	it = (struct conf_item){ st->file, st->line, st->section,
	    name ? st->name : NULL, NULL, NULL };
	if (cb(&it, arg, err, sizeof(err)) < 0) {
		conf_error(st, "%s", err[0] ? err : "invalid section");
		/* Keys under a rejected section are not reported again. */
		st->in_section = -1;
	}
}

static void
conf_line(struct conf_state *st, char *line, conf_cb *cb, void *arg)
{
	char *p = skip_space(line), *key, *value, err[256] = "";
	struct conf_item it;

	if (*p == '\0' || *p == '#')
		return;
	if (*p == '[') {
		conf_section(st, p, cb, arg);
		return;
	}
	key = p;
	while (is_word_char(*p))
		p++;
	if (p == key) {
		conf_error(st, "expected a key, found '%c'", *p);
		return;
	}
	if (*p != '\0' && *p != ' ' && *p != '\t' && *p != '=') {
		conf_error(st, "bad character '%c' in key", *p);
		return;
	}
	value = skip_space(p);
	if (*value != '=') {
		*p = '\0';
		conf_error(st, "expected '=' after %s", key);
		return;
	}
	*p = '\0';
	value = parse_value(st, skip_space(value + 1));
	if (value == NULL)
		return;
	if (st->in_section < 0)
		return;
	it = (struct conf_item){ st->file, st->line,
	    st->in_section ? st->section : NULL,
	    st->in_section && st->name[0] ? st->name : NULL, key, value };
	if (cb(&it, arg, err, sizeof(err)) < 0)
		conf_error(st, "%s", err[0] ? err : "invalid setting");
}

int
conf_parse_buf(const char *name, const char *buf, size_t len, conf_cb *cb,
	       void *arg, FILE *errs)
{
	struct conf_state st = { .file = name, .errs = errs };
	char line[CONF_MAX_LINE];
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;

		st.line++;
		if (memchr(buf + i, '\0', n)) {
			conf_error(&st, "NUL byte in line");
		} else if (n >= sizeof(line)) {
			conf_error(&st, "line longer than %d bytes",
			    CONF_MAX_LINE - 1);
		} else {
			memcpy(line, buf + i, n);
			if (n > 0 && line[n - 1] == '\r')
				n--;
			line[n] = '\0';
			conf_line(&st, line, cb, arg);
		}
		i = nl ? (size_t)(nl - buf) + 1 : len;
	}
	return st.errors;
}

int
conf_parse_file(const char *path, conf_cb *cb, void *arg, FILE *errs)
{
	struct stat sb;
	char *buf = NULL;
	ssize_t r;
	size_t got = 0;
	int fd, err = 0;

	/* O_NONBLOCK: a FIFO given as the file is refused, not waited on */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) < 0)
		err = -errno;		/* sb says nothing then */
	else if (S_ISDIR(sb.st_mode))
		err = -EISDIR;
	else if (!S_ISREG(sb.st_mode))
		err = -EINVAL;
	else if (sb.st_size > CONF_MAX_FILE)
		err = -EFBIG;
	else if ((buf = malloc((size_t)sb.st_size + 1)) == NULL)
		err = -ENOMEM;
	while (err == 0 && got < (size_t)sb.st_size) {
		r = read(fd, buf + got, (size_t)sb.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			err = -errno;	/* half a file is not a config */
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (err == 0)
		err = conf_parse_buf(path, buf, got, cb, arg, errs);
	free(buf);
	return err;
}

int
conf_load(const char *prog, const char *path, int given, conf_cb *cb,
	  void *arg, FILE *errs)
{
	int r = conf_parse_file(path, cb, arg, errs);

	if (r == -ENOENT && !given)
		return 0;
	if (r < 0) {
		fprintf(errs, "%s: %s: %s\n", prog, path, strerror(-r));
		return -1;
	}
	return r > 0 ? -1 : 0;
}

int
conf_uint(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (!isdigit((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || x < min || x > max)
		return -ERANGE;
	*out = x;
	return 0;
}

/* Parses a number with a unit suffix from units[], multiplying. */
static int
conf_scaled(const char *v, const char *const *units, const uint64_t *mult,
	    uint64_t min, uint64_t max, uint64_t *out)
{
	char num[32];
	size_t n = 0;
	uint64_t x;
	int r;

	while (isdigit((unsigned char)v[n]))
		n++;
	if (n == 0 || n >= sizeof(num))
		return n == 0 ? -EINVAL : -ERANGE;
	memcpy(num, v, n);
	num[n] = '\0';
	if ((r = conf_uint(num, 0, UINT64_MAX, &x)) < 0)
		return r;
	for (int i = 0; units[i]; i++) {
		if (strcasecmp(v + n, units[i]) != 0)
			continue;
		if (mult[i] && x > UINT64_MAX / mult[i])
			return -ERANGE;
		x *= mult[i];
		if (x < min || x > max)
			return -ERANGE;
		*out = x;
		return 0;
	}
	return -EINVAL;
}

int
conf_size(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	static const char *const u[] = { "", "K", "KiB", "M", "MiB", "G",
	    "GiB", NULL };
	static const uint64_t m[] = { 1, 1ULL << 10, 1ULL << 10, 1ULL << 20,
	    1ULL << 20, 1ULL << 30, 1ULL << 30 };

	return conf_scaled(v, u, m, min, max, out);
}

int
conf_duration_ms(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	static const char *const u[] = { "", "ms", "s", "m", "min", "h", "d",
	    NULL };
	static const uint64_t m[] = { 1000, 1, 1000, 60000, 60000, 3600000,
	    86400000 };

	return conf_scaled(v, u, m, min, max, out);
}

int
conf_bool(const char *v, int *out)
{
	static const char *const t[] = { "yes", "true", "on", "1", NULL };
	static const char *const f[] = { "no", "false", "off", "0", NULL };

	for (int i = 0; t[i]; i++) {
		if (strcasecmp(v, t[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, f[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -EINVAL;
}

int
conf_enum(const char *v, const char *const *choices)
{
	for (int i = 0; choices[i]; i++)
		if (strcmp(v, choices[i]) == 0)
			return i;
	return -EINVAL;
}

static void
choices_str(const char *const *c, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; c[i] && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? ", " : "", c[i]);
}

int
conf_set(const struct conf_key *keys, void *base, const char *key,
	 const char *value, char *err, size_t errlen)
{
	const struct conf_key *k;
	char *field;
	int r = 0, b;

	for (k = keys; k->name; k++)
		if (strcmp(k->name, key) == 0)
			break;
	if (k->name == NULL)
		return 1;
	field = (char *)base + k->off;
	switch (k->type) {
	case CONF_STR:
		if (strlen(value) >= k->max) {
			snprintf(err, errlen, "%s: value longer than %" PRIu64
			    " bytes", key, k->max - 1);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case CONF_UINT:
		r = conf_uint(value, k->min, k->max, (uint64_t *)field);
		break;
	case CONF_SIZE:
		r = conf_size(value, k->min, k->max, (uint64_t *)field);
		break;
	case CONF_MSEC:
		r = conf_duration_ms(value, k->min, k->max, (uint64_t *)field);
		break;
	case CONF_BOOL:
		if (conf_bool(value, &b) < 0) {
			snprintf(err, errlen, "%s: expected yes or no, got "
			    "'%s'", key, value);
			return -1;
		}
		*(int *)field = b;
		return 0;
	case CONF_ENUM:
		b = conf_enum(value, k->choices);
		if (b < 0) {
			char c[256];

			choices_str(k->choices, c, sizeof(c));
			snprintf(err, errlen, "%s: '%s' is not one of: %s",
			    key, value, c);
			return -1;
		}
		*(int *)field = b;
		return 0;
	}
	if (r == -ERANGE) {
		snprintf(err, errlen, "%s: '%s' out of range (%" PRIu64 "..%"
		    PRIu64 "%s)", key, value, k->min, k->max,
		    k->type == CONF_MSEC ? " ms" : "");
		return -1;
	}
	if (r < 0) {
		static const char *const what[] = {
			[CONF_UINT] = "a number",
			[CONF_SIZE] = "a size such as 64K",
			[CONF_MSEC] = "a duration such as 500ms or 10s",
		};
		snprintf(err, errlen, "%s: expected %s, got '%s'", key,
		    what[k->type], value);
		return -1;
	}
	return 0;
}

void
conf_print(FILE *out, const struct conf_key *keys, const void *base,
	   const char *prefix)
{
	for (const struct conf_key *k = keys; k->name; k++) {
		const char *f = (const char *)base + k->off;

		fprintf(out, "%s%s = ", prefix ? prefix : "", k->name);
		switch (k->type) {
		case CONF_STR:
			fprintf(out, "\"%s\"\n", f);
			break;
		case CONF_UINT:
		case CONF_SIZE:
			fprintf(out, "%" PRIu64 "\n", *(const uint64_t *)f);
			break;
		case CONF_MSEC:
			fprintf(out, "%" PRIu64 "ms\n", *(const uint64_t *)f);
			break;
		case CONF_BOOL:
			fprintf(out, "%s\n", *(const int *)f ? "yes" : "no");
			break;
		case CONF_ENUM:
			fprintf(out, "%s\n", k->choices[*(const int *)f]);
			break;
		}
	}
}
