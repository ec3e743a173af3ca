/*
 * A daemon for test-daemon: detaches (unless -f), takes the pid file,
 * writes MARKER with its pid, says ready, then waits to be killed (or,
 * with -x, exits 0). Exit statuses say why it stopped before ready:
 * -e STATUS; 4 with -k, after forking a child that lives on (its pid
 * in MARKER) and holds the readiness pipe open; 10 (pid file locked), 11 (pid file names a live
 * process), 12 (other pid file error), 13 (cannot write the marker).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "sdnotify.h"

/* A daemon the test forgot dies on its own. */
#define HELPER_LIFETIME_S 60

int
main(int argc, char **argv)
{
	int c, fg = 0, leave = 0, fail = -1, keep = 0, fd, r;
	FILE *m;

	while ((c = getopt(argc, argv, "fxe:k")) != -1) {
		switch (c) {
		case 'k': keep = 1; break;
		case 'f': fg = 1; break;
		case 'x': leave = 1; break;
		case 'e': fail = atoi(optarg); break;
		default: return 2;
		}
	}
	if (argc - optind != 2)
		return 2;
	if ((r = xud_detach(fg)) < 0) {
		fprintf(stderr, "detach: %s\n", strerror(-r));
		return 12;
	}
	alarm(HELPER_LIFETIME_S);
	if (fail >= 0)
		return fail;
	if (keep) {
		pid_t child = fork();

		if (child == 0) {
			alarm(HELPER_LIFETIME_S);
			for (;;)
				pause();
		}
		if ((m = fopen(argv[optind + 1], "w")) == NULL)
			return 13;
		fprintf(m, "%ld\n", (long)child);
		fclose(m);
		return 4;
	}
	if ((fd = xud_pidfile(argv[optind])) < 0) {
		fprintf(stderr, "pid file: %s\n", strerror(-fd));
		return fd == -EBUSY ? 10 : fd == -EEXIST ? 11 : 12;
	}
	if ((m = fopen(argv[optind + 1], "w")) == NULL)
		return 13;
	fprintf(m, "%ld\n", (long)getpid());
	if (fclose(m) != 0)
		return 13;
	sdn_ready();
	if (leave)
		return 0;
	for (;;)
		pause();
}
