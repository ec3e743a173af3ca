/*
 * The control socket: a client gets the status text as made at connect
 * time, a stale socket is replaced, a live one is not taken over, and a
 * query with no daemon fails at once with -ENOENT / -ECONNREFUSED. With
 * requests on, a request line gets its answer, a plain query still the
 * status, and a line too long, or one that does not come, nothing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>
#include <event2/event.h>

#include "ctl.h"
#include "check.h"

struct t {
	int calls;
	pid_t child;
	int status;
	struct event_base *base;
};

static void
status(FILE *f, void *arg)
{
	struct t *t = arg;
	int i;

	t->calls++;
	fprintf(f, "call %d\n", t->calls);
	/* More than one socket buffer, so the send has to wait for room. */
	for (i = 0; i < 20000; i++)
		fprintf(f, "guest %05d bytes %d\n", i, i * 7);
}

/* Ends the loop once the querying child has exited. */
static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct t *t = arg;

	(void)fd; (void)what;
	if (waitpid(t->child, &t->status, WNOHANG) == t->child) {
		t->child = 0;
		event_base_loopbreak(t->base);
	}
}

static void
request(FILE *f, const char *req, void *arg)
{
	struct t *t = arg;

	t->calls++;
	fprintf(f, "request '%s'\n", req);
}

/* Runs ctl_request in a child writing to file out; returns its result. */
static int
request_in_child(struct t *t, const char *path, const char *req,
    const char *out)
{
	struct timeval tv = { 0, 10000 };
	struct event *tick;
	int fd;

	fflush(NULL);
	if ((t->child = fork()) == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		_exit(fd < 0 ? 100 : -ctl_request(path, req, fd, 5000));
	}
	tick = event_new(t->base, -1, EV_PERSIST, on_tick, t);
	event_add(tick, &tv);
	event_base_dispatch(t->base);
	event_free(tick);
	return WIFEXITED(t->status) ? -WEXITSTATUS(t->status) : -1000;
}

static int
query_in_child(struct t *t, const char *path, const char *out)
{
	return request_in_child(t, path, NULL, out);
}

/* The first line of file path. */
static const char *
first_line(const char *path)
{
	static char line[512];
	FILE *f = fopen(path, "r");

	line[0] = '\0';
	if (f != NULL) {
		if (fgets(line, sizeof(line), f) == NULL)
			line[0] = '\0';
		fclose(f);
	}
	return line;
}

/* Connects a raw client to path. */
static int
raw_client(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(sun.sun_path, path);
	CHECK(connect(s, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	return s;
}

/* Turns the loop until s is closed by the daemon; what it sent first. */
static ssize_t
until_closed(struct t *t, int s, int ms)
{
	char buf[64];
	ssize_t n, got = 0;

	for (int i = 0; i < ms / 5; i++) {
		struct pollfd p = { s, POLLIN, 0 };

		event_base_loop(t->base, EVLOOP_NONBLOCK);
		if (poll(&p, 1, 5) <= 0)
			continue;
		n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0)
			return got;
		if (n > 0)
			got += n;
	}
	return -1;
}

/* A daemon that takes requests. */
static void
test_requests(struct t *t, const char *path, const char *out)
{
	struct ctl *c = NULL;
	char longreq[CTL_REQUEST_MAX + 10];
	int s;

	CHECK_EQ(ctl_listen(t->base, path, status, t, &c), 0);
	ctl_on_request(c, request);
	t->calls = 0;
	CHECK_EQ(request_in_child(t, path, "start hello world", out), 0);
	CHECK_STR(first_line(out), "request 'start hello world'\n");
	/* no request: the status, made for this client */
	CHECK_EQ(query_in_child(t, path, out), 0);
	CHECK_STR(first_line(out), "call 2\n");
	/* the longest line there may be */
	memset(longreq, 'x', CTL_REQUEST_MAX);
	longreq[CTL_REQUEST_MAX] = '\0';
	CHECK_EQ(request_in_child(t, path, longreq, out), 0);
	CHECK(strlen(first_line(out)) == CTL_REQUEST_MAX + 11);
	/* one longer: the client will not send it; sent raw, the daemon
	 * closes without an answer */
	longreq[CTL_REQUEST_MAX] = 'x';
	longreq[CTL_REQUEST_MAX + 1] = '\0';
	CHECK_EQ(ctl_request(path, longreq, 1, 1000), -EINVAL);
	s = raw_client(path);
	CHECK_EQ(send(s, longreq, strlen(longreq), 0), (ssize_t)strlen(longreq));
	CHECK_EQ(until_closed(t, s, 5000), 0);
	close(s);
	/* a NUL in the line: not a request */
	s = raw_client(path);
	CHECK_EQ(send(s, "st\0op\n", 6, 0), 6);
	CHECK_EQ(until_closed(t, s, 5000), 0);
	close(s);
	/* a client that sends nothing and keeps its side open: closed
	 * unanswered at the request timeout */
	s = raw_client(path);
	CHECK_EQ(until_closed(t, s, CTL_REQUEST_TIMEOUT_MS + 3000), 0);
	close(s);
	CHECK_EQ(t->calls, 3);
	ctl_free(c);
}

int
main(void)
{
	char dir[] = "/tmp/test-ctl.XXXXXX", path[128], out[128], line[64];
	struct sockaddr_un sun;
	struct ctl *c = NULL, *c2 = NULL;
	struct t t = { 0 };
	FILE *f;
	int n, s;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/run/control", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	t.base = event_base_new();

	/* No daemon: the client is told so at once. */
	CHECK_EQ(ctl_query(path, 1, 1000), -ENOENT);
	CHECK_EQ(ctl_status_command("test-ctl", path), 1);

	/* A stale socket (bound, nobody listening) is replaced. */
	snprintf(line, sizeof(line), "%s/run", dir);
	CHECK(mkdir(line, 0755) == 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(s, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	close(s);
	CHECK_EQ(ctl_query(path, 1, 1000), -ECONNREFUSED);
	CHECK_EQ(ctl_listen(t.base, path, status, &t, &c), 0);

	/* A second daemon does not steal a live socket. */
	CHECK_EQ(ctl_listen(t.base, path, status, &t, &c2), -EADDRINUSE);

	/*
	 * Two queries: each gets the whole text, made for it. The probe
	 * above was a connection too, so the text was made three times.
	 */
	CHECK_EQ(query_in_child(&t, path, out), 0);
	CHECK_EQ(query_in_child(&t, path, out), 0);
	CHECK_EQ(t.calls, 3);
	f = fopen(out, "r");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(fgets(line, sizeof(line), f) != NULL);
		CHECK_STR(line, "call 3\n");
		for (n = 0; fgets(line, sizeof(line), f) != NULL; n++)
			;
		CHECK_EQ(n, 20000);
		CHECK_STR(line, "guest 19999 bytes 139993\n");
		fclose(f);
	}

	/* Freeing removes the socket, so a later query says: not running. */
	ctl_free(c);
	CHECK_EQ(access(path, F_OK), -1);
	CHECK_EQ(ctl_query(path, 1, 1000), -ENOENT);

	test_requests(&t, path, out);

	/* A non-socket in the way is not removed. */
	f = fopen(path, "w");
	if (f != NULL)
		fclose(f);
	CHECK_EQ(ctl_listen(t.base, path, status, &t, &c2), -EEXIST);
	unlink(path);
	unlink(out);
	snprintf(line, sizeof(line), "%s/run", dir);
	rmdir(line);
	rmdir(dir);
	event_base_free(t.base);
	return CHECK_DONE();
}
