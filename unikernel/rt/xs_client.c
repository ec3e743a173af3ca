/*
 * The xenstore client. Both rings of the store page are driven through
 * lib/consring.c, whose validated index handling fits them as well as the
 * console's: the request ring as a producer, the response ring as a
 * consumer. Incoming bytes are assembled into one message at a time (a
 * message may be bigger than the 1 KiB ring) and checked by xs_wire.c.
 */
#include <errno.h>
#include <string.h>

#include "consring.h"
#include "evtchn.h"
#include "startinfo.h"
#include "clock.h"
#include "xs_client.h"
#include "xs_wire.h"

#define XS_TIMEOUT (10 * TM_S)
#define XS_MSG_MAX (XS_WIRE_HDR + XENSTORE_PAYLOAD_MAX)
#define XS_QUEUE 8
#define XS_EV_PATH 256
#define XS_EV_TOKEN 64

struct xs_event {
	char path[XS_EV_PATH];
	char token[XS_EV_TOKEN];
};

static struct consring xs_req, xs_rsp;
static evtchn_port_t xs_port;
static uint32_t xs_next_id = 1;

/* The message being assembled from the response ring. */
static char xs_rx[XS_MSG_MAX + 1];
static size_t xs_rx_len;

/* The reply to the outstanding request, once it came. */
static char xs_reply[XS_MSG_MAX + 1];
static uint32_t xs_want_id;
static int xs_have_reply;

static struct xs_event xs_events[XS_QUEUE];
static unsigned xs_ev_head, xs_ev_count;

static void
xs_copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
xs_deliver(const struct xsd_sockmsg *hdr, size_t total)
{
	const char *payload = xs_rx + XS_WIRE_HDR;
	const char *path, *token;

	if (hdr->type == XS_WATCH_EVENT) {
		struct xs_event *e;

		if (xs_wire_watch_event(payload, hdr->len, &path, &token) < 0 ||
		    xs_ev_count == XS_QUEUE)
			return;	/* a watch fires again on the next change */
		e = &xs_events[(xs_ev_head + xs_ev_count++) % XS_QUEUE];
		xs_copy_str(e->path, sizeof(e->path), path);
		xs_copy_str(e->token, sizeof(e->token), token);
		return;
	}
	if (hdr->req_id != xs_want_id || xs_have_reply)
		return;		/* not the reply we wait for */
	memcpy(xs_reply, xs_rx, total);
	xs_reply[total] = '\0';
	xs_have_reply = 1;
}

/* Drains the response ring; runs as the store port's event handler. */
static void
xs_pump(evtchn_port_t port, void *arg)
{
	int consumed = 0;

	for (;;) {
		struct xsd_sockmsg hdr;
		int total = xs_wire_header(xs_rx, xs_rx_len, &hdr);
		size_t need = total > 0 ? (size_t)total : XS_WIRE_HDR;
		uint32_t cons;
		int n;

		if (total == -EPROTO) {
			/* A broken stream cannot be resynchronised. */
			xs_rx_len = 0;
			break;
		}
		if (total > 0 && xs_rx_len == (size_t)total) {
			xs_deliver(&hdr, xs_rx_len);
			xs_rx_len = 0;
			continue;
		}
		n = consring_peek(&xs_rsp, xs_rx + xs_rx_len, need - xs_rx_len,
				  &cons);
		if (n <= 0)
			break;
		consring_consume(&xs_rsp, cons, (uint32_t)n);
		xs_rx_len += (size_t)n;
		consumed = 1;
	}
	if (consumed)
		ev_send(xs_port);
}

int
xs_init(void)
{
	const start_info_t *si = si_get();
	struct xenstore_domain_interface *intf =
		si_mfn_to_virt(si->store_mfn);

	xs_req.data = intf->req;
	xs_req.size = XENSTORE_RING_SIZE;
	xs_req.cons = &intf->req_cons;
	xs_req.prod = &intf->req_prod;
	xs_rsp.data = intf->rsp;
	xs_rsp.size = XENSTORE_RING_SIZE;
	xs_rsp.cons = &intf->rsp_cons;
	xs_rsp.prod = &intf->rsp_prod;
	xs_port = si->store_evtchn;
	return ev_register(xs_port, xs_pump, NULL);
}

int
xs_resume(void)
{
	int r;

	/* The old connection's bytes, replies and events mean nothing to
	 * the new one (ours was idle: no request is outstanding). */
	xs_rx_len = 0;
	xs_have_reply = 0;
	xs_ev_head = xs_ev_count = 0;
	r = xs_init();
	*xs_rsp.cons = *xs_rsp.prod;
	return r;
}

static int
xs_has_reply(void *arg)
{
	return xs_have_reply;
}

static int
xs_req_has_room(void *arg)
{
	int used = consring_pending(&xs_req);

	return used < 0 || used < (int)xs_req.size;
}

