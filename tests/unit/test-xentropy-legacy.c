/* xentropyd's legacy MirageOS handshake: pieces, exact reply, violations. */
#include "config.h"

#include <string.h>

#include "check.h"
#include "legacy-proto.h"

static void
test_hello_whole(void)
{
	struct xe_legacy_sess s;
	const char *p;
	size_t n;

	xe_legacy_init(&s);
	CHECK_EQ(xe_legacy_reply(&s, &n) == NULL, 1);
	CHECK_EQ(n, 0);
	CHECK_EQ(xe_legacy_input(&s, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN),
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
	xe_legacy_init(&s);
	for (i = 0; i + 1 < XE_LEGACY_HELLO_LEN; i++)
		CHECK_EQ(xe_legacy_input(&s, h + i, 1), XE_LS_HELLO);
	CHECK_EQ(xe_legacy_input(&s, h + i, 1), XE_LS_REPLY);
	/* The reply written in pieces, as ring space allows. */
	p = xe_legacy_reply(&s, &n);
	CHECK_EQ(xe_legacy_replied(&s, 10), XE_LS_REPLY);
	CHECK(xe_legacy_reply(&s, &n) == p + 10);
	CHECK_EQ(n, XE_LEGACY_REPLY_LEN - 10);
	/* More than is left counts as what is left. */
	CHECK_EQ(xe_legacy_replied(&s, 1000), XE_LS_STREAM);
	CHECK_EQ(s.replied, XE_LEGACY_REPLY_LEN);
	/* Nothing is an input. */
	CHECK_EQ(xe_legacy_input(&s, "", 0), XE_LS_STREAM);
}

static void
test_violations(void)
{
	struct xe_legacy_sess s;
	char buf[64];
	size_t n;

	xe_legacy_init(&s);
	CHECK_EQ(xe_legacy_input(&s, "Hello, may I", 12), XE_LS_HELLO);
	CHECK_EQ(xe_legacy_input(&s, " HAVE", 5), XE_LS_BAD);
	CHECK_STR(s.why, "sent something other than the hello");
	/* Once bad, it stays bad, and nothing is to be written. */
	CHECK_EQ(xe_legacy_input(&s, XE_LEGACY_HELLO, 5), XE_LS_BAD);
	CHECK(xe_legacy_reply(&s, &n) == NULL);
	CHECK_EQ(xe_legacy_replied(&s, 5), XE_LS_BAD);

	/* The hello and one more byte in a single read. */
	xe_legacy_init(&s);
	memcpy(buf, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN);
	buf[XE_LEGACY_HELLO_LEN] = 'x';
	CHECK_EQ(xe_legacy_input(&s, buf, XE_LEGACY_HELLO_LEN + 1), XE_LS_BAD);
	CHECK_STR(s.why, "sent more than the hello");

	/* Anything after a complete hello, while replying or streaming. */
	xe_legacy_init(&s);
	xe_legacy_input(&s, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN);
	CHECK_EQ(xe_legacy_input(&s, "\n", 1), XE_LS_BAD);
	CHECK_STR(s.why, "sent bytes after the hello");
	xe_legacy_init(&s);
	xe_legacy_input(&s, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN);
	xe_legacy_replied(&s, XE_LEGACY_REPLY_LEN);
	CHECK_EQ(xe_legacy_input(&s, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN),
	    XE_LS_BAD);

	/* A binary first byte. */
	xe_legacy_init(&s);
	CHECK_EQ(xe_legacy_input(&s, "\0", 1), XE_LS_BAD);
}

int
main(void)
{
	test_hello_whole();
	test_hello_in_pieces();
	test_violations();
	return CHECK_DONE();
}
