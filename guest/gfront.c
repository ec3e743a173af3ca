/* A xenbus frontend in guest userspace: gntalloc, evtchn, xenstore. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <xengnttab.h>
#include <xenstore.h>

#include "gfront.h"
#include "gvchan.h"

/* Bound the pages a test frontend can hold. */
#define GFRONT_MAX_SHARES 16
#define GFRONT_POLL_MS 20

struct gfront {
	uint32_t be_domid;
	xengntshr_handle *gs;
	xenevtchn_handle *ev;
	struct xs_handle *xs;
	struct { void *addr; unsigned int count; } shares[GFRONT_MAX_SHARES];
};

int
gfront_open(uint32_t backend_domid, struct gfront **out)
{
	struct gfront *f;
	int r;

	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -ENOMEM;
	f->be_domid = backend_domid;
	f->gs = xengntshr_open(NULL, 0);
	f->ev = xenevtchn_open(NULL, 0);
	f->xs = xs_open(0);
	if (f->gs == NULL || f->ev == NULL || f->xs == NULL) {
		r = errno ? -errno : -ENOENT;
		gfront_close(f);
		return r;
	}
	*out = f;
	return 0;
}

void
gfront_close(struct gfront *f)
{
	if (f == NULL)
		return;
	for (int i = 0; i < GFRONT_MAX_SHARES; i++)
		if (f->shares[i].addr)
			xengntshr_unshare(f->gs, f->shares[i].addr,
			    f->shares[i].count);
	if (f->gs)
		xengntshr_close(f->gs);
	if (f->ev)
		xenevtchn_close(f->ev);
	if (f->xs)
		xs_close(f->xs);
	free(f);
}

int
gfront_share(struct gfront *f, unsigned int count, uint32_t *refs,
	     void **addr)
{
	int slot;
	void *p;

	for (slot = 0; slot < GFRONT_MAX_SHARES; slot++)
		if (f->shares[slot].addr == NULL)
			break;
	if (slot == GFRONT_MAX_SHARES)
		return -ENOSPC;
	p = xengntshr_share_pages(f->gs, f->be_domid, (int)count, refs, 1);
	if (p == NULL)
		return errno ? -errno : -ENOMEM;
	memset(p, 0, (size_t)count * 4096);
	f->shares[slot].addr = p;
	f->shares[slot].count = count;
	*addr = p;
	return 0;
}

int
gfront_unshare(struct gfront *f, void *addr)
{
	for (int i = 0; i < GFRONT_MAX_SHARES; i++) {
		if (f->shares[i].addr != addr)
			continue;
		if (xengntshr_unshare(f->gs, addr, f->shares[i].count) < 0)
			return -errno;
		f->shares[i].addr = NULL;
		return 0;
	}
	return -ENOENT;
}

int
gfront_port(struct gfront *f, evtchn_port_t *port)
{
	xenevtchn_port_or_error_t p;

	p = xenevtchn_bind_unbound_port(f->ev, f->be_domid);
	if (p < 0)
		return errno ? -errno : -EIO;
	*port = (evtchn_port_t)p;
	return 0;
}

void
gfront_unbind(struct gfront *f, evtchn_port_t port)
{
	xenevtchn_unbind(f->ev, port);
}

int
gfront_notify(struct gfront *f, evtchn_port_t port)
{
	return xenevtchn_notify(f->ev, port) < 0 ? -errno : 0;
}

int
gfront_wait(struct gfront *f, int timeout_ms)
{
	struct pollfd pfd = { xenevtchn_fd(f->ev), POLLIN, 0 };
	xenevtchn_port_or_error_t p;
	int r = poll(&pfd, 1, timeout_ms);

	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	p = xenevtchn_pending(f->ev);
	if (p < 0)
		return -errno;
	xenevtchn_unmask(f->ev, p);
	return p;
}

int
gfront_write(struct gfront *f, const char *dir, const char *key,
	     const char *value)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	if (!xs_write(f->xs, XBT_NULL, path, value, strlen(value)))
		return errno ? -errno : -EIO;
	return 0;
}

int
gfront_read(struct gfront *f, const char *dir, const char *key, char *buf,
	    size_t len)
{
	char path[512], *v;
	unsigned int n;
	int r = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	v = xs_read(f->xs, XBT_NULL, path, &n);
	if (v == NULL)
		return -ENOENT;
	if (n >= len)
		r = -E2BIG;
	else
		memcpy(buf, v, n + 1);
	free(v);
	return r;
}

int
gfront_read_int(struct gfront *f, const char *dir, const char *key,
		long *out)
{
	char buf[32], *end;
	int r = gfront_read(f, dir, key, buf, sizeof(buf));

	if (r < 0)
		return r;
	*out = strtol(buf, &end, 10);
	return end == buf || *end != '\0' ? -EINVAL : 0;
}

/*
 * Polls rather than watching: in a statically linked guest program, a
 * watch starts libxenstore's reader thread and later reads fail (seen in
 * the lab). A read every GFRONT_POLL_MS costs nothing next to a guest's
 * own pace.
 */
int
gfront_wait_int(struct gfront *f, const char *dir, const char *key,
		long want, int timeout_ms)
{
	int64_t deadline = gvchan_now_ms() + timeout_ms;
	long v;

	for (;;) {
		struct timespec ts = { 0, GFRONT_POLL_MS * 1000000L };

		if (gfront_read_int(f, dir, key, &v) == 0 && v == want)
			return 0;
		if (gvchan_now_ms() >= deadline)
			return -ETIMEDOUT;
		nanosleep(&ts, NULL);
	}
}
