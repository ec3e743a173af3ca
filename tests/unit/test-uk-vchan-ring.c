/*
 * The unikernel's vchan rings (unikernel/rt/vchan_ring.c) with the test
 * as the libxenvchan server, on a shared page in memory: layouts the
 * server may write (good and hostile), data across page boundaries of
 * scattered ring pages and across the ring's wrap, impossible indices,
 * the notify bits both ways, and the live flags.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "unikernel/rt/vchan_ring.h"

static union {
	struct vchan_interface v;
	uint8_t b[4096];
} shared __attribute__((aligned(4096)));

/* A 16 KiB right ring in four pages that are not in order in memory. */
static uint8_t ringmem[4][4096];
static uint8_t *rpages[4] = { ringmem[2], ringmem[0], ringmem[3], ringmem[1] };
static uint8_t *page0[1] = { shared.b };

static void
set_orders(unsigned left, unsigned right)
{
	memset(&shared, 0, sizeof(shared));
	shared.v.left_order = (uint16_t)left;
	shared.v.right_order = (uint16_t)right;
	shared.v.srv_live = 1;
	shared.v.cli_live = 2;
	shared.v.cli_notify = VCHAN_NOTIFY_WRITE;
}

static void
test_layout(void)
{
	struct vchan_layout l;

	/* xentropyd's: a 1 KiB request ring in the page, 32 KiB answers. */
	set_orders(10, 15);
	for (unsigned i = 0; i < 8; i++)
		shared.v.grants[i] = 100 + i;
	CHECK_EQ(vchan_layout_read(&shared.v, &l), 0);
	CHECK_EQ(l.worder, 10);
	CHECK_EQ(l.rorder, 15);
	CHECK_EQ(l.wpages, 0);
	CHECK_EQ(l.rpages, 8);
	CHECK_EQ(l.refs[0], 100);
	CHECK_EQ(l.refs[7], 107);
	CHECK_EQ(vchan_layout_offset(10), 1024);
	CHECK_EQ(vchan_layout_offset(11), 2048);

	/* libxenvchan's smallest: both rings in the page. */
	set_orders(10, 11);
	CHECK_EQ(vchan_layout_read(&shared.v, &l), 0);
	CHECK_EQ(l.wpages + l.rpages, 0);
	set_orders(11, 10);
	CHECK_EQ(vchan_layout_read(&shared.v, &l), 0);
	/* Both multi-page. */
	set_orders(12, 13);
	CHECK_EQ(vchan_layout_read(&shared.v, &l), 0);
	CHECK_EQ(l.wpages, 1);
	CHECK_EQ(l.rpages, 2);
	/* The largest we map: 1 MiB one way. */
	set_orders(10, 20);
	CHECK_EQ(vchan_layout_read(&shared.v, &l), -EPROTO);	/* list too long for the page's ring at 1024 */
	set_orders(11, 20);
	CHECK_EQ(vchan_layout_read(&shared.v, &l), 0);
	CHECK_EQ(l.rpages, 256);

	/* Hostile or broken layouts. */
	set_orders(9, 15);
	CHECK_EQ(vchan_layout_read(&shared.v, &l), -EPROTO);
	set_orders(10, 21);
	CHECK_EQ(vchan_layout_read(&shared.v, &l), -EPROTO);
	set_orders(10, 0xffff);
	CHECK_EQ(vchan_layout_read(&shared.v, &l), -EPROTO);
	set_orders(10, 10);	/* the same bytes both ways */
	CHECK_EQ(vchan_layout_read(&shared.v, &l), -EPROTO);
	set_orders(11, 11);
	CHECK_EQ(vchan_layout_read(&shared.v, &l), -EPROTO);
	set_orders(20, 20);	/* 512 pages: more than we map */
	CHECK_EQ(vchan_layout_read(&shared.v, &l), -E2BIG);
	set_orders(19, 19);	/* 256 pages: as many as we map */
	CHECK_EQ(vchan_layout_read(&shared.v, &l), 0);
	set_orders(10, 18);	/* 64 refs: 24 + 256 bytes, before 1024 */
	CHECK_EQ(vchan_layout_read(&shared.v, &l), 0);
	set_orders(10, 19);	/* 128 refs: 24 + 512 bytes */
	CHECK_EQ(vchan_layout_read(&shared.v, &l), 0);
}

