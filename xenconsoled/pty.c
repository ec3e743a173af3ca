/*
 * A console's pty, for xl console: what the guest writes goes to the
 * master through a backlog kept while nobody reads (the oldest bytes go
 * when it is full); what is typed waits in inbuf for the guest's "in"
 * ring. Knows nothing of rings or xenstore: it says "room" and "input"
 * through the callbacks its console registered.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "compiler.h"
#include "console.h"

void
pty_init(struct con_pty *p, void (*on_room)(void *),
	 void (*on_input)(void *), void *arg)
{
	p->master = p->slave = -1;
	p->on_room = on_room;
	p->on_input = on_input;
	p->arg = arg;
}

/*
 * The backlog is circular: head is where the oldest byte is. Nothing is
 * moved, so a pty nobody reads costs a copy per byte, no more.
 */
static void
pty_flush(struct con_pty *p)
{
	ssize_t n;

	while (p->len > 0) {
		size_t seg = XUD_MIN(p->len, p->cap - p->head);

		n = write(p->master, p->buf + p->head, seg);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				p->len = 0;	/* broken pty: nothing to keep */
			break;
		}
		p->head = (p->head + (size_t)n) % p->cap;
		p->len -= (size_t)n;
	}
	if (p->len > 0) {
		if (!event_pending(p->ev_write, EV_WRITE, NULL))
			event_add(p->ev_write, NULL);
	} else {
		event_del(p->ev_write);
	}
}

size_t
pty_room(const struct con_pty *p)
{
	return p->master < 0 ? SIZE_MAX : p->cap - p->len;
}

void
pty_put(struct con_pty *p, const char *buf, size_t len)
{
	size_t tail;

	if (p->master < 0 || len == 0)
		return;
	if (len > p->cap) {		/* keep the newest */
		p->drops += len - p->cap;
		buf += len - p->cap;
		len = p->cap;
	}
	if (p->len + len > p->cap) {	/* discard: oldest go */
		size_t drop = p->len + len - p->cap;

		p->head = (p->head + drop) % p->cap;
		p->len -= drop;
		p->drops += drop;
	}
	tail = (p->head + p->len) % p->cap;
	if (tail + len <= p->cap) {
		memcpy(p->buf + tail, buf, len);
	} else {
		size_t first = p->cap - tail;

		memcpy(p->buf + tail, buf, first);
		memcpy(p->buf, buf + first, len - first);
	}
	p->len += len;
	/* A pty already known full waits for its write event. */
	if (!event_pending(p->ev_write, EV_WRITE, NULL))
		pty_flush(p);
}

static void
pty_on_write(evutil_socket_t fd, short what, void *arg)
{
	struct con_pty *p = arg;

	pty_flush(p);
	if (p->len < p->cap)
		p->on_room(p->arg);	/* keep mode may have waited */
}

void
pty_input_taken(struct con_pty *p, size_t n)
{
	if (n > 0) {
		memmove(p->inbuf, p->inbuf + n, p->in_len - n);
		p->in_len -= n;
	}
	if (p->in_len == 0 && p->ev_read)
		event_add(p->ev_read, NULL);
}

static void
pty_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct con_pty *p = arg;
	ssize_t n;

	if (p->in_len > 0)
		return;
	n = read(p->master, p->inbuf, sizeof(p->inbuf));
	if (n <= 0)
		return;		/* EAGAIN, or no slave: we hold one open */
	p->in_len = (size_t)n;
	p->on_input(p->arg);
	if (p->in_len > 0)	/* ring full: wait for the guest */
		event_del(p->ev_read);
}

int
pty_open(struct con_pty *p, struct event_base *base, size_t cap,
	 const char **name)
{
	struct termios t;

	if (openpty(&p->master, &p->slave, NULL, NULL, NULL) < 0) {
		p->master = p->slave = -1;
		return -errno;
	}
	if (tcgetattr(p->slave, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(p->slave, TCSANOW, &t);
	}
	fcntl(p->master, F_SETFL, fcntl(p->master, F_GETFL) | O_NONBLOCK);
	fcntl(p->master, F_SETFD, FD_CLOEXEC);
	fcntl(p->slave, F_SETFD, FD_CLOEXEC);
	*name = ptsname(p->master);
	p->cap = cap;
	p->buf = malloc(p->cap ? p->cap : 1);
	p->ev_read = event_new(base, p->master, EV_READ | EV_PERSIST,
	    pty_on_read, p);
	p->ev_write = event_new(base, p->master, EV_WRITE | EV_PERSIST,
	    pty_on_write, p);
	if (p->buf == NULL || p->ev_read == NULL || p->ev_write == NULL ||
	    *name == NULL)
		return -ENOMEM;
	event_add(p->ev_read, NULL);
	return 0;
}

void
pty_close(struct con_pty *p)
{
	if (p->ev_read)
		event_free(p->ev_read);
	if (p->ev_write)
		event_free(p->ev_write);
	p->ev_read = p->ev_write = NULL;
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
	p->master = p->slave = -1;
	free(p->buf);
	p->buf = NULL;
	p->head = p->len = p->cap = 0;
}
