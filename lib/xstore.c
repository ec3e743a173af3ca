/* xenstore: connection in the loop, watch dispatch, typed helpers. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <event2/event.h>

#include "xstore.h"

#define XSTORE_TXN_RETRIES 32

struct xstore_watch {
	LIST_ENTRY(xstore_watch) entry;
	struct xstore *xs;
	char *path;
	char token[32];
	xstore_watch_cb *cb;
	void *arg;
};

struct xstore {
	struct xs_handle *h;
	struct event_base *base;
	struct event *ev;
	LIST_HEAD(, xstore_watch) watches;
	uint64_t next_token;
	/* Set while dispatching, so that a callback may unwatch itself. */
	struct xstore_watch *dispatching;
	int dispatch_freed;
};

static void
xstore_on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct xstore *xs = arg;
	char **vec;
	int budget = 256;

	/* Bounded per wakeup so one storm cannot starve other fds. */
	while (budget-- > 0 && (vec = xs_check_watch(xs->h)) != NULL) {
		struct xstore_watch *w;

		LIST_FOREACH(w, &xs->watches, entry)
			if (strcmp(w->token, vec[XS_WATCH_TOKEN]) == 0)
				break;
		if (w) {
			xs->dispatching = w;
			xs->dispatch_freed = 0;
			w->cb(xs, vec[XS_WATCH_PATH], w->arg);
			if (xs->dispatch_freed)
				free(w);
			xs->dispatching = NULL;
		}
		free(vec);
	}
	if (budget < 0)
		event_active(xs->ev, EV_READ, 0);
}

int
xstore_open(struct event_base *base, struct xstore **out)
{
	struct xstore *xs;
	int fd;

	xs = calloc(1, sizeof(*xs));
	if (xs == NULL)
		return -ENOMEM;
	LIST_INIT(&xs->watches);
	xs->base = base;
	xs->h = xs_open(0);
	if (xs->h == NULL) {
		int err = errno ? -errno : -ENOENT;

		free(xs);
		return err;
	}
	if (base) {
		fd = xs_fileno(xs->h);
		if (fd < 0)
			goto fail;
		xs->ev = event_new(base, fd, EV_READ | EV_PERSIST,
		    xstore_on_readable, xs);
		if (xs->ev == NULL || event_add(xs->ev, NULL) < 0)
			goto fail;
	}
	*out = xs;
	return 0;
fail:
	xstore_close(xs);
	return -EIO;
}

void
xstore_close(struct xstore *xs)
{
	struct xstore_watch *w;

	if (xs == NULL)
		return;
	while ((w = LIST_FIRST(&xs->watches)) != NULL)
		xstore_unwatch(w);
	if (xs->ev)
		event_free(xs->ev);
	if (xs->h)
		xs_close(xs->h);
	free(xs);
}

struct xs_handle *
xstore_handle(struct xstore *xs)
{
	return xs->h;
}

struct event_base *
xstore_base(struct xstore *xs)
{
	return xs->base;
}

int
xstore_watch(struct xstore *xs, const char *path, xstore_watch_cb *cb,
	     void *arg, struct xstore_watch **out)
{
	struct xstore_watch *w;

	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return -ENOMEM;
	w->path = strdup(path);
	if (w->path == NULL) {
		free(w);
		return -ENOMEM;
	}
	w->xs = xs;
	w->cb = cb;
	w->arg = arg;
	snprintf(w->token, sizeof(w->token), "xud-%" PRIu64, xs->next_token++);
	if (!xs_watch(xs->h, path, w->token)) {
		int err = errno ? -errno : -EIO;

		free(w->path);
		free(w);
		return err;
	}
	LIST_INSERT_HEAD(&xs->watches, w, entry);
	if (out)
		*out = w;
	return 0;
}

