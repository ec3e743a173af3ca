/*
 * xenconsoled's own options, parsed as Xen's xenconsoled parses them:
 * repeated --log and --timestamp add up (guest and hv make all), none or
 * an empty value clears them, and an unknown value or a stray argument
 * is a warning, not an exit. The skeleton (skel.h) runs getopt_long()
 * and owns the common options; these are its option and args hooks'
 * halves. Pure: no I/O but the warnings written to err.
 */
#ifndef XCD_ARGS_H
#define XCD_ARGS_H

#include <getopt.h>
#include <stdio.h>

#include "xenconsoled.h"

struct xcd_args {
	int fg;			/* -i, Xen's name for -f */
	/* settings the command line gave; -1 or NULL: not given */
	int log, timestamp, timestamp_format, overflow_keep;
	int replace_escape, notes;
	const char *log_dir, *pid_file;
};

/* The short letters and long options of xcd_args_option(). */
#define XCD_ARGS_SHORT "it:o:"
extern const struct option xcd_args_options[];

/* Nothing given yet. */
void xcd_args_init(struct xcd_args *a);
/*
 * One value of getopt_long(): 0 when it is one of ours (an unknown value
 * is a warning on err), -1 when it is not (the caller's usage error).
 */
int xcd_args_option(struct xcd_args *a, int c, const char *optarg,
		    FILE *err);
/* The arguments after the options: Xen's daemon ignores them; we warn. */
void xcd_args_extra(int argc, char *const argv[], FILE *err);
/*
 * Puts what the command line gave into s, over the configuration file's.
 * 0, or -1 with a message in err (a path too long).
 */
int xcd_args_apply(const struct xcd_args *a, struct xcd_settings *s,
		   char *err, size_t len);

#endif
