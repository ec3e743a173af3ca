/* The unikernel's xenstore wire codec, built for the host. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "unikernel/rt/xs_wire.h"

static void
test_build(void)
{
	char buf[XS_WIRE_HDR + 64];
	struct xs_part p[] = { { "data/ready", 11 }, { "1", 1 } };
	struct xsd_sockmsg h;
	int n = xs_wire_build(buf, sizeof(buf), XS_WRITE, 7, 3, p, 2);

	CHECK_EQ(n, XS_WIRE_HDR + 12);
	memcpy(&h, buf, sizeof(h));
	CHECK_EQ(h.type, XS_WRITE);
	CHECK_EQ(h.req_id, 7);
	CHECK_EQ(h.tx_id, 3);
	CHECK_EQ(h.len, 12);
	/* path, its NUL, then the value without one */
	CHECK(memcmp(buf + XS_WIRE_HDR, "data/ready\0" "1", 12) == 0);

	/* exactly fitting, one byte short */
	CHECK_EQ(xs_wire_build(buf, XS_WIRE_HDR + 12, XS_WRITE, 1, 0, p, 2),
		 XS_WIRE_HDR + 12);
	CHECK_EQ(xs_wire_build(buf, XS_WIRE_HDR + 11, XS_WRITE, 1, 0, p, 2),
		 -ENOSPC);
	/* an empty payload */
	CHECK_EQ(xs_wire_build(buf, sizeof(buf), XS_TRANSACTION_START, 1, 0,
			       NULL, 0), XS_WIRE_HDR);
}

static void
test_build_limits(void)
{
	static char big[XENSTORE_PAYLOAD_MAX + 1];
	static char buf[XS_WIRE_HDR + XENSTORE_PAYLOAD_MAX + 16];
	struct xs_part max[] = { { big, XENSTORE_PAYLOAD_MAX } };
	struct xs_part over[] = { { big, XENSTORE_PAYLOAD_MAX }, { big, 1 } };
	/* two parts whose sum would wrap a size_t */
	struct xs_part wrap[] = { { big, 1 }, { big, SIZE_MAX } };

	CHECK_EQ(xs_wire_build(buf, sizeof(buf), XS_WRITE, 1, 0, max, 1),
		 XS_WIRE_HDR + XENSTORE_PAYLOAD_MAX);
	CHECK_EQ(xs_wire_build(buf, sizeof(buf), XS_WRITE, 1, 0, over, 2),
		 -E2BIG);
	CHECK_EQ(xs_wire_build(buf, sizeof(buf), XS_WRITE, 1, 0, wrap, 2),
		 -E2BIG);
}

static void
test_header(void)
{
	struct xsd_sockmsg in = { .type = XS_READ, .req_id = 9, .len = 5 }, h;
	char buf[XS_WIRE_HDR];

	memcpy(buf, &in, sizeof(in));
	/* incomplete headers, down to nothing */
	for (size_t i = 0; i < XS_WIRE_HDR; i++)
		CHECK_EQ(xs_wire_header(buf, i, &h), -EAGAIN);
	CHECK_EQ(xs_wire_header(buf, sizeof(buf), &h), XS_WIRE_HDR + 5);
	CHECK_EQ(h.req_id, 9);

	in.len = XENSTORE_PAYLOAD_MAX;
	memcpy(buf, &in, sizeof(in));
	CHECK_EQ(xs_wire_header(buf, sizeof(buf), &h),
		 XS_WIRE_HDR + XENSTORE_PAYLOAD_MAX);
	/* a hostile length is refused, however large */
	in.len = XENSTORE_PAYLOAD_MAX + 1;
	memcpy(buf, &in, sizeof(in));
	CHECK_EQ(xs_wire_header(buf, sizeof(buf), &h), -EPROTO);
	in.len = UINT32_MAX;
	memcpy(buf, &in, sizeof(in));
	CHECK_EQ(xs_wire_header(buf, sizeof(buf), &h), -EPROTO);
}

static int
error_of(const char *payload, uint32_t len)
{
	struct xsd_sockmsg h = { .type = XS_ERROR, .len = len };

	return xs_wire_error(&h, payload);
}

static void
test_error(void)
{
	struct xsd_sockmsg ok = { .type = XS_READ, .len = 6 };

	CHECK_EQ(xs_wire_error(&ok, "ENOENT"), 0);
	CHECK_EQ(error_of("ENOENT", 7), -ENOENT);
	CHECK_EQ(error_of("EACCES", 7), -EACCES);
	CHECK_EQ(error_of("EAGAIN", 7), -EAGAIN);
	CHECK_EQ(error_of("E2BIG", 6), -E2BIG);
	/* without its NUL inside len */
	CHECK_EQ(error_of("EPERM", 5), -EPERM);
	/* len cuts the name: not a name we know */
	CHECK_EQ(error_of("ENOENT", 3), -EIO);
	/* a prefix of a real name, or garbage */
	CHECK_EQ(error_of("EN", 3), -EIO);
	CHECK_EQ(error_of("EINVALX", 8), -EIO);
	CHECK_EQ(error_of("", 0), -EIO);
}

static void
test_watch_event(void)
{
	const char ev[] = "control/shutdown\0shutdown";
	const char *path = NULL, *token = NULL;

	CHECK_EQ(xs_wire_watch_event(ev, sizeof(ev), &path, &token), 0);
	CHECK_STR(path, "control/shutdown");
	CHECK_STR(token, "shutdown");
	/* the token's NUL outside len */
	CHECK_EQ(xs_wire_watch_event(ev, sizeof(ev) - 1, &path, &token),
		 -EPROTO);
	/* no NUL at all, or only the path's */
	CHECK_EQ(xs_wire_watch_event(ev, 16, &path, &token), -EPROTO);
	CHECK_EQ(xs_wire_watch_event(ev, 17, &path, &token), -EPROTO);
	CHECK_EQ(xs_wire_watch_event(ev, 0, &path, &token), -EPROTO);
	/* empty path and token are well-formed */
	CHECK_EQ(xs_wire_watch_event("\0", 2, &path, &token), 0);
	CHECK_STR(token, "");
}

/* A message built by the codec parses back to the same header. */
static void
test_roundtrip(void)
{
	char buf[XS_WIRE_HDR + 32];
	struct xs_part p[] = { { "a\0tok", 6 } };
	struct xsd_sockmsg h;
	const char *path, *token;
	int n = xs_wire_build(buf, sizeof(buf), XS_WATCH_EVENT, 0, 0, p, 1);

	CHECK_EQ(xs_wire_header(buf, (size_t)n, &h), n);
	CHECK_EQ(h.type, XS_WATCH_EVENT);
	CHECK_EQ(xs_wire_watch_event(buf + XS_WIRE_HDR, h.len, &path, &token),
		 0);
	CHECK_STR(path, "a");
	CHECK_STR(token, "tok");
}

int
main(void)
{
	test_build();
	test_build_limits();
	test_header();
	test_error();
	test_watch_event();
	test_roundtrip();
	return CHECK_DONE();
}
