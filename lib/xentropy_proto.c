/* The xentropy protocol codec: no I/O, no allocation. */
#include "config.h"

#include <string.h>

#include "xentropy_proto.h"

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/*
 * The magic's bytes seen so far (up to 4) match: a wrong magic is fatal
 * as soon as its first bytes disagree, before the header is complete.
 */
static int
magic_ok(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < 4 && i < len; i++)
		if (p[i] != (uint8_t)(XENTROPY_MAGIC >> (24 - 8 * i)))
			return 0;
	return 1;
}

enum xentropy_parse
xentropy_parse_request(const void *buf, size_t len, struct xentropy_req *r)
{
	const uint8_t *p = buf;
	uint32_t length;

	memset(r, 0, sizeof(*r));
	if (!magic_ok(p, len)) {
		r->why = "bad magic";
		return XENTROPY_P_FATAL;
	}
	if (len < XENTROPY_HDR_LEN)
		return XENTROPY_P_MORE;
	length = get32(p + 8);
	if (length > XENTROPY_MAX_IN_BODY) {
		r->why = "oversize length";
		return XENTROPY_P_FATAL;
	}
	if (len < XENTROPY_HDR_LEN + (size_t)length)
		return XENTROPY_P_MORE;
	r->frame_len = XENTROPY_HDR_LEN + length;
	if (p[4] != XENTROPY_VERSION) {
		r->status = XENTROPY_BAD_VERSION;
		r->why = "unsupported version";
		return XENTROPY_P_REJECT;
	}
	if (p[5] != XENTROPY_T_REQUEST) {
		r->status = XENTROPY_BAD_REQUEST;
		r->why = "unexpected message type";
		return XENTROPY_P_REJECT;
	}
	if (length != XENTROPY_REQ_BODY) {
		r->status = XENTROPY_BAD_REQUEST;
		r->why = "bad request length";
		return XENTROPY_P_REJECT;
	}
	r->count = get32(p + XENTROPY_HDR_LEN);
	if (r->count == 0) {
		r->status = XENTROPY_BAD_REQUEST;
		r->why = "request for 0 bytes";
		return XENTROPY_P_REJECT;
	}
	if (r->count > XENTROPY_MAX_REQUEST) {
		r->status = XENTROPY_TOO_LARGE;
		r->why = "request too large";
		return XENTROPY_P_REJECT;
	}
	return XENTROPY_P_FRAME;
}

enum xentropy_parse
xentropy_parse_response(const void *buf, size_t len, uint32_t max_data,
			struct xentropy_resp *r)
{
	const uint8_t *p = buf;
	uint32_t length;

	memset(r, 0, sizeof(*r));
	if (!magic_ok(p, len)) {
		r->why = "bad magic";
		return XENTROPY_P_FATAL;
	}
	if (len < XENTROPY_RESP_HEAD)
		return XENTROPY_P_MORE;
	if (p[4] != XENTROPY_VERSION) {
		r->why = "unsupported version";
		return XENTROPY_P_FATAL;
	}
	if (p[5] != XENTROPY_T_RESPONSE) {
		r->why = "unexpected message type";
		return XENTROPY_P_FATAL;
	}
	length = get32(p + 8);
	if (length < XENTROPY_RESP_FIXED ||
	    length - XENTROPY_RESP_FIXED > max_data ||
	    length - XENTROPY_RESP_FIXED > XENTROPY_MAX_REQUEST) {
		r->why = "bad response length";
		return XENTROPY_P_FATAL;
	}
	r->status = get16(p + XENTROPY_HDR_LEN);
	r->retry_after_ms = get32(p + XENTROPY_HDR_LEN + 4);
	r->data_len = length - XENTROPY_RESP_FIXED;
	if (r->status != XENTROPY_OK && r->data_len != 0) {
		r->why = "data with an error status";
		return XENTROPY_P_FATAL;
	}
	return XENTROPY_P_FRAME;
}

size_t
xentropy_encode_header(void *buf, uint32_t magic, uint8_t version,
		       uint8_t type, uint32_t length)
{
	uint8_t *p = buf;

	put32(p, magic);
	p[4] = version;
	p[5] = type;
	put16(p + 6, 0);
	put32(p + 8, length);
	return XENTROPY_HDR_LEN;
}

size_t
xentropy_encode_request(void *buf, uint32_t count)
{
	uint8_t *p = buf;

	xentropy_encode_header(p, XENTROPY_MAGIC, XENTROPY_VERSION,
	    XENTROPY_T_REQUEST, XENTROPY_REQ_BODY);
	put32(p + XENTROPY_HDR_LEN, count);
	return XENTROPY_REQ_LEN;
}

size_t
xentropy_encode_response(void *buf, uint16_t status, uint32_t retry_after_ms,
			 uint32_t data_len)
{
	uint8_t *p = buf;

	xentropy_encode_header(p, XENTROPY_MAGIC, XENTROPY_VERSION,
	    XENTROPY_T_RESPONSE, XENTROPY_RESP_FIXED + data_len);
	put16(p + XENTROPY_HDR_LEN, status);
	put16(p + XENTROPY_HDR_LEN + 2, 0);
	put32(p + XENTROPY_HDR_LEN + 4, retry_after_ms);
	return XENTROPY_RESP_HEAD;
}

const char *
xentropy_status_name(unsigned int status)
{
	static const char *const names[] = { "ok", "rate-limited",
	    "too-large", "bad-version", "bad-request", "unavailable" };

	return status < sizeof(names) / sizeof(names[0]) ? names[status] :
	    "unknown";
}
