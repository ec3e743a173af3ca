/*
 * The command line, parsed as Xen's xenconsoled parses it: repeated
 * --log and --timestamp add up (guest and hv make all), none or an empty
 * value clears them, and an unknown value or a stray argument is a
 * warning, not an exit. Only an unknown option or a missing argument is
 * a usage error. Pure: no I/O but the messages written to err.
 */
#ifndef XCD_ARGS_H
#define XCD_ARGS_H

#include <stdio.h>

#include "xenconsoled.h"

struct xcd_args {
	const char *conf, *control;	/* preset: the defaults */
	int conf_given, fg, check, verbose, status, version, help;
	/* settings the command line gave; -1 or NULL: not given */
	int log, timestamp, timestamp_format, overflow_keep;
	int replace_escape, notes;
	const char *log_dir, *pid_file;
};

/* 0, or 2 after a usage error (said on err). Warnings go to err too. */
int xcd_args_parse(struct xcd_args *a, int argc, char *const argv[],
		   FILE *err);
/*
 * Puts what the command line gave into s, over the configuration file's.
 * 0, or -1 with a message in err (a path too long).
 */
int xcd_args_apply(const struct xcd_args *a, struct xcd_settings *s,
		   char *err, size_t len);

#endif