/* The server's side of the right ring: writes n bytes of pattern. */
static uint32_t srv_prod;

static void
srv_put(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++, srv_prod++) {
		uint32_t at = srv_prod & (16384 - 1);

		rpages[at / 4096][at % 4096] = p[i];
	}
	__atomic_store_n(&shared.v.right.prod, srv_prod, __ATOMIC_RELEASE);
}

static void
ring_setup(struct vchan_ring *vr)
{
	struct vchan_buf w = { page0, 1024, 1024 };
	struct vchan_buf r = { rpages, 0, 16384 };

	set_orders(10, 14);
	srv_prod = 0;
	vchan_ring_init(vr, &shared.v, &w, &r);
	vchan_ring_connect(vr);
}

static void
test_read(void)
{
	static uint8_t in[20000], out[20000];
	struct vchan_ring vr;
	size_t total = 0;
	int notify, n;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + i / 251);
	ring_setup(&vr);
	CHECK_EQ(shared.v.cli_live, 1);
	CHECK_EQ(shared.v.srv_notify, VCHAN_NOTIFY_WRITE);
	CHECK(vchan_ring_server_live(&vr));

	/* Nothing yet; asking for data sets our request and finds none. */
	shared.v.srv_notify = 0;
	CHECK_EQ(vchan_ring_read(&vr, out, 10, &notify), 0);
	CHECK_EQ(vchan_ring_want_data(&vr), 0);
	CHECK_EQ(shared.v.srv_notify, VCHAN_NOTIFY_WRITE);

	/* Fill, drain in odd pieces, around the ring more than once. */
	while (total < sizeof(in)) {
		size_t chunk = sizeof(in) - total < 9000 ? sizeof(in) - total : 9000;
		size_t got = 0;

		srv_put(in + total, chunk);
		CHECK_EQ(vchan_ring_want_data(&vr), (int)chunk);
		while (got < chunk) {
			n = vchan_ring_read(&vr, out + total + got, 1234, &notify);
			CHECK(n > 0);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		total += chunk;
		CHECK_EQ(shared.v.right.cons, total);
	}
	CHECK(memcmp(in, out, sizeof(in)) == 0);

	/* The server waits for room: our read tells it, once. */
	shared.v.cli_notify = VCHAN_NOTIFY_READ | VCHAN_NOTIFY_WRITE;
	srv_put(in, 5);
	CHECK_EQ(vchan_ring_read(&vr, out, 5, &notify), 5);
	CHECK_EQ(notify, 1);
	CHECK_EQ(shared.v.cli_notify, VCHAN_NOTIFY_WRITE);
	srv_put(in, 5);
	CHECK_EQ(vchan_ring_read(&vr, out, 5, &notify), 5);
	CHECK_EQ(notify, 0);

	/* A prod more than a ring ahead is refused, and nothing consumed. */
	__atomic_store_n(&shared.v.right.prod, srv_prod + 16385, __ATOMIC_RELEASE);
	CHECK_EQ(vchan_ring_read(&vr, out, 10, &notify), -EPROTO);
	CHECK_EQ(vchan_ring_want_data(&vr), -EPROTO);
	/* ... and behind us too. */
	__atomic_store_n(&shared.v.right.prod, srv_prod - 1, __ATOMIC_RELEASE);
	CHECK_EQ(vchan_ring_read(&vr, out, 10, &notify), -EPROTO);
	/* Our cons is ours: the server scribbling on it changes nothing. */
	shared.v.right.prod = srv_prod;
	shared.v.right.cons = 12345;
	srv_put(in, 3);
	CHECK_EQ(vchan_ring_read(&vr, out, 10, &notify), 3);
	CHECK_EQ(shared.v.right.cons, srv_prod);

	shared.v.srv_live = 0;
	CHECK(!vchan_ring_server_live(&vr));
	shared.v.srv_live = 2;	/* not a server's value */
	CHECK(!vchan_ring_server_live(&vr));
	vchan_ring_disconnect(&vr);
	CHECK_EQ(shared.v.cli_live, 0);
}

