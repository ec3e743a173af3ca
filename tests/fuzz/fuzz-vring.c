/*
 * libFuzzer target: xentropyd's ends of the vchan rings (xentropyd/vring.h)
 * against a guest that rewrites the shared page between our calls: both
 * rings' indices, the notify bytes and the data, to anything. The input is
 * a script of peer writes and daemon calls. Checked: a call accepts an
 * index only when it is possible and says -EPROTO otherwise; our own
 * index moves only by what we wrote or read; data lands and is read at
 * the ring offsets of our index; an event is owed only when the peer
 * asked for one, and the request is used up. The buffers are allocated
 * to the ring's exact size, so ASan sees any access outside the ring.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <libxenvchan.h>

#include "fuzz.h"
#include "vring.h"

struct page {
	struct ring_shared tx, rx;	/* daemon writes tx, reads rx */
	uint8_t *txbuf, *rxbuf;
	uint8_t srv_notify, cli_notify;	/* peer_asks, we_ask */
	uint32_t size;
};

/* What the daemon's indices must be: moved only by its own calls. */
struct ours {
	uint32_t prod, shown, cons;
	int space;		/* what the last sendring_space() said */
};

/* Our end of the send ring as the protocol allows: -EPROTO or free. */
static int
expect_free(const struct page *pg, uint32_t prod)
{
	uint32_t used = prod - pg->tx.cons;

	return used > pg->size ? -EPROTO : (int)(pg->size - used);
}

static int
expect_ready(const struct page *pg, uint32_t cons)
{
	uint32_t n = pg->rx.prod - cons;

	return n > pg->size ? -EPROTO : (int)n;
}

static void
send_ops(struct page *pg, struct sendring *s, struct fuzz_in *in,
	 struct ours *o, uint8_t op)
{
	uint8_t before = pg->srv_notify, tmp[1u << 12];
	size_t n, want;
	int r;

	switch (op) {
	case 0:		/* how much room, wanting some */
		want = fuzz_u32(in) % (pg->size * 2 + 1);
		r = sendring_space(s, want);
		FUZZ_CHECK(r == expect_free(pg, o->prod));
		if (r >= 0 && (size_t)r < want)
			FUZZ_CHECK(pg->cli_notify & VCHAN_NOTIFY_READ);
		o->space = r;
		break;
	case 1:		/* write into the room the last look found */
		if (o->space <= 0)
			break;
		n = fuzz_u32(in) % ((size_t)o->space + 1);
		memset(tmp, fuzz_u8(in), n);
		sendring_put(s, tmp, n);
		o->prod += (uint32_t)n;
		o->space -= (int)n;
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(pg->txbuf[(o->prod - n + i) &
			    (pg->size - 1)] == tmp[0]);
		break;
	case 2:		/* show it */
		r = sendring_publish(s, fuzz_u8(in) & SENDRING_BATCH);
		FUZZ_CHECK(r == 0 || r == 1);
		/* New data is always shown, even while an event waits. */
		if (o->shown != o->prod)
			FUZZ_CHECK(pg->tx.prod == o->prod);
		o->shown = o->prod;
		if (r == 1)
			FUZZ_CHECK((before & VCHAN_NOTIFY_WRITE) &&
			    !(pg->srv_notify & VCHAN_NOTIFY_WRITE));
		else
			FUZZ_CHECK(pg->srv_notify == before);
		break;
	}
	FUZZ_CHECK(s->prod == o->prod);
}

static void
recv_ops(struct page *pg, struct recvring *q, struct fuzz_in *in,
	 struct ours *o, uint8_t op)
{
	uint8_t before = pg->srv_notify, dst[1u << 12], copy[1u << 12];
	size_t n;
	int r, notify, ready;

	switch (op) {
	case 0:
		n = fuzz_u32(in) % (pg->size + 2);
		ready = expect_ready(pg, o->cons);
		memcpy(copy, pg->rxbuf, pg->size);
		r = recvring_read(q, dst, n, &notify);
		FUZZ_CHECK(ready < 0 ? r == -EPROTO :
		    r == (int)(n < (size_t)ready ? n : (size_t)ready));
		for (int i = 0; i < r; i++)
			FUZZ_CHECK(dst[i] ==
			    copy[(o->cons + (uint32_t)i) & (pg->size - 1)]);
		if (r > 0) {
			o->cons += (uint32_t)r;
			FUZZ_CHECK(pg->rx.cons == o->cons);
		}
		/* (A read of 0 bytes may owe an event: a spurious one.) */
		FUZZ_CHECK(notify == 0 ||
		    (r >= 0 && (before & VCHAN_NOTIFY_READ) &&
		    !(pg->srv_notify & VCHAN_NOTIFY_READ)));
		break;
	case 1:
		r = recvring_arm(q);
		FUZZ_CHECK(r == expect_ready(pg, o->cons));
		if (r == 0)
			FUZZ_CHECK(pg->cli_notify & VCHAN_NOTIFY_WRITE);
		break;
	}
	FUZZ_CHECK(q->cons == o->cons);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct page pg;
	struct sendring s;
	struct recvring q;
	unsigned int order = fuzz_u8(&in) % 13;
	struct ours o = { 0 };

	memset(&pg, 0, sizeof(pg));
	pg.size = 1u << order;
	pg.tx.prod = pg.tx.cons = fuzz_u32(&in);
	pg.rx.prod = pg.rx.cons = fuzz_u32(&in);
	pg.txbuf = calloc(1, pg.size);
	pg.rxbuf = calloc(1, pg.size);
	sendring_init(&s, &pg.tx, pg.txbuf, order, &pg.srv_notify,
	    &pg.cli_notify);
	recvring_init(&q, &pg.rx, pg.rxbuf, order, &pg.srv_notify,
	    &pg.cli_notify);
	o.prod = o.shown = pg.tx.prod;
	o.cons = pg.rx.cons;
	for (int steps = 0; in.left > 0 && steps < 512; steps++) {
		uint8_t op = fuzz_u8(&in);
		size_t n, off;
		const uint8_t *b;

		switch (op % 10) {
		/* The guest, writing anything anywhere. */
		case 0: pg.tx.cons = fuzz_u32(&in); break;
		case 1: pg.tx.prod = fuzz_u32(&in); break;
		case 2: pg.rx.prod = fuzz_u32(&in); break;
		case 3: pg.rx.cons = fuzz_u32(&in); break;
		case 4:
			pg.srv_notify = fuzz_u8(&in);
			pg.cli_notify = fuzz_u8(&in);
			break;
		case 5:
			n = fuzz_u8(&in);
			off = fuzz_u32(&in) % pg.size;
			b = fuzz_bytes(&in, n < pg.size - off ? n :
			    pg.size - off, &n);
			memcpy(pg.rxbuf + off, b, n);
			break;
		/* The daemon. */
		case 6: case 7: case 8:
			send_ops(&pg, &s, &in, &o, op % 10 - 6);
			break;
		case 9:
			recv_ops(&pg, &q, &in, &o, op / 10 % 2);
			break;
		}
	}
	free(pg.txbuf);
	free(pg.rxbuf);
	return 0;
}
