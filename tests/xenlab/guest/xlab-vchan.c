/*
 * xlab-vchan: one libxenvchan endpoint, for the lab's vchan cases.  The same
 * program runs in a guest (linked statically) and in dom0.
 *
 *   xlab-vchan server PEER-DOMID XS-PATH [TIMEOUT]
 *       offers a vchan at XS-PATH to PEER-DOMID, reads one line from the
 *       client, answers "echo: LINE", then waits for the client to close.
 *   xlab-vchan client PEER-DOMID XS-PATH MESSAGE [TIMEOUT]
 *       connects to the vchan the server PEER-DOMID offers at XS-PATH, sends
 *       MESSAGE, reads the answer and prints it; exits 0 iff the answer is
 *       "echo: MESSAGE".
 *
 * Data flows both ways in each role.  Every wait is bounded by TIMEOUT
 * seconds (default 30); exit status 1 means a failure, 2 a usage error.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxenvchan.h>

static double deadline;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* wait for the next event on the vchan; 0 on timeout */
static int wait_event(struct libxenvchan *c)
{
	double left = deadline - now();
	struct pollfd p = { .fd = libxenvchan_fd_for_select(c), .events = POLLIN };

	if (left <= 0)
		return 0;
	if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
		return 0;
	libxenvchan_wait(c);
	return 1;
}

static int read_line(struct libxenvchan *c, char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		int ready = libxenvchan_data_ready(c);

		if (ready > 0) {
			size_t want = (size_t)ready < size - 1 - len ? (size_t)ready : size - 1 - len;
			int n = libxenvchan_read(c, buf + len, want);

			if (n < 0)
				return -1;
			len += n;
			buf[len] = 0;
			if (strchr(buf, '\n')) {
				*strchr(buf, '\n') = 0;
				return 0;
			}
			if (len == size - 1)
				return -1;
			continue;
		}
		if (!libxenvchan_is_open(c)) {
			fprintf(stderr, "xlab-vchan: peer closed before a full line\n");
			return -1;
		}
		if (!wait_event(c)) {
			fprintf(stderr, "xlab-vchan: timed out reading\n");
			return -1;
		}
	}
}

static int write_all(struct libxenvchan *c, const char *buf, size_t len)
{
	while (len) {
		int n = libxenvchan_write(c, buf, len);

		if (n < 0)
			return -1;
		buf += n;
		len -= n;
		if (len && !wait_event(c)) {
			fprintf(stderr, "xlab-vchan: timed out writing\n");
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct libxenvchan *c;
	char line[4096], out[4200];
	int server, domid;
	double timeout = 30;

	if (argc < 4)
		goto usage;
	server = strcmp(argv[1], "server") == 0;
	if (!server && strcmp(argv[1], "client") != 0)
		goto usage;
	if ((server && argc > 5) || (!server && (argc < 5 || argc > 6)))
		goto usage;
	domid = atoi(argv[2]);
	if (argc == (server ? 5 : 6))
		timeout = atof(argv[argc - 1]);
	deadline = now() + timeout;

	if (server) {
		c = libxenvchan_server_init(NULL, domid, argv[3], 0, 0);
		if (!c) {
			fprintf(stderr, "xlab-vchan: server_init %s: %s\n", argv[3], strerror(errno));
			return 1;
		}
		c->blocking = 0;
		printf("xlab-vchan: offering %s to domain %d\n", argv[3], domid);
		fflush(stdout);
		while (libxenvchan_is_open(c) == 2)
			if (!wait_event(c)) {
				fprintf(stderr, "xlab-vchan: no client connected\n");
				return 1;
			}
		if (read_line(c, line, sizeof(line)) < 0)
			return 1;
		printf("xlab-vchan: got '%s'\n", line);
		snprintf(out, sizeof(out), "echo: %s\n", line);
		if (write_all(c, out, strlen(out)) < 0)
			return 1;
		/* let the client read the answer and hang up first */
		while (libxenvchan_is_open(c))
			if (!wait_event(c)) {
				fprintf(stderr, "xlab-vchan: client did not close\n");
				return 1;
			}
		libxenvchan_close(c);
		printf("xlab-vchan: server done\n");
		return 0;
	}

	c = NULL;
	while (!c) {
		/* the server may not have published its nodes yet */
		c = libxenvchan_client_init(NULL, domid, argv[3]);
		if (!c) {
			struct timespec ts = { 0, 200 * 1000 * 1000 };

			if (now() > deadline) {
				fprintf(stderr, "xlab-vchan: client_init %s: %s\n", argv[3], strerror(errno));
				return 1;
			}
			nanosleep(&ts, NULL);
		}
	}
	c->blocking = 0;
	snprintf(out, sizeof(out), "%s\n", argv[4]);
	if (write_all(c, out, strlen(out)) < 0)
		return 1;
	if (read_line(c, line, sizeof(line)) < 0)
		return 1;
	printf("%s\n", line);
	libxenvchan_close(c);
	snprintf(out, sizeof(out), "echo: %s", argv[4]);
	return strcmp(line, out) == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: xlab-vchan server PEER-DOMID XS-PATH [TIMEOUT]\n"
		"       xlab-vchan client PEER-DOMID XS-PATH MESSAGE [TIMEOUT]\n");
	return 2;
}