/* Sends one request and waits for its reply, left in xs_reply. */
static int
xs_request(uint32_t type, uint32_t tx, const struct xs_part *parts,
	   unsigned nparts, struct xsd_sockmsg *hdr)
{
	static char msg[XS_MSG_MAX];
	uint64_t deadline = tm_now() + XS_TIMEOUT;
	int len, off = 0, r;

	xs_want_id = xs_next_id++;
	xs_have_reply = 0;
	len = xs_wire_build(msg, sizeof(msg), type, xs_want_id, tx, parts,
			    nparts);
	if (len < 0)
		return len;
	while (off < len) {
		int n = consring_write(&xs_req, msg + off, (size_t)(len - off));

		if (n < 0)
			return n;
		if (n > 0) {
			off += n;
			ev_send(xs_port);
			continue;
		}
		r = tm_wait(xs_req_has_room, NULL, deadline);
		if (r < 0)
			return r;
	}
	r = tm_wait(xs_has_reply, NULL, deadline);
	if (r < 0)
		return r;
	memcpy(hdr, xs_reply, XS_WIRE_HDR);
	return xs_wire_error(hdr, xs_reply + XS_WIRE_HDR);
}

int
xs_read(uint32_t tx, const char *path, char *buf, size_t cap)
{
	struct xs_part p[] = { { path, strlen(path) + 1 } };
	struct xsd_sockmsg hdr;
	int r = xs_request(XS_READ, tx, p, 1, &hdr);

	if (r < 0)
		return r;
	if (hdr.len + 1 > cap)
		return -ERANGE;
	memcpy(buf, xs_reply + XS_WIRE_HDR, hdr.len);
	buf[hdr.len] = '\0';
	return (int)hdr.len;
}

int
xs_write(uint32_t tx, const char *path, const char *value)
{
	struct xs_part p[] = { { path, strlen(path) + 1 },
			       { value, strlen(value) } };
	struct xsd_sockmsg hdr;

	return xs_request(XS_WRITE, tx, p, 2, &hdr);
}

int
xs_rm(uint32_t tx, const char *path)
{
	struct xs_part p[] = { { path, strlen(path) + 1 } };
	struct xsd_sockmsg hdr;

	return xs_request(XS_RM, tx, p, 1, &hdr);
}

int
xs_tx_start(uint32_t *tx)
{
	struct xs_part p[] = { { "", 1 } };
	struct xsd_sockmsg hdr;
	uint32_t id = 0;
	int r = xs_request(XS_TRANSACTION_START, 0, p, 1, &hdr);

	if (r < 0)
		return r;
	/* The id comes back as decimal text. */
	for (uint32_t i = 0; i < hdr.len && xs_reply[XS_WIRE_HDR + i]; i++) {
		char c = xs_reply[XS_WIRE_HDR + i];

		if (c < '0' || c > '9' || id > (UINT32_MAX - 9) / 10)
			return -EPROTO;
		id = id * 10 + (uint32_t)(c - '0');
	}
	if (id == 0)
		return -EPROTO;
	*tx = id;
	return 0;
}

int
xs_tx_end(uint32_t tx, int commit)
{
	struct xs_part p[] = { { commit ? "T" : "F", 2 } };
	struct xsd_sockmsg hdr;

	return xs_request(XS_TRANSACTION_END, tx, p, 1, &hdr);
}

static int
xs_watch_op(uint32_t type, const char *path, const char *token)
{
	struct xs_part p[] = { { path, strlen(path) + 1 },
			       { token, strlen(token) + 1 } };
	struct xsd_sockmsg hdr;

	return xs_request(type, 0, p, 2, &hdr);
}

int
xs_watch(const char *path, const char *token)
{
	return xs_watch_op(XS_WATCH, path, token);
}

int
xs_unwatch(const char *path, const char *token)
{
	return xs_watch_op(XS_UNWATCH, path, token);
}

static int
xs_has_event(void *arg)
{
	return xs_ev_count > 0;
}

int
xs_watch_wait(char *path, size_t pcap, char *token, size_t tcap,
	      uint64_t deadline)
{
	struct xs_event *e;
	int r = tm_wait(xs_has_event, NULL, deadline);

	if (r < 0)
		return r;
	e = &xs_events[xs_ev_head];
	xs_ev_head = (xs_ev_head + 1) % XS_QUEUE;
	xs_ev_count--;
	xs_copy_str(path, pcap, e->path);
	xs_copy_str(token, tcap, e->token);
	return 0;
}

/* The queue index of the oldest event with token, or -1. */
static int
xs_find_event(const char *token)
{
	for (unsigned i = 0; i < xs_ev_count; i++) {
		unsigned k = (xs_ev_head + i) % XS_QUEUE;

		if (strcmp(xs_events[k].token, token) == 0)
			return (int)i;
	}
	return -1;
}

static int
xs_has_token_event(void *arg)
{
	return xs_find_event(arg) >= 0;
}

int
xs_watch_take(const char *token, char *path, size_t pcap, uint64_t deadline)
{
	int i, r = tm_wait(xs_has_token_event, (void *)token, deadline);

	if (r < 0)
		return r;
	i = xs_find_event(token);
	xs_copy_str(path, pcap, xs_events[(xs_ev_head + (unsigned)i) %
		    XS_QUEUE].path);
	/* Close the gap: the later events move up, keeping their order. */
	for (unsigned j = (unsigned)i; j + 1 < xs_ev_count; j++)
		xs_events[(xs_ev_head + j) % XS_QUEUE] =
			xs_events[(xs_ev_head + j + 1) % XS_QUEUE];
	xs_ev_count--;
	return 0;
}