static void
test_write(void)
{
	uint8_t msg[700], got[700];
	struct vchan_ring vr;
	uint32_t srv_cons = 0;
	int notify;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i ^ 0x5a);
	ring_setup(&vr);
	shared.v.cli_notify = 0;
	/* 700 fit; 324 more; then the 1 KiB ring is full. */
	CHECK_EQ(vchan_ring_write(&vr, msg, 700, &notify), 700);
	CHECK_EQ(notify, 0);
	CHECK_EQ(shared.v.left.prod, 700);
	CHECK(memcmp(shared.b + 1024, msg, 700) == 0);
	CHECK_EQ(vchan_ring_write(&vr, msg, 700, &notify), 324);
	CHECK_EQ(vchan_ring_write(&vr, msg, 700, &notify), 0);
	shared.v.srv_notify = 0;
	CHECK_EQ(vchan_ring_want_space(&vr), 0);
	CHECK_EQ(shared.v.srv_notify, VCHAN_NOTIFY_READ);

	/* The server reads 700 and waits for more: the next write tells it. */
	srv_cons = 700;
	__atomic_store_n(&shared.v.left.cons, srv_cons, __ATOMIC_RELEASE);
	shared.v.cli_notify = VCHAN_NOTIFY_WRITE;
	CHECK_EQ(vchan_ring_want_space(&vr), 700);
	CHECK_EQ(vchan_ring_write(&vr, msg, 700, &notify), 700);
	CHECK_EQ(notify, 1);
	CHECK_EQ(shared.v.cli_notify, 0);
	CHECK(memcmp(shared.b + 1024, msg, 700) == 0);
	/* Read up: 700 more wrap, 324 bytes at the ring's end, 376 at its start. */
	__atomic_store_n(&shared.v.left.cons, 1724, __ATOMIC_RELEASE);
	CHECK_EQ(vchan_ring_write(&vr, msg, 700, &notify), 700);
	memcpy(got, shared.b + 1024 + 700, 324);
	memcpy(got + 324, shared.b + 1024, 376);
	CHECK(memcmp(got, msg, 700) == 0);
	CHECK_EQ(shared.v.left.prod, 2424);
	/* The rest of the page (the other ring, the header) is untouched. */
	CHECK_EQ(shared.v.left_order, 10);
	CHECK_EQ(shared.b[2048], 0);

	/* A cons ahead of our prod, or more than a ring behind, is refused. */
	__atomic_store_n(&shared.v.left.cons, 2425, __ATOMIC_RELEASE);
	CHECK_EQ(vchan_ring_write(&vr, msg, 1, &notify), -EPROTO);
	__atomic_store_n(&shared.v.left.cons, 2424 - 1025, __ATOMIC_RELEASE);
	CHECK_EQ(vchan_ring_write(&vr, msg, 1, &notify), -EPROTO);
	CHECK_EQ(vchan_ring_want_space(&vr), -EPROTO);
	/* Our prod is ours. */
	shared.v.left.prod = 0;
	__atomic_store_n(&shared.v.left.cons, 2424, __ATOMIC_RELEASE);
	CHECK_EQ(vchan_ring_write(&vr, msg, 1, &notify), 1);
	CHECK_EQ(shared.v.left.prod, 2425);
}

int
main(void)
{
	test_layout();
	test_read();
	test_write();
	return CHECK_DONE();
}
