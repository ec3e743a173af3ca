/*
 * xentropyd's ends of the vchan rings: indices and wrap-around, the event
 * bits of the vchan protocol both ways (and events deferred while the
 * daemon goes on writing), and a peer that writes impossible indices.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <libxenvchan.h>

#include "check.h"
#include "vring.h"

#define ORDER 6
#define SIZE (1u << ORDER)

struct fake {
	struct ring_shared shr;
	uint8_t buf[SIZE];
	uint8_t srv_notify, cli_notify;
	struct sendring r;
	struct recvring q;
};

static void
fake_init(struct fake *f, uint32_t start)
{
	memset(f, 0, sizeof(*f));
	f->shr.prod = f->shr.cons = start;
	sendring_init(&f->r, &f->shr, f->buf, ORDER, &f->srv_notify,
	    &f->cli_notify);
	recvring_init(&f->q, &f->shr, f->buf, ORDER, &f->srv_notify,
	    &f->cli_notify);
}

/* The peer writes n bytes at its prod, as libxenvchan would. */
static void
peer_write(struct fake *f, const uint8_t *in, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		f->buf[(f->shr.prod + i) & (SIZE - 1)] = in[i];
	f->shr.prod += n;
}

/* The peer reads n bytes at its cons, as libxenvchan would. */
static void
peer_read(struct fake *f, uint8_t *out, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		out[i] = f->buf[(f->shr.cons + i) & (SIZE - 1)];
	f->shr.cons += n;
}

static void
test_put_publish(void)
{
	struct fake f;
	uint8_t in[40], out[40];

	fake_init(&f, 0);
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i + 1);
	CHECK_EQ(sendring_space(&f.r, 1), (int)SIZE);
	sendring_put(&f.r, in, sizeof(in));
	/* Nothing shows before publish. */
	CHECK_EQ(f.shr.prod, 0);
	/* The peer did not ask for an event: none is due. */
	CHECK_EQ(sendring_publish(&f.r, 0), 0);
	CHECK_EQ(f.shr.prod, 40);
	peer_read(&f, out, sizeof(out));
	CHECK(memcmp(in, out, sizeof(in)) == 0);
	/* Asked: one event, and the request is used up. */
	f.srv_notify = VCHAN_NOTIFY_WRITE | VCHAN_NOTIFY_READ;
	sendring_put(&f.r, in, 1);
	CHECK_EQ(sendring_publish(&f.r, 0), 1);
	CHECK_EQ(f.srv_notify, VCHAN_NOTIFY_READ);
	/* Nothing new: no event even if asked. */
	f.srv_notify = VCHAN_NOTIFY_WRITE;
	CHECK_EQ(sendring_publish(&f.r, 0), 0);
	CHECK_EQ(f.srv_notify, VCHAN_NOTIFY_WRITE);
}

static void
test_wrap(void)
{
	struct fake f;
	uint8_t in[SIZE], out[SIZE];
	struct iovec iov[2];

	/* Indices about to wrap at 2^32, and an offset near the ring's end. */
	fake_init(&f, 0xfffffff0u);
	CHECK_EQ(sendring_space(&f.r, SIZE), (int)SIZE);
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(0xa0 + i);
	/* 0xfffffff0 & 63 = 48: 16 bytes to the end, the rest at 0. */
	CHECK_EQ(sendring_slots(&f.r, 50, iov), 2);
	CHECK_EQ(iov[0].iov_len, 16);
	CHECK(iov[0].iov_base == f.buf + 48);
	CHECK(iov[1].iov_base == f.buf);
	CHECK_EQ(iov[1].iov_len, 34);
	sendring_put(&f.r, in, 50);
	sendring_publish(&f.r, 0);
	CHECK_EQ(f.shr.prod, 0xfffffff0u + 50);
	CHECK_EQ(sendring_space(&f.r, 1), (int)SIZE - 50);
	peer_read(&f, out, 50);
	CHECK(memcmp(in, out, 50) == 0);
	/* Exactly to the end: one piece. */
	fake_init(&f, 16);
	CHECK_EQ(sendring_slots(&f.r, 48, iov), 1);
	CHECK_EQ(iov[0].iov_len, 48);
}

static void
test_full_asks_for_read_event(void)
{
	struct fake f;
	uint8_t in[SIZE] = { 0 }, out[8];

	fake_init(&f, 0);
	sendring_put(&f.r, in, SIZE - 4);
	sendring_publish(&f.r, 0);
	/* Room enough: no request. */
	CHECK_EQ(sendring_space(&f.r, 4), 4);
	CHECK_EQ(f.cli_notify, 0);
	/* Short: ask to hear when the peer reads. */
	CHECK_EQ(sendring_space(&f.r, 8), 4);
	CHECK_EQ(f.cli_notify, VCHAN_NOTIFY_READ);
	peer_read(&f, out, 8);
	CHECK_EQ(sendring_space(&f.r, 8), 12);
}

static void
test_hostile_peer(void)
{
	struct fake f;
	uint8_t in[16] = { 0 };

	fake_init(&f, 100);
	sendring_put(&f.r, in, sizeof(in));
	sendring_publish(&f.r, 0);
	/* A consumer ahead of the producer. */
	f.shr.cons = 117;
	CHECK_EQ(sendring_space(&f.r, 1), -EPROTO);
	/* A consumer more than a ring behind. */
	f.shr.cons = 116 - SIZE - 1;
	CHECK_EQ(sendring_space(&f.r, 1), -EPROTO);
	/* The peer rewriting prod does not move ours. */
	f.shr.cons = 116;
	f.shr.prod = 5;
	CHECK_EQ(sendring_space(&f.r, 1), (int)SIZE);
	sendring_put(&f.r, in, 1);
	sendring_publish(&f.r, 0);
	CHECK_EQ(f.shr.prod, 117);
}

