/* Guest-side vchan with deadlines on every wait. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxenvchan.h>
#include <xenstore.h>

#include "gvchan.h"

#define GVCHAN_POLL_MS 20

struct gvchan {
	struct libxenvchan *ctrl;
};

int64_t
gvchan_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
left_ms(int64_t deadline)
{
	int64_t l = deadline - gvchan_now_ms();

	return l > 0 ? (int)l : 0;
}

/*
 * Waits for path/ring-ref to exist. Polls rather than watching: in a
 * statically linked guest program, a watch starts libxenstore's reader
 * thread and later reads fail (seen in the lab).
 */
static int
wait_for_server(const char *path, int timeout_ms)
{
	struct xs_handle *xs;
	char key[256], *v;
	int64_t deadline = gvchan_now_ms() + timeout_ms;
	unsigned int len;
	int r = -ENOENT;

	snprintf(key, sizeof(key), "%s/ring-ref", path);
	xs = xs_open(0);
	if (xs == NULL)
		return errno ? -errno : -ENOENT;
	for (;;) {
		struct timespec ts = { 0, GVCHAN_POLL_MS * 1000000L };

		v = xs_read(xs, XBT_NULL, key, &len);
		if (v) {
			free(v);
			r = 0;
			break;
		}
		if (left_ms(deadline) == 0)
			break;
		nanosleep(&ts, NULL);
	}
	xs_close(xs);
	return r;
}

int
gvchan_attach(uint32_t server_domid, const char *path, struct gvchan **out)
{
	struct gvchan *v;

	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	v->ctrl = libxenvchan_client_init(NULL, server_domid, path);
	if (v->ctrl != NULL && libxenvchan_is_open(v->ctrl) != 1) {
		/* The server closed while we connected. */
		libxenvchan_close(v->ctrl);
		v->ctrl = NULL;
	}
	if (v->ctrl == NULL) {
		free(v);
		return -ECONNREFUSED;
	}
	v->ctrl->blocking = 0;
	*out = v;
	return 0;
}

int
gvchan_connect(uint32_t server_domid, const char *path, int timeout_ms,
	       struct gvchan **out)
{
	int r;

	if ((r = wait_for_server(path, timeout_ms)) < 0)
		return r;
	return gvchan_attach(server_domid, path, out);
}

int
gvchan_listen(uint32_t client_domid, const char *path, size_t ringsz,
	      struct gvchan **out)
{
	struct gvchan *v;
	int r;

	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	v->ctrl = libxenvchan_server_init(NULL, client_domid, path, ringsz,
	    ringsz);
	if (v->ctrl == NULL) {
		r = errno ? -errno : -EIO;
		free(v);
		return r;
	}
	v->ctrl->blocking = 0;
	*out = v;
	return 0;
}

/* Waits for a vchan event (data, space, or state) up to ms. */
static int
wait_event(struct gvchan *v, int ms)
{
	struct pollfd pfd = { libxenvchan_fd_for_select(v->ctrl), POLLIN, 0 };
	int r = poll(&pfd, 1, ms);

	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (r > 0)
		libxenvchan_wait(v->ctrl);	/* consumes the event */
	return r;
}

int
gvchan_wait_peer(struct gvchan *v, int timeout_ms)
{
	int64_t deadline = gvchan_now_ms() + timeout_ms;

	while (libxenvchan_is_open(v->ctrl) != 1) {
		if (left_ms(deadline) == 0)
			return -ETIMEDOUT;
		wait_event(v, left_ms(deadline));
	}
	return 0;
}

ssize_t
gvchan_read(struct gvchan *v, void *buf, size_t n, int timeout_ms)
{
	int64_t deadline = gvchan_now_ms() + timeout_ms;

	for (;;) {
		int r = libxenvchan_read(v->ctrl, buf, n);

		if (r > 0)
			return r;
		if (r < 0 || !libxenvchan_is_open(v->ctrl))
			return -EPIPE;
		if (left_ms(deadline) == 0)
			return -ETIMEDOUT;
		wait_event(v, left_ms(deadline));
	}
}

int
gvchan_read_full(struct gvchan *v, void *buf, size_t n, int timeout_ms)
{
	int64_t deadline = gvchan_now_ms() + timeout_ms;
	size_t got = 0;

	while (got < n) {
		ssize_t r = gvchan_read(v, (char *)buf + got, n - got,
		    left_ms(deadline));

		if (r < 0)
			return (int)r;
		got += (size_t)r;
	}
	return 0;
}

int
gvchan_write_all(struct gvchan *v, const void *buf, size_t n, int timeout_ms)
{
	int64_t deadline = gvchan_now_ms() + timeout_ms;
	size_t put = 0;

	while (put < n) {
		int r = libxenvchan_write(v->ctrl, (const char *)buf + put,
		    n - put);

		/*
		 * Done once the bytes are in the ring, even if the peer
		 * closed right after (a daemon rejecting what it just read).
		 */
		if (r < 0)
			return -EPIPE;
		put += (size_t)r;
		if (put == n)
			break;
		if (!libxenvchan_is_open(v->ctrl))
			return -EPIPE;
		if (left_ms(deadline) == 0)
			return -ETIMEDOUT;
		wait_event(v, left_ms(deadline));
	}
	return 0;
}

void
gvchan_close(struct gvchan *v)
{
	if (v == NULL)
		return;
	libxenvchan_close(v->ctrl);
	free(v);
}
