/*
 * The unikernel's xenstore client (unikernel/rt/xs_client.c) against a
 * fake xenstored on a store page in memory: replies bigger than the ring,
 * watch events that arrive before a reply or wait for another token, a
 * stale reply, errors, and a hostile length. The client's neighbours
 * (event channels, clock, start_info) are replaced by the fakes below.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "consring.h"
#include "unikernel/rt/clock.h"
#include "unikernel/rt/evtchn.h"
#include "unikernel/rt/startinfo.h"
#include "unikernel/rt/xs_client.h"
#include "unikernel/rt/xs_wire.h"

static struct xenstore_domain_interface page;
static start_info_t info = { .store_mfn = 5, .store_evtchn = 3 };
static ev_handler_fn *handler;
static void *handler_arg;

/* The fake xenstored: what it still has to send, and its ring ends. */
static char out[4 * (XS_WIRE_HDR + XENSTORE_PAYLOAD_MAX)];
static size_t out_len, out_off;
static struct consring srv_req, srv_rsp;
static char req[XS_WIRE_HDR + XENSTORE_PAYLOAD_MAX];
static size_t req_len;
static int tx_ended_commit = -1;

enum mode { NORMAL, EVENT_FIRST, STALE_FIRST, HOSTILE, SILENT };
static enum mode mode;

static void
srv_queue(uint32_t type, uint32_t req_id, uint32_t tx, const void *p,
	  size_t len)
{
	struct xs_part part = { p, len };
	int n = xs_wire_build(out + out_len, sizeof(out) - out_len, type,
			      req_id, tx, &part, 1);

	CHECK(n > 0);
	out_len += (size_t)n;
}

static void
srv_answer(const struct xsd_sockmsg *h, const char *payload)
{
	static char big[3000];

	switch (mode) {
	case EVENT_FIRST:
		srv_queue(XS_WATCH_EVENT, 0, 0, "data/x\0tok", 11);
		break;
	case STALE_FIRST:
		srv_queue(XS_READ, h->req_id - 1, 0, "stale", 5);
		break;
	case HOSTILE: {
		struct xsd_sockmsg bad = { .type = XS_READ,
					   .req_id = h->req_id,
					   .len = XENSTORE_PAYLOAD_MAX + 1 };

		memcpy(out + out_len, &bad, sizeof(bad));
		out_len += sizeof(bad);
		return;
	}
	case SILENT:
		return;
	case NORMAL:
		break;
	}
	switch (h->type) {
	case XS_READ:
		if (strcmp(payload, "missing") == 0) {
			srv_queue(XS_ERROR, h->req_id, 0, "ENOENT", 7);
		} else if (strcmp(payload, "big") == 0) {
			for (size_t i = 0; i < sizeof(big); i++)
				big[i] = (char)('a' + i % 26);
			srv_queue(XS_READ, h->req_id, 0, big, sizeof(big));
		} else {
			srv_queue(XS_READ, h->req_id, 0, "value", 5);
		}
		break;
	case XS_TRANSACTION_START:
		srv_queue(h->type, h->req_id, 0, "17", 3);
		break;
	case XS_TRANSACTION_END:
		tx_ended_commit = h->tx_id == 17 && payload[0] == 'T';
		srv_queue(h->type, h->req_id, 0, "OK", 3);
		break;
	default:
		srv_queue(h->type, h->req_id, 0, "OK", 3);
		break;
	}
}

/* Moves bytes both ways, as much as the rings take. */
static void
srv_run(void)
{
	uint32_t cons;
	int n;

	while ((n = consring_peek(&srv_req, req + req_len,
				  sizeof(req) - req_len, &cons)) > 0) {
		struct xsd_sockmsg h;
		int total;

		consring_consume(&srv_req, cons, (uint32_t)n);
		req_len += (size_t)n;
		total = xs_wire_header(req, req_len, &h);
		if (total > 0 && req_len >= (size_t)total) {
			char payload[XENSTORE_PAYLOAD_MAX + 1];

			memcpy(payload, req + XS_WIRE_HDR, h.len);
			payload[h.len] = '\0';
			srv_answer(&h, payload);
			memmove(req, req + total, req_len - (size_t)total);
			req_len -= (size_t)total;
		}
	}
	if (out_off < out_len) {
		n = consring_write(&srv_rsp, out + out_off, out_len - out_off);
		CHECK(n >= 0);
		out_off += (size_t)n;
		if (out_off == out_len)
			out_off = out_len = 0;
	}
}

/* The fakes of the client's neighbours. */
const start_info_t *
si_get(void)
{
	return &info;
}

void *
si_mfn_to_virt(xen_pfn_t mfn)
{
	CHECK_EQ(mfn, 5);
	return &page;
}