/*
 * A reader faster than us asks again after each piece: while we go on
 * writing, it gets one event per quarter ring, and the last publish (not
 * batched) owes it the one it waits for.
 */
static void
test_batched_events(void)
{
	struct fake f;
	uint8_t in[SIZE] = { 0 }, out[SIZE];

	fake_init(&f, 0);
	f.srv_notify = VCHAN_NOTIFY_WRITE;
	sendring_put(&f.r, in, 4);
	/* Long since the last event: the first piece wakes the reader. */
	CHECK_EQ(sendring_publish(&f.r, SENDRING_BATCH), 1);
	CHECK_EQ(f.srv_notify, 0);
	peer_read(&f, out, 4);
	f.srv_notify = VCHAN_NOTIFY_WRITE;
	/* Less than a quarter ring since: deferred, the request kept. */
	sendring_put(&f.r, in, SIZE / 4 - 1);
	CHECK_EQ(sendring_publish(&f.r, SENDRING_BATCH), 0);
	CHECK_EQ(f.shr.prod, SIZE / 4 + 3);
	CHECK_EQ(f.srv_notify, VCHAN_NOTIFY_WRITE);
	/* A quarter since the last event: due. */
	sendring_put(&f.r, in, 1);
	CHECK_EQ(sendring_publish(&f.r, SENDRING_BATCH), 1);
	peer_read(&f, out, SIZE / 4);
	/* A deferred event is paid by the closing publish, with no news. */
	f.srv_notify = VCHAN_NOTIFY_WRITE;
	sendring_put(&f.r, in, 2);
	CHECK_EQ(sendring_publish(&f.r, SENDRING_BATCH), 0);
	CHECK_EQ(sendring_publish(&f.r, 0), 1);
	CHECK_EQ(sendring_publish(&f.r, 0), 0);
	/* A reader that did not ask when we showed the data is owed none. */
	sendring_put(&f.r, in, 2);
	CHECK_EQ(sendring_publish(&f.r, SENDRING_BATCH), 0);
	f.srv_notify = VCHAN_NOTIFY_WRITE;
	CHECK_EQ(sendring_publish(&f.r, 0), 0);
}

static void
test_recv(void)
{
	struct fake f;
	uint8_t in[SIZE], out[SIZE];
	int notify;

	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 3);
	/* Across the wrap of the buffer and of the 32-bit index. */
	fake_init(&f, 0xffffffffu - 10);
	CHECK_EQ(recvring_read(&f.q, out, sizeof(out), &notify), 0);
	peer_write(&f, in, 30);
	/* Reading asks for nothing. */
	CHECK_EQ(recvring_read(&f.q, out, 20, &notify), 20);
	CHECK_EQ(notify, 0);
	CHECK_EQ(f.cli_notify, 0);
	CHECK_EQ(f.shr.cons, 0xffffffffu - 10 + 20);
	CHECK_EQ(recvring_read(&f.q, out + 20, sizeof(out), &notify), 10);
	CHECK(memcmp(in, out, 30) == 0);
	/* A writer waiting for room gets its event, once. */
	f.srv_notify = VCHAN_NOTIFY_READ | VCHAN_NOTIFY_WRITE;
	peer_write(&f, in, 5);
	CHECK_EQ(recvring_read(&f.q, out, 3, &notify), 3);
	CHECK_EQ(notify, 1);
	CHECK_EQ(f.srv_notify, VCHAN_NOTIFY_WRITE);
	CHECK_EQ(recvring_read(&f.q, out, 3, &notify), 2);
	CHECK_EQ(notify, 0);
	/* Arming: with data it reports it; empty, it asks for writes. */
	peer_write(&f, in, 1);
	CHECK_EQ(recvring_arm(&f.q), 1);
	CHECK_EQ(f.cli_notify, 0);
	CHECK_EQ(recvring_read(&f.q, out, 1, &notify), 1);
	CHECK_EQ(recvring_arm(&f.q), 0);
	CHECK_EQ(f.cli_notify, VCHAN_NOTIFY_WRITE);
	/* Hostile producers: ahead by more than the ring, or behind. */
	f.shr.prod = f.shr.cons + SIZE + 1;
	CHECK_EQ(recvring_read(&f.q, out, 1, &notify), -EPROTO);
	CHECK_EQ(recvring_arm(&f.q), -EPROTO);
	f.shr.prod = f.shr.cons - 1;
	CHECK_EQ(recvring_read(&f.q, out, 1, &notify), -EPROTO);
	/* Our cons is ours: the peer rewriting it changes nothing. */
	f.shr.prod = f.q.cons + 2;
	f.shr.cons = 12345;
	CHECK_EQ(recvring_read(&f.q, out, 8, &notify), 2);
}

int
main(void)
{
	test_put_publish();
	test_wrap();
	test_full_asks_for_read_event();
	test_hostile_peer();
	test_batched_events();
	test_recv();
	return CHECK_DONE();
}
