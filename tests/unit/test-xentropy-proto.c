/* xentropyd's protocol codec: frames, partial input, hostile input. */
#include "config.h"

#include <string.h>

#include "check.h"
#include "xentropy_proto.h"

static void
test_request_roundtrip(void)
{
	uint8_t b[64];
	struct xentropy_req r;
	size_t n = xentropy_encode_request(b, 4096);

	CHECK_EQ(n, XENTROPY_REQ_LEN);
	CHECK_EQ(b[0], 'X');
	CHECK_EQ(b[3], 'T');
	CHECK_EQ(xentropy_parse_request(b, n, &r), XENTROPY_P_FRAME);
	CHECK_EQ(r.count, 4096);
	CHECK_EQ(r.frame_len, XENTROPY_REQ_LEN);
	/* Every proper prefix asks for more. */
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(xentropy_parse_request(b, i, &r), XENTROPY_P_MORE);
	/* Two frames back to back: the first is parsed, its length told. */
	xentropy_encode_request(b + n, 1);
	CHECK_EQ(xentropy_parse_request(b, 2 * n, &r), XENTROPY_P_FRAME);
	CHECK_EQ(r.frame_len, n);
	CHECK_EQ(xentropy_parse_request(b + n, n, &r), XENTROPY_P_FRAME);
	CHECK_EQ(r.count, 1);
}

static void
test_request_errors(void)
{
	uint8_t b[128];
	struct xentropy_req r;

	/* Too large: framed, so an error response, not a closed channel. */
	xentropy_encode_request(b, XENTROPY_MAX_REQUEST + 1);
	CHECK_EQ(xentropy_parse_request(b, XENTROPY_REQ_LEN, &r),
	    XENTROPY_P_REJECT);
	CHECK_EQ(r.status, XENTROPY_TOO_LARGE);
	CHECK_EQ(r.frame_len, XENTROPY_REQ_LEN);
	xentropy_encode_request(b, XENTROPY_MAX_REQUEST);
	CHECK_EQ(xentropy_parse_request(b, XENTROPY_REQ_LEN, &r),
	    XENTROPY_P_FRAME);
	/* Zero bytes. */
	xentropy_encode_request(b, 0);
	CHECK_EQ(xentropy_parse_request(b, XENTROPY_REQ_LEN, &r),
	    XENTROPY_P_REJECT);
	CHECK_EQ(r.status, XENTROPY_BAD_REQUEST);
	/* A future version with a longer body: skipped whole, answered. */
	memset(b, 0xee, sizeof(b));
	xentropy_encode_header(b, XENTROPY_MAGIC, 2, XENTROPY_T_REQUEST, 20);
	CHECK_EQ(xentropy_parse_request(b, XENTROPY_HDR_LEN + 19, &r),
	    XENTROPY_P_MORE);
	CHECK_EQ(xentropy_parse_request(b, XENTROPY_HDR_LEN + 20, &r),
	    XENTROPY_P_REJECT);
	CHECK_EQ(r.status, XENTROPY_BAD_VERSION);
	CHECK_EQ(r.frame_len, XENTROPY_HDR_LEN + 20);
	/* A response sent to the daemon: wrong type. */
	xentropy_encode_response(b, 0, 0, 0);
	CHECK_EQ(xentropy_parse_request(b, XENTROPY_RESP_HEAD, &r),
	    XENTROPY_P_REJECT);
	CHECK_EQ(r.status, XENTROPY_BAD_REQUEST);
	CHECK_EQ(r.frame_len, XENTROPY_RESP_HEAD);
	/* A request with a body of the wrong size. */
	xentropy_encode_header(b, XENTROPY_MAGIC, 1, XENTROPY_T_REQUEST, 8);
	CHECK_EQ(xentropy_parse_request(b, XENTROPY_HDR_LEN + 8, &r),
	    XENTROPY_P_REJECT);
	CHECK_EQ(r.status, XENTROPY_BAD_REQUEST);
}

