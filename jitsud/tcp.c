/* DNS over TCP (see tcp.h), on libevent's bufferevents. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "answer.h"
#include "tcp.h"

#define MAX_LISTENERS 32
/* Answers queued to a client that does not read them: past this, no more
 * queries are read from it until it takes them. */
#define OUT_MAX (4 * (JD_MSG_MAX + 2))

struct conn {
	struct bufferevent *bev;	/* NULL: a free slot */
	uint32_t gen;
	unsigned int inflight;
	bool pumping;	/* in pump(): answers given meanwhile need no call */
	bool eof;	/* the client sent all it will: close once answered */
	struct tcp *t;
};

struct tcp {
	struct event_base *base;
	struct tcp_limits lim;
	jd_query_fn *fn;
	void *arg;
	struct evconnlistener *ls[MAX_LISTENERS];
	int nls;
	struct conn *conns;
	unsigned int nconns;
	bool paused;		/* the listeners, at max_conns */
	struct tcp_counts counts;
	uint8_t msg[JD_MSG_MAX];
};

static void
listeners(struct tcp *t, bool on)
{
	if (t->paused == !on)
		return;
	t->paused = !on;
	for (int i = 0; i < t->nls; i++)
		if (on)
			evconnlistener_enable(t->ls[i]);
		else
			evconnlistener_disable(t->ls[i]);
	if (!on)
		t->counts.paused++;
}

static void
conn_close(struct conn *c)
{
	struct tcp *t = c->t;

	bufferevent_free(c->bev);
	c->bev = NULL;
	c->gen++;	/* answers still on their way find nothing */
	c->inflight = 0;
	c->eof = false;
	t->nconns--;
	listeners(t, true);
}

/* May the connection be read: room for a query and for its answer. */
static bool
may_read(const struct conn *c)
{
	return c->inflight < c->t->lim.pipeline &&
	    evbuffer_get_length(bufferevent_get_output(c->bev)) < OUT_MAX;
}

/* Reads the queries that are in, as far as the limits allow. */
static void
pump(struct conn *c)
{
	struct tcp *t = c->t;
	struct evbuffer *in = bufferevent_get_input(c->bev);

	c->pumping = true;
	while (may_read(c)) {
		uint8_t hdr[2];
		size_t len;
		struct jd_client cl;

		if (evbuffer_copyout(in, hdr, 2) < 2)
			break;
		len = (size_t)hdr[0] << 8 | hdr[1];
		if (evbuffer_get_length(in) < 2 + len)
			break;
		evbuffer_drain(in, 2);
		evbuffer_remove(in, t->msg, len);
		memset(&cl, 0, sizeof(cl));
		cl.tcp = true;
		cl.fd = -1;
		cl.conn = (uint32_t)(c - t->conns);
		cl.gen = c->gen;
		c->inflight++;
		t->fn(t->arg, t->msg, len, &cl);
	}
	c->pumping = false;
	if (c->eof && c->inflight == 0 &&
	    evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
		conn_close(c);
		return;
	}
	if (c->eof)
		bufferevent_disable(c->bev, EV_READ);
	else if (may_read(c))
		bufferevent_enable(c->bev, EV_READ);
	else
		bufferevent_disable(c->bev, EV_READ);
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	(void)bev;
	pump(arg);
}

/* Output drained: reading may go on, or an ended client be closed. */
static void
on_write(struct bufferevent *bev, void *arg)
{
	(void)bev;
	pump(arg);
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;

	/*
	 * A timeout while a forwarded answer is on its way is not idling:
	 * wait for it (forwarding has its own timeout) rather than drop it.
	 */
	if ((what & BEV_EVENT_TIMEOUT) && c->inflight > 0 &&
	    !(what & BEV_EVENT_WRITING)) {
		bufferevent_enable(bev, EV_READ);
		return;
	}
	/* A client may close its side once it sent its queries. */
	if ((what & BEV_EVENT_EOF) && !c->eof) {
		c->eof = true;
		pump(c);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		c->t->counts.closed_idle++;
	conn_close(c);
}

static void
on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct tcp *t = arg;
	struct timeval tv = { (time_t)(t->lim.idle_ms / 1000),
		(suseconds_t)(t->lim.idle_ms % 1000) * 1000 };
	struct conn *c = NULL;

	(void)l; (void)sa; (void)salen;
	for (unsigned int i = 0; i < t->lim.max_conns; i++)
		if (!t->conns[i].bev) {
			c = &t->conns[i];
			break;
		}
	if (!c) {	/* not reached: the listeners pause at the limit */
		close(fd);
		return;
	}
	c->bev = bufferevent_socket_new(t->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		close(fd);
		return;
	}
	c->t = t;
	c->inflight = 0;
	t->nconns++;
	t->counts.accepted++;
	if (t->nconns == t->lim.max_conns)
		listeners(t, false);
	/* At most one message and its length in the input at a time. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, 2 + JD_MSG_MAX);
	bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

int
tcp_new(struct event_base *base, const struct tcp_limits *l, jd_query_fn *fn,
    void *arg, struct tcp **out)
{
	struct tcp *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base = base;
	t->lim = *l;
	t->fn = fn;
	t->arg = arg;
	t->conns = calloc(l->max_conns, sizeof(*t->conns));
	if (!t->conns) {
		free(t);
		return -ENOMEM;
	}
	*out = t;
	return 0;
}

int
tcp_listen(struct tcp *t, int fd)
{
	struct evconnlistener *l;

	if (t->nls == MAX_LISTENERS)
		return -ENOSPC;
	l = evconnlistener_new(t->base, on_accept, t,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	if (!l)
		return -ENOMEM;
	if (t->paused)
		evconnlistener_disable(l);
	t->ls[t->nls++] = l;
	return 0;
}

void
tcp_free(struct tcp *t)
{
	if (!t)
		return;
	for (unsigned int i = 0; i < t->lim.max_conns; i++)
		if (t->conns[i].bev)
			bufferevent_free(t->conns[i].bev);
	for (int i = 0; i < t->nls; i++)
		evconnlistener_free(t->ls[i]);
	free(t->conns);
	free(t);
}

void
tcp_reply(struct tcp *t, const struct jd_client *cl, const uint8_t *msg,
    size_t len)
{
	struct conn *c;
	uint8_t hdr[2] = { (uint8_t)(len >> 8), (uint8_t)len };

	if (cl->conn >= t->lim.max_conns)
		return;
	c = &t->conns[cl->conn];
	if (!c->bev || c->gen != cl->gen)
		return;
	c->inflight--;
	if (len > 0 && len <= JD_MSG_MAX) {
		bufferevent_write(c->bev, hdr, 2);
		bufferevent_write(c->bev, msg, len);
	}
	/* Within pump() the loop goes on by itself; later, resume it. */
	if (!c->pumping)
		pump(c);
}

unsigned int
tcp_conns(const struct tcp *t)
{
	return t->nconns;
}

const struct tcp_counts *
tcp_counts(const struct tcp *t)
{
	return &t->counts;
}
