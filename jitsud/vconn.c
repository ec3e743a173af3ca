#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libvirt/virterror.h>

#include "vconn.h"

static uint64_t
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static const char *
close_reason(int reason)
{
	switch (reason) {
	case VIR_CONNECT_CLOSE_REASON_EOF:
		return "closed by the other end";
	case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
		return "no answer to keepalives";
	case VIR_CONNECT_CLOSE_REASON_ERROR:
		return "an I/O error";
	default:
		return "closed";
	}
}

/* From libvirt's event loop thread: the connection has closed. */
static void
on_close(virConnectPtr conn, int reason, void *arg)
{
	struct vconn *c = arg;

	pthread_mutex_lock(c->lock);
	if (conn == c->conn) {
		c->lost = true;
		c->lost_reason = reason;
		pthread_cond_signal(c->cond);
	}
	pthread_mutex_unlock(c->lock);
}

/* A connection to c->uri, watched; NULL with libvirt's error. */
static virConnectPtr
watched(struct vconn *c)
{
	virConnectPtr conn = virConnectOpen(c->uri[0] ? c->uri : NULL);

	if (!conn)
		return NULL;
	/* Local drivers have neither: 1 then, not an error. */
	virConnectSetKeepAlive(conn, 5, 3);
	virConnectRegisterCloseCallback(conn, on_close, c, NULL);
	return conn;
}

static void
unwatched(virConnectPtr conn)
{
	virConnectUnregisterCloseCallback(conn, on_close);
	virConnectClose(conn);
}

void
vconn_drop(struct vconn *c, const char *why)
{
	virConnectPtr conn;

	pthread_mutex_lock(c->lock);
	conn = c->conn;
	c->conn = NULL;
	if (!why)
		why = close_reason(c->lost_reason);
	c->lost = false;
	if (vr_lost(&c->vr, now_ms())) {
		c->note_lost = true;
		c->note_never = false;
		snprintf(c->lost_why, sizeof(c->lost_why), "%s", why);
	}
	pthread_mutex_unlock(c->lock);
	if (conn)
		unwatched(conn);
}

int
vconn_reconnect(struct vconn *c)
{
	virConnectPtr conn = watched(c);

	pthread_mutex_lock(c->lock);
	if (!conn) {
		/* Never up: said once, at the first attempt, with why. */
		if (!c->was_up && c->vr.tries == 0) {
			c->note_lost = c->note_never = true;
			snprintf(c->lost_why, sizeof(c->lost_why), "%s",
			    virGetLastErrorMessage());
		}
		vr_failed(&c->vr, now_ms());
	} else {
		c->conn = conn;
		c->note_up = vr_up(&c->vr);
		c->note_first = !c->was_up;
		c->was_up = true;
	}
	pthread_mutex_unlock(c->lock);
	return conn ? 0 : -1;
}

bool
vconn_due(const struct vconn *c)
{
	return vr_due(&c->vr, now_ms());
}

void
vconn_wait(struct vconn *c)
{
	uint64_t w = vr_wait_ms(&c->vr, now_ms());
	struct timespec t;

	if (w == UINT64_MAX) {
		pthread_cond_wait(c->cond, c->lock);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += (time_t)(w / 1000);
	t.tv_nsec += (long)(w % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(c->cond, c->lock, &t);
}

virConnectPtr
vconn_ref(struct vconn *c)
{
	virConnectPtr conn;

	pthread_mutex_lock(c->lock);
	if ((conn = c->conn))
		virConnectRef(conn);
	pthread_mutex_unlock(c->lock);
	return conn;
}

const char *
vconn_name(const struct vconn *c)
{
	return c->uri[0] ? c->uri : "libvirt's default";
}

static void
no_op(int timer, void *arg)
{
	(void)timer;
	(void)arg;
}

/* libvirt's event loop: the close callbacks and keepalives come from it. */
static void *
evloop(void *arg)
{
	struct vconn *c = arg;
	bool quit = false;

	while (!quit) {
		if (virEventRunDefaultImpl() < 0)
			break;
		pthread_mutex_lock(c->lock);
		quit = c->evquit;
		pthread_mutex_unlock(c->lock);
	}
	return NULL;
}

static void
register_events(void)
{
	virEventRegisterDefaultImpl();
}

int
vconn_open(struct vconn *c, const char *uri, pthread_mutex_t *lock,
    pthread_cond_t *cond, char *why, size_t len)
{
	static pthread_once_t events_once = PTHREAD_ONCE_INIT;

	c->lock = lock;
	c->cond = cond;
	c->evtimer = -1;
	if (uri && strlen(uri) >= sizeof(c->uri)) {
		snprintf(why, len, "libvirt: the URI is too long");
		return -ENAMETOOLONG;
	}
	snprintf(c->uri, sizeof(c->uri), "%s", uri ? uri : "");
	/* before the connection, which then uses it */
	pthread_once(&events_once, register_events);
	if ((c->evtimer = virEventAddTimeout(-1, no_op, NULL, NULL)) < 0 ||
	    pthread_create(&c->evthread, NULL, evloop, c) != 0) {
		snprintf(why, len, "libvirt: cannot start its event loop");
		return -ENOMEM;
	}
	c->evstarted = true;
	/* down, until the worker's first attempt (due now) */
	vr_lost(&c->vr, now_ms());
	return 0;
}

void
vconn_close(struct vconn *c)
{
	if (c->conn)
		unwatched(c->conn);
	c->conn = NULL;
	if (c->evstarted) {
		pthread_mutex_lock(c->lock);
		c->evquit = true;
		pthread_mutex_unlock(c->lock);
		virEventUpdateTimeout(c->evtimer, 0);
		pthread_join(c->evthread, NULL);
		c->evstarted = false;
	}
	if (c->evtimer >= 0)
		virEventRemoveTimeout(c->evtimer);
	c->evtimer = -1;
}
