/* The status control socket; see ctl.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <event2/event.h>

#include "ctl.h"

struct ctl_client {
	struct ctl *ctl;
	int fd;
	struct event *ev;	/* reading the request, then writing */
	char req[CTL_REQUEST_MAX + 2];	/* the line, its newline, a NUL */
	size_t rlen;
	char *buf;
	size_t len, off;
	struct ctl_client *next;
};

struct ctl {
	struct event_base *base;
	struct event *ev;
	int fd;
	char *path;
	ctl_status_fn *fn;
	ctl_request_fn *req_fn;	/* NULL: no request is read */
	void *arg;
	struct ctl_client *clients;
	unsigned nclients;
};

static int
ctl_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

/* Creates the directory that holds path, one level only. */
static int
ctl_mkparent(const char *path)
{
	char *dir, *slash;
	int r = 0;

	if ((dir = strdup(path)) == NULL)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			r = -errno;
	}
	free(dir);
	return r;
}

static void
client_free(struct ctl_client *cl)
{
	struct ctl_client **pp;

	for (pp = &cl->ctl->clients; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == cl) {
			*pp = cl->next;
			break;
		}
	}
	cl->ctl->nclients--;
	close(cl->fd);
	if (cl->ev != NULL)
		event_free(cl->ev);
	free(cl->buf);
	free(cl);
}

static void
on_client(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_client *cl = arg;
	ssize_t n;

	if (what & EV_TIMEOUT) {
		client_free(cl);
		return;
	}
	while (cl->off < cl->len) {
		n = send(fd, cl->buf + cl->off, cl->len - cl->off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;		/* wait for room */
			break;			/* the client went away */
		}
		cl->off += (size_t)n;
	}
	client_free(cl);
}

/* Makes the answer (the status without a request) and starts sending. */
static int
client_answer(struct ctl_client *cl, const char *req)
{
	struct ctl *c = cl->ctl;
	struct timeval tv = { CTL_SEND_TIMEOUT_MS / 1000,
	    (CTL_SEND_TIMEOUT_MS % 1000) * 1000 };
	FILE *f;

	/* The text is made at once, so it is one consistent snapshot. */
	if ((f = open_memstream(&cl->buf, &cl->len)) == NULL)
		return -errno;
	if (req != NULL && *req != '\0')
		c->req_fn(f, req, c->arg);
	else
		c->fn(f, c->arg);
	if (fclose(f) != 0)
		return -errno;
	cl->ev = event_new(c->base, cl->fd, EV_WRITE | EV_PERSIST, on_client,
	    cl);
	if (cl->ev == NULL || event_add(cl->ev, &tv) < 0)
		return -ENOMEM;
	return 0;
}

/* The request line: up to its newline, or to the client's EOF. */
static void
on_request(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_client *cl = arg;
	char *nl;
	ssize_t n;

	if (what & EV_TIMEOUT) {
		client_free(cl);
		return;
	}
	n = recv(fd, cl->req + cl->rlen, sizeof(cl->req) - 1 - cl->rlen,
	    MSG_DONTWAIT);
	if (n < 0) {
		if (errno != EINTR && errno != EAGAIN)
			client_free(cl);
		return;
	}
	cl->rlen += (size_t)n;
	nl = memchr(cl->req, '\n', cl->rlen);
	if (nl == NULL && n > 0) {
		if (cl->rlen == sizeof(cl->req) - 1)
			client_free(cl);	/* too long */
		return;
	}
	if (nl == NULL)
		nl = cl->req + cl->rlen;
	if (nl > cl->req && nl[-1] == '\r')
		nl--;
	*nl = '\0';
	event_free(cl->ev);
	cl->ev = NULL;
	/* A NUL inside would cut the line short: not a request. */
	if (strlen(cl->req) != (size_t)(nl - cl->req) ||
	    client_answer(cl, cl->req) < 0)
		client_free(cl);
}

static void
on_accept(evutil_socket_t fd, short what, void *arg)
{
	struct ctl *c = arg;
	struct ctl_client *cl;
	struct timeval tv = { CTL_REQUEST_TIMEOUT_MS / 1000,
	    (CTL_REQUEST_TIMEOUT_MS % 1000) * 1000 };
	int s, r;

	(void)what;
	s = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (s < 0)
		return;
	if (c->nclients >= CTL_MAX_CLIENTS ||
	    (cl = calloc(1, sizeof(*cl))) == NULL) {
		close(s);
		return;
	}
	cl->ctl = c;
	cl->fd = s;
	cl->next = c->clients;
	c->clients = cl;
	c->nclients++;
	if (c->req_fn == NULL)
		r = client_answer(cl, NULL);
	else if ((cl->ev = event_new(c->base, s, EV_READ | EV_PERSIST,
	    on_request, cl)) == NULL || event_add(cl->ev, &tv) < 0)
		r = -ENOMEM;
	else
		r = 0;
	if (r < 0)
		client_free(cl);
}