int
ev_register(evtchn_port_t port, ev_handler_fn *fn, void *arg)
{
	CHECK_EQ(port, 3);
	handler = fn;
	handler_arg = arg;
	return 0;
}

int
ev_send(evtchn_port_t port)
{
	CHECK_EQ(port, 3);
	return 0;
}

static uint64_t fake_now;

uint64_t
tm_now(void)
{
	return fake_now;
}

/* Each round: the server moves data, the store port fires, 1 ms passes. */
int
tm_wait(int (*done)(void *), void *arg, uint64_t deadline)
{
	for (;;) {
		srv_run();
		handler(3, handler_arg);
		if (done && done(arg))
			return 0;
		if (deadline && fake_now >= deadline)
			return -ETIMEDOUT;
		fake_now += TM_MS;
	}
}

int
main(void)
{
	static char buf[XENSTORE_PAYLOAD_MAX + 1];
	char path[32], token[8];
	uint32_t tx = 0;

	srv_req.data = page.req;
	srv_req.size = XENSTORE_RING_SIZE;
	srv_req.cons = &page.req_cons;
	srv_req.prod = &page.req_prod;
	srv_rsp.data = page.rsp;
	srv_rsp.size = XENSTORE_RING_SIZE;
	srv_rsp.cons = &page.rsp_cons;
	srv_rsp.prod = &page.rsp_prod;
	CHECK_EQ(xs_init(), 0);

	CHECK_EQ(xs_read(0, "data/x", buf, sizeof(buf)), 5);
	CHECK_STR(buf, "value");
	CHECK_EQ(xs_write(0, "data/ready", "1"), 0);
	CHECK_EQ(xs_read(0, "missing", buf, sizeof(buf)), -ENOENT);
	CHECK_EQ(xs_read(0, "data/x", buf, 5), -ERANGE);

	/* three times the ring, in pieces */
	CHECK_EQ(xs_read(0, "big", buf, sizeof(buf)), 3000);
	CHECK(buf[0] == 'a' && buf[2999] == 'a' + 2999 % 26);

	/* a request bigger than the ring goes out in pieces too */
	memset(buf, 'v', 2500);
	buf[2500] = '\0';
	CHECK_EQ(xs_write(0, "data/long", buf), 0);

	CHECK_EQ(xs_tx_start(&tx), 0);
	CHECK_EQ(tx, 17);
	CHECK_EQ(xs_write(tx, "data/a", "1"), 0);
	CHECK_EQ(xs_tx_end(tx, 1), 0);
	CHECK_EQ(tx_ended_commit, 1);

	/* an event before the reply is kept for xs_watch_wait */
	mode = EVENT_FIRST;
	CHECK_EQ(xs_watch("data/x", "tok"), 0);
	mode = NORMAL;
	CHECK_EQ(xs_watch_wait(path, sizeof(path), token, sizeof(token), 0), 0);
	CHECK_STR(path, "data/x");
	CHECK_STR(token, "tok");
	/* none left: times out */
	CHECK_EQ(xs_watch_wait(path, sizeof(path), token, sizeof(token),
			       fake_now + 5 * TM_MS), -ETIMEDOUT);

	/* one token's event is taken; the others keep their order */
	srv_queue(XS_WATCH_EVENT, 0, 0, "p/1\0a", 6);
	srv_queue(XS_WATCH_EVENT, 0, 0, "p/2\0b", 6);
	srv_queue(XS_WATCH_EVENT, 0, 0, "p/3\0a", 6);
	CHECK_EQ(xs_watch_take("b", path, sizeof(path), 0), 0);
	CHECK_STR(path, "p/2");
	CHECK_EQ(xs_watch_take("a", path, sizeof(path), 0), 0);
	CHECK_STR(path, "p/1");
	CHECK_EQ(xs_watch_wait(path, sizeof(path), token, sizeof(token), 0), 0);
	CHECK_STR(path, "p/3");
	CHECK_STR(token, "a");
	CHECK_EQ(xs_watch_take("b", path, sizeof(path), fake_now + 5 * TM_MS),
		 -ETIMEDOUT);

	/* a reply to another request is not taken for ours */
	mode = STALE_FIRST;
	CHECK_EQ(xs_read(0, "data/x", buf, sizeof(buf)), 5);
	CHECK_STR(buf, "value");

	/* no answer: the request gives up after its 10 s */
	mode = SILENT;
	CHECK_EQ(xs_read(0, "data/x", buf, sizeof(buf)), -ETIMEDOUT);

	/* a hostile length is not followed into memory; the request fails */
	mode = HOSTILE;
	CHECK_EQ(xs_read(0, "data/x", buf, sizeof(buf)), -ETIMEDOUT);
	CHECK(page.rsp_prod - page.rsp_cons <= XENSTORE_RING_SIZE);
	return CHECK_DONE();
}