void
xstore_unwatch(struct xstore_watch *w)
{
	struct xstore *xs;

	if (w == NULL)
		return;
	xs = w->xs;
	/* Events already queued for this token are dropped on dispatch. */
	xs_unwatch(xs->h, w->path, w->token);
	LIST_REMOVE(w, entry);
	free(w->path);
	if (xs->dispatching == w)
		xs->dispatch_freed = 1;
	else
		free(w);
}

int
xstore_read(struct xstore *xs, xs_transaction_t t, const char *path,
	    char **out, size_t *len)
{
	unsigned int n;
	char *v;

	v = xs_read(xs->h, t, path, &n);
	if (v == NULL)
		return errno ? -errno : -ENOENT;
	*out = v;
	if (len)
		*len = n;
	return 0;
}

int
xstore_read_uint(struct xstore *xs, xs_transaction_t t, const char *path,
		 uint64_t max, uint64_t *out)
{
	char *v = NULL, *end;
	unsigned long long x;
	int r;

	if ((r = xstore_read(xs, t, path, &v, NULL)) < 0)
		return r;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end != '\0')
		r = -EINVAL;
	else if (errno == ERANGE || x > max)
		r = -ERANGE;
	else
		*out = x;
	free(v);
	return r;
}

uint32_t
xstore_own_domid(struct xstore *xs)
{
	uint64_t id;

	/* DOMID_FIRST_RESERVED (0x7ff0) and above are not domains. */
	if (xstore_read_uint(xs, XBT_NULL, "domid", 0x7fef, &id) < 0)
		return 0;
	return (uint32_t)id;
}

int
xstore_write(struct xstore *xs, xs_transaction_t t, const char *path,
	     const char *value)
{
	if (!xs_write(xs->h, t, path, value, strlen(value)))
		return errno ? -errno : -EIO;
	return 0;
}

int
xstore_printf(struct xstore *xs, xs_transaction_t t, const char *path,
	      const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -E2BIG;
	return xstore_write(xs, t, path, buf);
}

int
xstore_rm(struct xstore *xs, xs_transaction_t t, const char *path)
{
	if (!xs_rm(xs->h, t, path) && errno != ENOENT)
		return errno ? -errno : -EIO;
	return 0;
}

int
xstore_exists(struct xstore *xs, xs_transaction_t t, const char *path)
{
	char *v;
	int r = xstore_read(xs, t, path, &v, NULL);

	if (r == 0) {
		free(v);
		return 1;
	}
	return r == -ENOENT ? 0 : r;
}

int
xstore_set_perms(struct xstore *xs, xs_transaction_t t, const char *path,
		 unsigned int owner, unsigned int reader, bool reader_rw)
{
	struct xs_permissions p[2] = {
		{ .id = owner, .perms = XS_PERM_NONE },
		{ .id = reader, .perms = reader_rw ?
		    (XS_PERM_READ | XS_PERM_WRITE) : XS_PERM_READ },
	};

	if (!xs_set_permissions(xs->h, t, path, p, 2))
		return errno ? -errno : -EIO;
	return 0;
}

int
xstore_ls(struct xstore *xs, xs_transaction_t t, const char *path,
	  char ***out, unsigned int *n)
{
	char **v = xs_directory(xs->h, t, path, n);

	if (v == NULL)
		return errno ? -errno : -ENOENT;
	*out = v;
	return 0;
}

int
xstore_transact(struct xstore *xs, xstore_txn_fn *fn, void *arg)
{
	for (int i = 0; i < XSTORE_TXN_RETRIES; i++) {
		xs_transaction_t t = xs_transaction_start(xs->h);
		int r;

		if (t == XBT_NULL)
			return errno ? -errno : -EIO;
		r = fn(xs, t, arg);
		if (r < 0) {
			xs_transaction_end(xs->h, t, true);
			return r;
		}
		if (xs_transaction_end(xs->h, t, false))
			return 0;
		if (errno != EAGAIN)
			return errno ? -errno : -EIO;
	}
	return -EAGAIN;
}

int
xstore_dom_path(unsigned int domid, char *buf, size_t len)
{
	int n = snprintf(buf, len, "/local/domain/%u", domid);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
