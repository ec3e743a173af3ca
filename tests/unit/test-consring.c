/* lib/consring: copy once, validate indices, never overrun. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "consring.h"

/* struct xencons_interface, as Xen lays it out. */
struct intf {
	char in[1024];
	char out[2048];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};

/* The guest's side: put bytes into "out". */
static void
guest_write(struct intf *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p->out[(p->out_prod + i) % sizeof(p->out)] = s[i];
	p->out_prod += (uint32_t)n;
}

static void
test_layout(void)
{
	struct intf p;
	struct consring out, in;

	consring_out(&out, &p);
	consring_in(&in, &p);
	CHECK(out.data == p.out);
	CHECK(in.data == p.in);
	CHECK(out.prod == &p.out_prod && out.cons == &p.out_cons);
	CHECK(in.prod == &p.in_prod && in.cons == &p.in_cons);
	CHECK_EQ(out.size, 2048);
	CHECK_EQ(in.size, 1024);
}

static void
test_basic(void)
{
	struct intf p = { 0 };
	struct consring r;
	char buf[4096];
	uint32_t cons;
	int n;

	consring_out(&r, &p);
	CHECK_EQ(consring_peek(&r, buf, sizeof(buf), &cons), 0);
	guest_write(&p, "hello\n", 6);
	CHECK_EQ(consring_pending(&r), 6);
	n = consring_peek(&r, buf, sizeof(buf), &cons);
	CHECK_EQ(n, 6);
	CHECK(memcmp(buf, "hello\n", 6) == 0);
	/* peeking does not consume */
	CHECK_EQ(consring_pending(&r), 6);
	/* partial consume */
	consring_consume(&r, cons, 2);
	CHECK_EQ(p.out_cons, 2);
	n = consring_peek(&r, buf, 3, &cons);
	CHECK_EQ(n, 3);
	CHECK(memcmp(buf, "llo", 3) == 0);
	consring_consume(&r, cons, 4);
	CHECK_EQ(consring_pending(&r), 0);
}

/* Indices near UINT32_MAX and a wrap of the data. */
static void
test_wrap(void)
{
	struct intf p = { 0 };
	struct consring r;
	char buf[4096], want[2048];
	uint32_t cons;

	consring_out(&r, &p);
	p.out_cons = p.out_prod = UINT32_MAX - 100;
	for (size_t i = 0; i < sizeof(want); i++)
		want[i] = (char)('a' + i % 26);
	guest_write(&p, want, sizeof(want));	/* full ring, indices wrap */
	CHECK_EQ(consring_pending(&r), 2048);
	CHECK_EQ(consring_peek(&r, buf, sizeof(buf), &cons), 2048);
	CHECK(memcmp(buf, want, sizeof(want)) == 0);
	consring_consume(&r, cons, 2048);
	CHECK_EQ(p.out_cons, (uint32_t)(UINT32_MAX - 100 + 2048));
	CHECK_EQ(consring_pending(&r), 0);
}

static void
test_hostile(void)
{
	struct intf p = { 0 };
	struct consring r;
	char buf[4096];
	uint32_t cons = 77;

	consring_out(&r, &p);
	p.out_prod = 2049;	/* more than the ring holds */
	CHECK_EQ(consring_pending(&r), -EPROTO);
	CHECK_EQ(consring_peek(&r, buf, sizeof(buf), &cons), -EPROTO);
	CHECK_EQ(cons, 77);	/* untouched */
	p.out_cons = 10;
	p.out_prod = 5;		/* prod behind cons */
	CHECK_EQ(consring_peek(&r, buf, sizeof(buf), &cons), -EPROTO);
	p.out_prod = 10 + 2048;	/* exactly full is fine */
	CHECK_EQ(consring_peek(&r, buf, sizeof(buf), &cons), 2048);

	/* producer side, guest's hostile "in" indices */
	consring_in(&r, &p);
	p.in_cons = 0;
	p.in_prod = 1025;
	CHECK_EQ(consring_write(&r, "x", 1), -EPROTO);
	CHECK_EQ(p.in_prod, 1025);
	p.in_cons = 3000;	/* cons ahead of prod */
	p.in_prod = 5;
	CHECK_EQ(consring_write(&r, "x", 1), -EPROTO);
}

static void
test_write(void)
{
	struct intf p = { 0 };
	struct consring r;
	char big[1500];

	consring_in(&r, &p);
	memset(big, 'z', sizeof(big));
	p.in_cons = p.in_prod = UINT32_MAX - 3;
	CHECK_EQ(consring_write(&r, "abcdef", 6), 6);
	CHECK_EQ(p.in_prod, (uint32_t)(UINT32_MAX - 3 + 6));
	CHECK(p.in[(UINT32_MAX - 3) % 1024] == 'a');
	CHECK(p.in[(uint32_t)(UINT32_MAX - 3 + 5) % 1024] == 'f');
	/* only the free space is written */
	CHECK_EQ(consring_write(&r, big, sizeof(big)), 1024 - 6);
	CHECK_EQ(consring_write(&r, big, sizeof(big)), 0);
	p.in_cons += 100;
	CHECK_EQ(consring_write(&r, big, sizeof(big)), 100);
}

/*
 * A hostile guest changes the indices and data while we read. The
 * consumer must never report more than the ring holds nor read outside
 * it (ASan in the sanitizer build), whatever it sees.
 */
static int stop_flipping;	/* __atomic: read by the flipper thread */

static void *
flipper(void *arg)
{
	struct intf *p = arg;
	uint32_t x = 12345;

	while (!__atomic_load_n(&stop_flipping, __ATOMIC_RELAXED)) {
		x = x * 1103515245 + 12345;
		__atomic_store_n(&p->out_prod, x, __ATOMIC_RELAXED);
		__atomic_store_n(&p->out_cons, x >> 3, __ATOMIC_RELAXED);
		p->out[x % 2048] = (char)x;
	}
	return NULL;
}

static void
test_racing(void)
{
	struct intf *p = calloc(1, sizeof(*p));
	struct consring r;
	pthread_t t;
	char buf[2048];
	int bad = 0, ok = 0;

	consring_out(&r, p);
	if (pthread_create(&t, NULL, flipper, p) != 0) {
		free(p);
		return;
	}
	for (int i = 0; i < 200000; i++) {
		uint32_t cons;
		int n = consring_peek(&r, buf, sizeof(buf), &cons);

		if (n == -EPROTO)
			continue;
		if (n < 0 || n > 2048)
			bad++;
		else
			ok++;
	}
	__atomic_store_n(&stop_flipping, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	CHECK_EQ(bad, 0);
	free(p);
}

int
main(void)
{
	test_layout();
	test_basic();
	test_wrap();
	test_hostile();
	test_write();
	test_racing();
	return CHECK_DONE();
}
