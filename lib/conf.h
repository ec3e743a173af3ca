/*
 * The one config format of all xud daemons:
 *
 *   # comment
 *   key = value             global settings
 *   [section]               e.g. [journald]
 *   [section name]          e.g. [guest web]; keys below belong to it
 *   key = "quoted value"    \" and \\ escape inside quotes
 *
 * The parser reads every line and reports every error as
 * "file:line: message" to the caller's stream, so that one check run
 * shows all mistakes; it does not stop at the first.
 */
#ifndef XUD_CONF_H
#define XUD_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "compiler.h"

#define CONF_MAX_LINE 4096

struct conf_item {
	const char *file;
	int line;
	const char *section;	/* NULL for the global part */
	const char *name;	/* section's name argument, or NULL */
	const char *key;	/* NULL when announcing a new section */
	const char *value;
};

/*
 * Called for each "[section name]" header (key == NULL) and each
 * key = value. Return 0, or -1 after writing a message into err.
 */
typedef int conf_cb(const struct conf_item *it, void *arg, char *err,
		    size_t errlen);

/* Returns the number of errors (0 = valid), or -errno if unreadable. */
int conf_parse_file(const char *path, conf_cb *cb, void *arg, FILE *errs);
int conf_parse_buf(const char *name, const char *buf, size_t len,
		   conf_cb *cb, void *arg, FILE *errs);

/*
 * A daemon's config file: errors go to errs as "file:line: message"; a
 * missing file is fine (defaults) unless the user named it (given).
 * Returns 0 if the config is valid, -1 after printing why not.
 */
int conf_load(const char *prog, const char *path, int given, conf_cb *cb,
	      void *arg, FILE *errs);

/* Value parsers: 0, -EINVAL (malformed) or -ERANGE (outside min..max). */
int conf_uint(const char *v, uint64_t min, uint64_t max, uint64_t *out);
/* Bytes with optional K, M, G (powers of 1024; KiB, MiB, GiB accepted). */
int conf_size(const char *v, uint64_t min, uint64_t max, uint64_t *out);
/* Milliseconds from "250ms", "10s", "5m", "2h", "7d"; a bare number is s. */
int conf_duration_ms(const char *v, uint64_t min, uint64_t max, uint64_t *out);
int conf_bool(const char *v, int *out);
/* Index into the NULL-terminated choices, or -EINVAL. */
int conf_enum(const char *v, const char *const *choices);

/* Table-driven settings, for daemons whose keys map onto a struct. */
enum conf_type { CONF_STR, CONF_UINT, CONF_SIZE, CONF_MSEC, CONF_BOOL,
		 CONF_ENUM };

struct conf_key {
	const char *name;
	enum conf_type type;
	size_t off;		/* offsetof in the settings struct */
	uint64_t min, max;	/* CONF_STR: max is the buffer size */
	const char *const *choices;	/* CONF_ENUM */
	const char *help;
};

/*
 * Sets key in base from value. Returns 0, 1 if the key is not in the
 * table, or -1 with a message in err. Integers are uint64_t fields,
 * booleans and enums int, strings char[max].
 */
int conf_set(const struct conf_key *keys, void *base, const char *key,
	     const char *value, char *err, size_t errlen);
/* Prints "prefix key = value" lines: the effective configuration. */
void conf_print(FILE *out, const struct conf_key *keys, const void *base,
		const char *prefix);

#endif