static void
test_request_fatal(void)
{
	uint8_t b[64];
	struct xentropy_req r;

	/* Bad magic is fatal from its first wrong byte: no waiting. */
	CHECK_EQ(xentropy_parse_request("Y", 1, &r), XENTROPY_P_FATAL);
	CHECK_EQ(xentropy_parse_request("XEN\0", 4, &r), XENTROPY_P_FATAL);
	CHECK_STR(r.why, "bad magic");
	CHECK_EQ(xentropy_parse_request("XEN", 3, &r), XENTROPY_P_MORE);
	/* An oversize length is fatal before its body arrives. */
	xentropy_encode_header(b, XENTROPY_MAGIC, 1, XENTROPY_T_REQUEST,
	    0xffffffffu);
	CHECK_EQ(xentropy_parse_request(b, XENTROPY_HDR_LEN, &r),
	    XENTROPY_P_FATAL);
	CHECK_STR(r.why, "oversize length");
	xentropy_encode_header(b, XENTROPY_MAGIC, 1, XENTROPY_T_REQUEST,
	    XENTROPY_MAX_IN_BODY + 1);
	CHECK_EQ(xentropy_parse_request(b, XENTROPY_HDR_LEN, &r),
	    XENTROPY_P_FATAL);
	xentropy_encode_header(b, XENTROPY_MAGIC, 1, XENTROPY_T_REQUEST,
	    XENTROPY_MAX_IN_BODY);
	CHECK_EQ(xentropy_parse_request(b, XENTROPY_HDR_LEN, &r),
	    XENTROPY_P_MORE);
	CHECK_EQ(xentropy_parse_request(NULL, 0, &r), XENTROPY_P_MORE);
}

static void
test_response(void)
{
	uint8_t b[XENTROPY_RESP_HEAD + 8];
	struct xentropy_resp r;

	CHECK_EQ(xentropy_encode_response(b, XENTROPY_OK, 0, 4096),
	    XENTROPY_RESP_HEAD);
	CHECK_EQ(xentropy_parse_response(b, XENTROPY_RESP_HEAD, 4096, &r),
	    XENTROPY_P_FRAME);
	CHECK_EQ(r.status, XENTROPY_OK);
	CHECK_EQ(r.data_len, 4096);
	/* More data than was asked for is a broken daemon. */
	CHECK_EQ(xentropy_parse_response(b, XENTROPY_RESP_HEAD, 4095, &r),
	    XENTROPY_P_FATAL);
	for (size_t i = 0; i < XENTROPY_RESP_HEAD; i++)
		CHECK_EQ(xentropy_parse_response(b, i, 4096, &r),
		    XENTROPY_P_MORE);
	xentropy_encode_response(b, XENTROPY_RATE_LIMITED, 1500, 0);
	CHECK_EQ(xentropy_parse_response(b, XENTROPY_RESP_HEAD, 64, &r),
	    XENTROPY_P_FRAME);
	CHECK_EQ(r.status, XENTROPY_RATE_LIMITED);
	CHECK_EQ(r.retry_after_ms, 1500);
	CHECK_EQ(r.data_len, 0);
	/* An error status with data attached. */
	xentropy_encode_response(b, XENTROPY_RATE_LIMITED, 1500, 4);
	CHECK_EQ(xentropy_parse_response(b, XENTROPY_RESP_HEAD, 64, &r),
	    XENTROPY_P_FATAL);
	/* A request is not a response. */
	xentropy_encode_request(b, 8);
	memset(b + XENTROPY_REQ_LEN, 0, 4);
	CHECK_EQ(xentropy_parse_response(b, XENTROPY_RESP_HEAD, 64, &r),
	    XENTROPY_P_FATAL);
	/* Length below the fixed part. */
	xentropy_encode_header(b, XENTROPY_MAGIC, 1, XENTROPY_T_RESPONSE, 7);
	CHECK_EQ(xentropy_parse_response(b, XENTROPY_RESP_HEAD, 64, &r),
	    XENTROPY_P_FATAL);
	xentropy_encode_header(b, XENTROPY_MAGIC, 9, XENTROPY_T_RESPONSE, 8);
	CHECK_EQ(xentropy_parse_response(b, XENTROPY_RESP_HEAD, 64, &r),
	    XENTROPY_P_FATAL);
	CHECK_STR(xentropy_status_name(XENTROPY_RATE_LIMITED), "rate-limited");
	CHECK_STR(xentropy_status_name(99), "unknown");
}

int
main(void)
{
	test_request_roundtrip();
	test_request_errors();
	test_request_fatal();
	test_response();
	return CHECK_DONE();
}
