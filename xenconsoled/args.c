/* The command line (args.h). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"

/* Index of v in names, or -1; "" is names[0] (none). */
static int
args_lookup(const char *const *names, const char *v)
{
	if (v[0] == '\0')
		return 0;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], v) == 0)
			return i;
	return -1;
}

static void
args_unknown(FILE *err, const char *opt, const char *v)
{
	fprintf(err, "xenconsoled: warning: --%s: unknown value '%s', "
	    "ignored\n", opt, v);
}

/* --log, --timestamp: guest and hv add up; none (or "") clears. */
static void
args_which(int *w, const char *opt, const char *v, FILE *err)
{
	static const char *const names[] = { "none", "guest", "hv", "all",
		NULL };
	int i = args_lookup(names, v);

	if (i < 0)
		args_unknown(err, opt, v);
	else if (i == XCD_NONE)
		*w = XCD_NONE;
	else	/* the enum is a bit set: guest | hv == all */
		*w = (*w < 0 ? XCD_NONE : *w) | i;
}

/* A choice between two: index, or unchanged with a warning. */
static void
args_pick(int *out, const char *const *names, const char *opt,
	  const char *v, FILE *err)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], v) == 0) {
			*out = i;
			return;
		}
	args_unknown(err, opt, v);
}

/* Long-only values: below the skeleton's (0x1000 up), above any letter. */
enum {
	OPT_LOG = 256, OPT_LOG_DIR, OPT_REPLACE_ESCAPE, OPT_STAMP_FORMAT,
	OPT_NO_NOTES,
};

const struct option xcd_args_options[] = {
	{ "interactive", no_argument, NULL, 'i' },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "log-dir", required_argument, NULL, OPT_LOG_DIR },
	{ "timestamp", required_argument, NULL, 't' },
	{ "overflow-data", required_argument, NULL, 'o' },
	{ "replace-escape", no_argument, NULL, OPT_REPLACE_ESCAPE },
	/* not Xen's */
	{ "timestamp-format", required_argument, NULL, OPT_STAMP_FORMAT },
	{ "no-notes", no_argument, NULL, OPT_NO_NOTES },
	{ NULL, 0, NULL, 0 },
};

void
xcd_args_init(struct xcd_args *a)
{
	memset(a, 0, sizeof(*a));
	a->log = a->timestamp = a->timestamp_format = a->overflow_keep = -1;
	a->replace_escape = a->notes = -1;
}

int
xcd_args_option(struct xcd_args *a, int c, const char *optarg, FILE *err)
{
	static const char *const overflow[] = { "discard", "keep", NULL };
	static const char *const formats[] = { "iso", "xen", NULL };

	switch (c) {
	case 'i': a->fg = 1; break;
	case OPT_LOG: args_which(&a->log, "log", optarg, err); break;
	case 't': args_which(&a->timestamp, "timestamp", optarg, err); break;
	case OPT_LOG_DIR: a->log_dir = optarg; break;
	case 'o':
		args_pick(&a->overflow_keep, overflow, "overflow-data", optarg,
		    err);
		break;
	case OPT_REPLACE_ESCAPE: a->replace_escape = 1; break;
	case OPT_STAMP_FORMAT:
		args_pick(&a->timestamp_format, formats, "timestamp-format",
		    optarg, err);
		break;
	case OPT_NO_NOTES: a->notes = 0; break;
	default: return -1;
	}
	return 0;
}

void
xcd_args_extra(int argc, char *const argv[], FILE *err)
{
	for (int i = 0; i < argc; i++)
		fprintf(err, "xenconsoled: warning: ignoring argument '%s'\n",
		    argv[i]);
}

static int
args_path(char *dst, const char *src, const char *opt, char *err,
	  size_t len)
{
	if (src == NULL)
		return 0;
	if (strlen(src) >= XCD_PATH_MAX) {
		snprintf(err, len, "--%s: longer than %d bytes", opt,
		    XCD_PATH_MAX - 1);
		return -1;
	}
	snprintf(dst, XCD_PATH_MAX, "%s", src);
	return 0;
}

int
xcd_args_apply(const struct xcd_args *a, struct xcd_settings *s, char *err,
	       size_t len)
{
	if (a->log >= 0)
		s->log = a->log;
	if (a->timestamp >= 0)
		s->timestamp = a->timestamp;
	if (a->timestamp_format >= 0)
		s->timestamp_format = a->timestamp_format;
	if (a->overflow_keep >= 0)
		s->overflow_keep = a->overflow_keep;
	if (a->replace_escape >= 0)
		s->replace_escape = a->replace_escape;
	if (a->notes >= 0)
		s->notes = a->notes;
	if (args_path(s->log_dir, a->log_dir, "log-dir", err, len) < 0 ||
	    args_path(s->pid_file, a->pid_file, "pid-file", err, len) < 0)
		return -1;
	return 0;
}
