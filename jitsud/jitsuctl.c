/*
 * jitsuctl: asks a running jitsud for its services' status, or to start
 * or stop one (jitsuctl(8)). One request line over jitsud's control
 * socket (lib/ctl.h); the answer's first line says ok or error.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ctl.h"
#include "daemon.h"

/* More than the status of the most services jitsud takes. */
#define ANSWER_MAX (1 << 20)

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: jitsuctl [-C PATH] status\n"
	    "       jitsuctl [-C PATH] start|stop NAME\n"
	    "  status             each service's state, domain, boots, last\n"
	    "                     summon time and queries\n"
	    "  start NAME         start service NAME (its id or DNS name)\n"
	    "  stop NAME          stop it, with its stop mode\n"
	    "  -C, --control PATH jitsud's control socket (default %s)\n"
	    "  -h, --help         print this help and exit\n"
	    "  -V, --version      print the version and exit\n",
	    RUNSTATEDIR "/jitsud/control");
}

/* Prints the answer in buf: the first line's message and the rest. */
static int
report(char *buf)
{
	char *rest = strchr(buf, '\n');

	if (!rest) {
		fprintf(stderr, "jitsuctl: no answer from jitsud\n");
		return 1;
	}
	*rest++ = '\0';
	if (strncmp(buf, "error: ", 7) == 0) {
		fprintf(stderr, "jitsuctl: %s\n", buf + 7);
		return 1;
	}
	if (strcmp(buf, "ok") != 0 && strncmp(buf, "ok: ", 4) != 0) {
		fprintf(stderr, "jitsuctl: unexpected answer: %s\n", buf);
		return 1;
	}
	if (buf[2])
		printf("%s\n", buf + 4);
	fputs(rest, stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "control", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = RUNSTATEDIR "/jitsud/control";
	char req[CTL_REQUEST_MAX + 1], *buf;
	ssize_t n;
	int c, fd, r;

	while ((c = getopt_long(argc, argv, "C:hV", opts, NULL)) != -1)
		switch (c) {
		case 'C': path = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': xud_version(stdout, "jitsuctl"); return 0;
		default: usage(stderr); return 2;
		}
	argc -= optind;
	argv += optind;
	if (!(argc == 1 && strcmp(argv[0], "status") == 0) &&
	    !(argc == 2 && (strcmp(argv[0], "start") == 0 ||
	    strcmp(argv[0], "stop") == 0))) {
		usage(stderr);
		return 2;
	}
	if (snprintf(req, sizeof(req), "%s%s%s", argv[0], argc == 2 ? " " :
	    "", argc == 2 ? argv[1] : "") >= (int)sizeof(req) ||
	    strpbrk(req + strlen(argv[0]), "\n") != NULL) {
		fprintf(stderr, "jitsuctl: not a service name\n");
		return 2;
	}
	/* The answer is read whole before it is judged. */
	if ((fd = memfd_create("jitsuctl", MFD_CLOEXEC)) < 0) {
		perror("jitsuctl: memfd_create");
		return 1;
	}
	r = ctl_request(path, req, fd, CTL_QUERY_TIMEOUT_MS);
	if (r == -ENOENT || r == -ECONNREFUSED) {
		fprintf(stderr, "jitsuctl: jitsud is not running (nothing "
		    "listens on %s)\n", path);
		return 1;
	}
	if (r < 0) {
		fprintf(stderr, "jitsuctl: %s: %s\n", path, strerror(-r));
		return 1;
	}
	if (!(buf = calloc(1, ANSWER_MAX + 1)) ||
	    (n = pread(fd, buf, ANSWER_MAX, 0)) < 0) {
		perror("jitsuctl");
		return 1;
	}
	close(fd);
	r = report(buf);
	free(buf);
	return r;
}