/* 0 if nobody answers on path (so it may be replaced), else -errno. */
static int
ctl_probe(const struct sockaddr_un *sun)
{
	int s, r;

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	r = connect(s, (const struct sockaddr *)sun, sizeof(*sun));
	if (r == 0)
		r = -EADDRINUSE;
	else if (errno == ECONNREFUSED || errno == ENOENT)
		r = 0;
	else
		r = -errno;
	close(s);
	return r;
}

int
ctl_listen(struct event_base *base, const char *path, ctl_status_fn *fn,
    void *arg, struct ctl **out)
{
	struct sockaddr_un sun;
	struct stat st;
	struct ctl *c;
	mode_t old;
	int r;

	if ((r = ctl_addr(path, &sun)) < 0)
		return r;
	if ((r = ctl_mkparent(path)) < 0)
		return r;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		if ((r = ctl_probe(&sun)) < 0)
			return r;
		unlink(path);
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -ENOMEM;
	c->base = base;
	c->fn = fn;
	c->arg = arg;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || (c->path = strdup(path)) == NULL) {
		r = c->fd < 0 ? -errno : -ENOMEM;
		goto fail;
	}
	old = umask(0077);
	r = bind(c->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (r < 0 || listen(c->fd, CTL_MAX_CLIENTS) < 0) {
		r = -errno;
		goto fail;
	}
	c->ev = event_new(base, c->fd, EV_READ | EV_PERSIST, on_accept, c);
	if (c->ev == NULL || event_add(c->ev, NULL) < 0) {
		r = -ENOMEM;
		unlink(path);
		goto fail;
	}
	*out = c;
	return 0;
fail:
	if (c->ev != NULL)
		event_free(c->ev);
	if (c->fd >= 0)
		close(c->fd);
	free(c->path);
	free(c);
	return r;
}

void
ctl_on_request(struct ctl *c, ctl_request_fn *fn)
{
	c->req_fn = fn;
}

void
ctl_free(struct ctl *c)
{
	if (c == NULL)
		return;
	while (c->clients != NULL)
		client_free(c->clients);
	event_free(c->ev);
	close(c->fd);
	unlink(c->path);
	free(c->path);
	free(c);
}

/* Sends the request line; a daemon that takes none may have closed. */
static int
send_request(int s, const char *req)
{
	char line[CTL_REQUEST_MAX + 2];
	size_t len = strlen(req), off;
	ssize_t n;

	memcpy(line, req, len);
	line[len++] = '\n';
	for (off = 0; off < len; off += (size_t)n) {
		n = send(s, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n < 0)
			return errno == EPIPE || errno == ECONNRESET ? 0 : -errno;
	}
	return 0;
}

int
ctl_query(const char *path, int outfd, int timeout_ms)
{
	return ctl_request(path, NULL, outfd, timeout_ms);
}

int
ctl_request(const char *path, const char *req, int outfd, int timeout_ms)
{
	struct sockaddr_un sun;
	struct pollfd pfd;
	char buf[4096];
	ssize_t n, w, off;
	int s, r;

	if ((r = ctl_addr(path, &sun)) < 0)
		return r;
	if (req != NULL && (strlen(req) > CTL_REQUEST_MAX ||
	    strchr(req, '\n') != NULL))
		return -EINVAL;
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		r = -errno;
		goto out;
	}
	/* The end of the request (none: the status) is our side's end. */
	if (req != NULL && (r = send_request(s, req)) < 0)
		goto out;
	shutdown(s, SHUT_WR);
	pfd.fd = s;
	pfd.events = POLLIN;
	for (;;) {
		r = poll(&pfd, 1, timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			break;
		}
		if (r == 0) {
			r = -ETIMEDOUT;
			break;
		}
		n = read(s, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : 0;
			break;
		}
		for (off = 0; off < n; off += w) {
			w = write(outfd, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				r = -errno;
				goto out;
			}
		}
	}
out:
	close(s);
	return r;
}

int
ctl_status_command(const char *prog, const char *path)
{
	int r;

	fflush(stdout);
	r = ctl_query(path, STDOUT_FILENO, CTL_QUERY_TIMEOUT_MS);
	if (r == -ENOENT || r == -ECONNREFUSED) {
		fprintf(stderr, "%s: not running (nothing listens on %s)\n",
		    prog, path);
		return 1;
	}
	if (r < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(-r));
		return 1;
	}
	return 0;
}
