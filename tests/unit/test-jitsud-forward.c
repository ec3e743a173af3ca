/*
 * Forwarding's state machine with plain memory: IDs from a test sequence,
 * responses matched by ID, question and source; timeouts and failures
 * move to the next resolver; TC moves to TCP; the client gets its own
 * ID, and SERVFAIL when every try is spent.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "forward.h"

static uint16_t next_id = 0x1000;

static uint16_t
seq(void *arg)
{
	(void)arg;
	return next_id++;
}

static struct sockaddr_storage res[2];

static void
addr(struct sockaddr_storage *ss, const char *ip, uint16_t port)
{
	struct sockaddr_in *a = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	inet_pton(AF_INET, ip, &a->sin_addr);
}

/* A query for www.example.org A with id; "WWW" when upper. */
static size_t
query(uint8_t *q, uint16_t id, bool upper)
{
	static const uint8_t name[] = "\3www\7example\3org";
	size_t n = sizeof(name);	/* with the root's 0 */

	memset(q, 0, 12);
	q[0] = (uint8_t)(id >> 8);
	q[1] = (uint8_t)id;
	q[2] = 1;
	q[5] = 1;
	memcpy(q + 12, name, n);
	if (upper)
		memcpy(q + 13, "WWW", 3);
	q[12 + n] = 0;
	q[13 + n] = 1;
	q[14 + n] = 0;
	q[15 + n] = 1;
	return 16 + n;
}

/* The response to q: QR, rcode, an answer of extra bytes. */
static size_t
response(uint8_t *r, const uint8_t *q, size_t qlen, uint16_t id, int rcode,
    size_t extra, bool tc)
{
	memcpy(r, q, qlen);
	r[0] = (uint8_t)(id >> 8);
	r[1] = (uint8_t)id;
	r[2] |= 0x80 | (tc ? 0x02 : 0);
	r[3] = (uint8_t)(0x80 | rcode);
	memset(r + qlen, 0xaa, extra);
	if (extra)
		r[7] = 1;
	return qlen + extra;
}

static struct sockaddr *
from(int i)
{
	return (struct sockaddr *)&res[i];
}

#define FL sizeof(struct sockaddr_in)

static uint8_t q[512], r[4096];

static void
test_answer(void)
{
	struct fwd_limits l = { 2, 1000, 2 };
	struct fwd *f = fwd_new(&l, res, 2, seq, NULL);
	struct fwd_event ev;
	size_t ql = query(q, 0xbeef, false), rl;
	uint16_t id;

	next_id = 0x1000;
	CHECK_EQ(fwd_start(f, q, ql, false, 1232, 0, &ev), 0);
	CHECK_EQ(ev.action, FWD_SEND);
	CHECK_EQ(ev.resolver, 0);
	CHECK(!ev.tcp);
	CHECK_EQ(ev.len, ql);
	id = (uint16_t)(ev.msg[0] << 8 | ev.msg[1]);
	CHECK_EQ(id, 0x1000);
	CHECK_EQ(fwd_pending(f), 1);
	CHECK_EQ(fwd_next_deadline(f), 1000);

	/* not the answer: wrong ID, wrong source, wrong question, no QR */
	rl = response(r, q, ql, 0x1001, 0, 16, false);
	fwd_response(f, ev.slot, from(0), FL, r, rl, 5, &ev);
	CHECK_EQ(ev.action, FWD_NONE);
	rl = response(r, q, ql, id, 0, 16, false);
	fwd_response(f, 0, from(1), FL, r, rl, 5, &ev);
	CHECK_EQ(ev.action, FWD_NONE);
	r[ql - 1] = 28;	/* AAAA */
	fwd_response(f, 0, from(0), FL, r, rl, 5, &ev);
	CHECK_EQ(ev.action, FWD_NONE);
	rl = response(r, q, ql, id, 0, 16, false);
	r[2] &= 0x7f;
	fwd_response(f, 0, from(0), FL, r, rl, 5, &ev);
	CHECK_EQ(ev.action, FWD_NONE);
	fwd_response(f, 0, from(0), FL, r, 20, 5, &ev);	/* runt */
	CHECK_EQ(ev.action, FWD_NONE);

	/* the answer, with the name's case changed: the client's ID back */
	query(q, 0xbeef, true);
	rl = response(r, q, ql, id, 0, 16, false);
	fwd_response(f, 0, from(0), FL, r, rl, 5, &ev);
	CHECK_EQ(ev.action, FWD_REPLY);
	CHECK_EQ(ev.slot, 0);
	CHECK_EQ(ev.len, rl);
	CHECK_EQ(ev.msg[0], 0xbe);
	CHECK_EQ(ev.msg[1], 0xef);
	CHECK(memcmp(ev.msg + 2, r + 2, rl - 2) == 0);
	CHECK_EQ(fwd_pending(f), 0);
	CHECK_EQ(fwd_next_deadline(f), UINT64_MAX);
	/* a late duplicate finds nothing */
	fwd_response(f, 0, from(0), FL, r, rl, 6, &ev);
	CHECK_EQ(ev.action, FWD_NONE);
	fwd_free(f);
}

