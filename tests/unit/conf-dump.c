/*
 * Golden-test driver for the shared config format: prints each item the
 * parser delivers as "section[name].key = value", errors on stderr.
 * The section "reject" and the key "reject" are refused, to exercise
 * callback errors.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf.h"

static int
cb(const struct conf_item *it, void *arg, char *err, size_t len)
{
	if (it->section && strcmp(it->section, "reject") == 0 && !it->key) {
		snprintf(err, len, "unknown section [%s]", it->section);
		return -1;
	}
	if (it->key && strcmp(it->key, "reject") == 0) {
		snprintf(err, len, "unknown key '%s'", it->key);
		return -1;
	}
	if (it->key == NULL)
		printf("[%s%s%s]\n", it->section, it->name ? " " : "",
		    it->name ? it->name : "");
	else
		printf("%s%s%s%s%s%s = \"%s\"\n",
		    it->section ? it->section : "",
		    it->name ? "(" : "", it->name ? it->name : "",
		    it->name ? ")" : "", it->section ? "." : "", it->key,
		    it->value);
	return 0;
}

int
main(int argc, char **argv)
{
	int n;

	if (argc != 2) {
		fprintf(stderr, "usage: conf-dump FILE\n");
		return 2;
	}
	n = conf_parse_file(argv[1], cb, NULL, stderr);
	if (n < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-n));
		return 1;
	}
	return n ? 1 : 0;
}
