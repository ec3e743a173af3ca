/*
 * xentropyd's legacy MirageOS handshake: pieces, exact reply, violations
 * in the strict session (discard rate 0), and the default that discards
 * what the guest writes after its hello, bounded per second.
 */
#include "config.h"

#include <string.h>

#include "check.h"
#include "legacy-proto.h"

#define S 1000000000ULL
#define T0 (100 * S)

static void
test_hello_whole(void)
{
	struct xe_legacy_sess s;
	const char *p;
	size_t n;

	xe_legacy_init(&s, 0, T0);
	CHECK_EQ(xe_legacy_reply(&s, &n) == NULL, 1);
	CHECK_EQ(n, 0);
	CHECK_EQ(xe_legacy_input(&s, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN, T0),
	    XE_LS_REPLY);
	p = xe_legacy_reply(&s, &n);
	CHECK_EQ(n, XE_LEGACY_REPLY_LEN);
	CHECK(p != NULL && memcmp(p, "You may treat everything following "
	    "this message as entropy.\r\n", n) == 0);
	CHECK_EQ(xe_legacy_replied(&s, n), XE_LS_STREAM);
	CHECK_STR(xe_legacy_state_name(s.state), "stream");
}

static void
test_hello_in_pieces(void)
{
	struct xe_legacy_sess s;
	const char *h = XE_LEGACY_HELLO, *p;
	size_t n, i;

	/* One byte at a time: every proper prefix waits for more. */
	xe_legacy_init(&s, 0, T0);
	for (i = 0; i + 1 < XE_LEGACY_HELLO_LEN; i++)
		CHECK_EQ(xe_legacy_input(&s, h + i, 1, T0), XE_LS_HELLO);
	CHECK_EQ(xe_legacy_input(&s, h + i, 1, T0), XE_LS_REPLY);
	/* The reply written in pieces, as ring space allows. */
	p = xe_legacy_reply(&s, &n);
	CHECK_EQ(xe_legacy_replied(&s, 10), XE_LS_REPLY);
	CHECK(xe_legacy_reply(&s, &n) == p + 10);
	CHECK_EQ(n, XE_LEGACY_REPLY_LEN - 10);
	/* More than is left counts as what is left. */
	CHECK_EQ(xe_legacy_replied(&s, 1000), XE_LS_STREAM);
	CHECK_EQ(s.replied, XE_LEGACY_REPLY_LEN);
	/* Nothing is an input. */
	CHECK_EQ(xe_legacy_input(&s, "", 0, T0), XE_LS_STREAM);
}

/* What mirage/xentropyd did: discard after the hello; here, bounded. */
static void
test_discard(void)
{
	struct xe_legacy_sess s;
	char buf[4096];
	size_t n;

	memset(buf, 'x', sizeof(buf));
	xe_legacy_init(&s, 1024, T0);
	/* Before the hello, a wrong byte still ends the session. */
	CHECK_EQ(xe_legacy_input(&s, "Hello, may I", 12, T0), XE_LS_HELLO);
	CHECK_EQ(xe_legacy_input(&s, " HAVE", 5, T0), XE_LS_BAD);
	CHECK_STR(s.why, "sent something other than the hello");

	/* The hello and more in one read: the rest is discarded. */
	xe_legacy_init(&s, 1024, T0);
	memcpy(buf, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN);
	CHECK_EQ(xe_legacy_input(&s, buf, XE_LEGACY_HELLO_LEN + 100, T0),
	    XE_LS_REPLY);
	CHECK_EQ(s.discarded, 100);
	memset(buf, 'x', sizeof(buf));
	/* While replying and streaming: counted, the reply is unchanged. */
	CHECK_EQ(xe_legacy_input(&s, buf, 200, T0), XE_LS_REPLY);
	CHECK(xe_legacy_reply(&s, &n) != NULL && n == XE_LEGACY_REPLY_LEN);
	CHECK_EQ(xe_legacy_replied(&s, n), XE_LS_STREAM);
	CHECK_EQ(xe_legacy_input(&s, buf, 724, T0), XE_LS_STREAM);
	CHECK_EQ(s.discarded, 1024);
	/* A second's worth is used up: one more byte now is abuse. */
	CHECK_EQ(xe_legacy_input(&s, buf, 1, T0), XE_LS_BAD);
	CHECK_STR(s.why, "wrote faster than the discard limit after the "
	    "hello");
	CHECK_EQ(s.discarded, 1024);

	/* At the rate, a guest is never cut off. */
	xe_legacy_init(&s, 1024, T0);
	xe_legacy_input(&s, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN, T0);
	xe_legacy_replied(&s, XE_LEGACY_REPLY_LEN);
	for (int i = 0; i < 100; i++)
		CHECK_EQ(xe_legacy_input(&s, buf, 512, T0 + i * S / 2),
		    XE_LS_STREAM);
	CHECK_EQ(s.discarded, 51200);
	/* More than the bucket holds in one read, even when full. */
	CHECK_EQ(xe_legacy_input(&s, buf, 1025, T0 + 1000 * S), XE_LS_BAD);
}

static void
test_violations(void)
{
	struct xe_legacy_sess s;
	char buf[64];
	size_t n;

	xe_legacy_init(&s, 0, T0);
	CHECK_EQ(xe_legacy_input(&s, "Hello, may I", 12, T0), XE_LS_HELLO);
	CHECK_EQ(xe_legacy_input(&s, " HAVE", 5, T0), XE_LS_BAD);
	CHECK_STR(s.why, "sent something other than the hello");
	/* Once bad, it stays bad, and nothing is to be written. */
	CHECK_EQ(xe_legacy_input(&s, XE_LEGACY_HELLO, 5, T0), XE_LS_BAD);
	CHECK(xe_legacy_reply(&s, &n) == NULL);
	CHECK_EQ(xe_legacy_replied(&s, 5), XE_LS_BAD);

	/* The hello and one more byte in a single read. */
	xe_legacy_init(&s, 0, T0);
	memcpy(buf, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN);
	buf[XE_LEGACY_HELLO_LEN] = 'x';
	CHECK_EQ(xe_legacy_input(&s, buf, XE_LEGACY_HELLO_LEN + 1, T0),
	    XE_LS_BAD);
	CHECK_STR(s.why, "sent more than the hello");

	/* Anything after a complete hello, while replying or streaming. */
	xe_legacy_init(&s, 0, T0);
	xe_legacy_input(&s, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN, T0);
	CHECK_EQ(xe_legacy_input(&s, "\n", 1, T0), XE_LS_BAD);
	CHECK_STR(s.why, "sent bytes after the hello");
	xe_legacy_init(&s, 0, T0);
	xe_legacy_input(&s, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN, T0);
	xe_legacy_replied(&s, XE_LEGACY_REPLY_LEN);
	CHECK_EQ(xe_legacy_input(&s, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN, T0),
	    XE_LS_BAD);

	/* A binary first byte. */
	xe_legacy_init(&s, 0, T0);
	CHECK_EQ(xe_legacy_input(&s, "\0", 1, T0), XE_LS_BAD);
}

int
main(void)
{
	test_hello_whole();
	test_hello_in_pieces();
	test_violations();
	test_discard();
	return CHECK_DONE();
}