static void
test_retries(void)
{
	struct fwd_limits l = { 4, 100, 3 };
	struct fwd *f = fwd_new(&l, res, 2, seq, NULL);
	struct fwd_event ev;
	size_t ql = query(q, 7, false), rl;
	uint16_t id0, id1;

	next_id = 0x2000;
	CHECK_EQ(fwd_start(f, q, ql, false, 512, 0, &ev), 0);
	id0 = (uint16_t)(ev.msg[0] << 8 | ev.msg[1]);
	fwd_expire(f, 99, &ev);
	CHECK_EQ(ev.action, FWD_NONE);
	/* a timeout: the next resolver, a new ID */
	fwd_expire(f, 100, &ev);
	CHECK_EQ(ev.action, FWD_SEND);
	CHECK_EQ(ev.resolver, 1);
	id1 = (uint16_t)(ev.msg[0] << 8 | ev.msg[1]);
	CHECK(id1 != id0);
	CHECK_EQ(fwd_next_deadline(f), 200);
	/* the first resolver's late answer no longer counts */
	rl = response(r, q, ql, id0, 0, 16, false);
	fwd_response(f, ev.slot, from(0), FL, r, rl, 150, &ev);
	CHECK_EQ(ev.action, FWD_NONE);
	/* SERVFAIL from the second: the first again (third try) */
	rl = response(r, q, ql, id1, 2, 0, false);
	fwd_response(f, 0, from(1), FL, r, rl, 150, &ev);
	CHECK_EQ(ev.action, FWD_SEND);
	CHECK_EQ(ev.resolver, 0);
	/* the socket failed: no tries left, SERVFAIL with the client's ID */
	fwd_failed(f, 0, 160, &ev);
	CHECK_EQ(ev.action, FWD_REPLY);
	CHECK_EQ(ev.len, ql);
	CHECK_EQ(ev.msg[1], 7);
	CHECK_EQ(ev.msg[2] & 0x80, 0x80);
	CHECK_EQ(ev.msg[2] & 0x01, 0x01);	/* RD kept */
	CHECK_EQ(ev.msg[3] & 0xf, 2);
	CHECK_EQ(fwd_pending(f), 0);
	fwd_free(f);
}

static void
test_truncation(void)
{
	struct fwd_limits l = { 4, 100, 2 };
	struct fwd *f = fwd_new(&l, res, 1, seq, NULL);
	struct fwd_event ev;
	size_t ql = query(q, 9, false), rl;
	uint16_t id;

	/* TC over UDP: the same resolver over TCP */
	CHECK_EQ(fwd_start(f, q, ql, false, 512, 0, &ev), 0);
	id = (uint16_t)(ev.msg[0] << 8 | ev.msg[1]);
	rl = response(r, q, ql, id, 0, 0, true);
	fwd_response(f, ev.slot, from(0), FL, r, rl, 1, &ev);
	CHECK_EQ(ev.action, FWD_SEND);
	CHECK(ev.tcp);
	CHECK_EQ(ev.resolver, 0);
	id = (uint16_t)(ev.msg[0] << 8 | ev.msg[1]);
	/* a 1000-byte answer over TCP, for a client of 512: header and
	 * question with TC */
	rl = response(r, q, ql, id, 0, 1000 - ql, false);
	fwd_response(f, ev.slot, NULL, 0, r, rl, 2, &ev);
	CHECK_EQ(ev.action, FWD_REPLY);
	CHECK_EQ(ev.len, ql);
	CHECK_EQ(ev.msg[2] & 0x02, 0x02);
	CHECK_EQ(ev.msg[7], 0);
	CHECK_EQ(ev.msg[1], 9);
	/* a TCP client takes it whole, and its query goes over TCP */
	CHECK_EQ(fwd_start(f, q, ql, true, 512, 0, &ev), 0);
	CHECK(ev.tcp);
	id = (uint16_t)(ev.msg[0] << 8 | ev.msg[1]);
	rl = response(r, q, ql, id, 0, 1000 - ql, false);
	fwd_response(f, ev.slot, NULL, 0, r, rl, 2, &ev);
	CHECK_EQ(ev.action, FWD_REPLY);
	CHECK_EQ(ev.len, 1000);
	fwd_free(f);
}

static void
test_bounds(void)
{
	struct fwd_limits l = { 2, 100, 2 };
	struct fwd *f = fwd_new(&l, res, 2, seq, NULL);
	struct fwd *none = fwd_new(&l, res, 0, seq, NULL);
	struct fwd_event ev;
	size_t ql = query(q, 1, false);

	CHECK_EQ(fwd_start(f, q, ql, false, 512, 0, &ev), 0);
	CHECK_EQ(fwd_start(f, q, ql, false, 512, 0, &ev), 0);
	CHECK_EQ(fwd_start(f, q, ql, false, 512, 0, &ev), -ENOSPC);
	CHECK_EQ(fwd_pending(f), 2);
	CHECK_EQ(fwd_start(f, q, 11, false, 512, 0, &ev), -EINVAL);
	CHECK_EQ(fwd_start(none, q, ql, false, 512, 0, &ev), -EINVAL);
	q[5] = 2;	/* two questions */
	CHECK_EQ(fwd_start(f, q, ql, false, 512, 0, &ev), -EINVAL);
	q[5] = 1;
	CHECK_EQ(fwd_start(f, q, ql - 3, false, 512, 0, &ev), -EINVAL);
	fwd_response(f, 99, NULL, 0, r, 100, 0, &ev);	/* no such slot */
	CHECK_EQ(ev.action, FWD_NONE);
	fwd_free(f);
	fwd_free(none);
}

int
main(void)
{
	addr(&res[0], "192.0.2.1", 53);
	addr(&res[1], "192.0.2.2", 53);
	test_answer();
	test_retries();
	test_truncation();
	test_bounds();
	return CHECK_DONE();
}
