/*
 * xlab-gxs: a tiny xenstore client for the lab's guests (and dom0).
 *
 *   xlab-gxs read KEY
 *   xlab-gxs write KEY VALUE
 *   xlab-gxs wait KEY [VALUE] [TIMEOUT-SECONDS]
 *   xlab-gxs domid
 *
 * A KEY without a leading '/' is relative to the caller's own
 * /local/domain/<id>/, so a guest reports results with
 * "xlab-gxs write data/result ok".  "wait" returns 0 once KEY exists (and
 * equals VALUE, if given), 1 on timeout (default 30 s).  Built statically
 * from libxenstore so that it runs in the busybox domU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

static int usage(void)
{
	fprintf(stderr, "usage: xlab-gxs read KEY | write KEY VALUE | "
		"wait KEY [VALUE] [TIMEOUT] | domid\n");
	return 2;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int matches(struct xs_handle *xs, const char *key, const char *want)
{
	unsigned int len;
	char *v = xs_read(xs, XBT_NULL, key, &len);
	int ok;

	if (!v)
		return 0;
	ok = !want || strcmp(v, want) == 0;
	free(v);
	return ok;
}

/*
 * Poll rather than watch: a watch starts libxenstore's reader thread, and
 * reads after that failed in the statically linked binary.  Ten reads a
 * second cost nothing next to a guest boot.
 */
static int do_wait(struct xs_handle *xs, const char *key, const char *want,
		   double timeout)
{
	double end = now() + timeout;

	for (;;) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if (matches(xs, key, want))
			return 0;
		if (now() >= end)
			return 1;
		nanosleep(&ts, NULL);
	}
}

int main(int argc, char **argv)
{
	struct xs_handle *xs;
	int rc = 0;

	if (argc < 2)
		return usage();
	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "xlab-gxs: cannot open xenstore: %s\n", strerror(errno));
		return 3;
	}
	if (strcmp(argv[1], "read") == 0 && argc == 3) {
		unsigned int len;
		char *v = xs_read(xs, XBT_NULL, argv[2], &len);

		if (!v) {
			fprintf(stderr, "xlab-gxs: read %s: %s\n", argv[2], strerror(errno));
			rc = 1;
		} else {
			printf("%s\n", v);
			free(v);
		}
	} else if (strcmp(argv[1], "write") == 0 && argc == 4) {
		if (!xs_write(xs, XBT_NULL, argv[2], argv[3], strlen(argv[3]))) {
			fprintf(stderr, "xlab-gxs: write %s: %s\n", argv[2], strerror(errno));
			rc = 1;
		}
	} else if (strcmp(argv[1], "wait") == 0 && argc >= 3 && argc <= 5) {
		const char *want = argc >= 4 && argv[3][0] ? argv[3] : NULL;
		double timeout = argc == 5 ? atof(argv[4]) : 30;

		rc = do_wait(xs, argv[2], want, timeout);
		if (rc)
			fprintf(stderr, "xlab-gxs: timed out after %gs waiting for %s%s%s\n",
				timeout, argv[2], want ? " = " : "", want ? want : "");
	} else if (strcmp(argv[1], "domid") == 0 && argc == 2) {
		unsigned int len;
		char *v = xs_read(xs, XBT_NULL, "domid", &len);

		printf("%s\n", v ? v : "0");
		free(v);
	} else {
		rc = usage();
	}
	xs_close(xs);
	return rc;
}
