/*
 * The xentropy protocol (see xentropy-protocol(7)): framed, versioned
 * messages over a libxenvchan stream. This codec does no I/O, so that unit
 * tests and libFuzzer drive it with plain buffers; both the daemon and the
 * static guest programs link it.
 *
 * Every message starts with a 12-byte header, all integers big-endian:
 *
 *   0  magic    u32  0x58454e54 ("XENT")
 *   4  version  u8   1
 *   5  type     u8   1 request (guest -> daemon), 2 response
 *   6  reserved u16  sent as 0, ignored
 *   8  length   u32  bytes of body that follow
 *
 * Request body (4 bytes): u32 count, 1..XENTROPY_MAX_REQUEST.
 * Response body: u16 status, u16 reserved, u32 retry_after_ms, then
 * exactly the granted bytes (only with status OK; maybe fewer than asked).
 */
#ifndef XENTROPY_PROTO_H
#define XENTROPY_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define XENTROPY_MAGIC		0x58454e54u
#define XENTROPY_VERSION	1
#define XENTROPY_HDR_LEN	12
#define XENTROPY_REQ_BODY	4
#define XENTROPY_REQ_LEN	(XENTROPY_HDR_LEN + XENTROPY_REQ_BODY)
#define XENTROPY_RESP_FIXED	8
#define XENTROPY_RESP_HEAD	(XENTROPY_HDR_LEN + XENTROPY_RESP_FIXED)
/* Most bytes one request may ask for. */
#define XENTROPY_MAX_REQUEST	65536
#define XENTROPY_MAX_RESP	(XENTROPY_RESP_HEAD + XENTROPY_MAX_REQUEST)
/*
 * Largest body the daemon accepts in any frame (of any version or type);
 * a longer one is a protocol violation and closes the channel.
 */
#define XENTROPY_MAX_IN_BODY	64
#define XENTROPY_MAX_IN_FRAME	(XENTROPY_HDR_LEN + XENTROPY_MAX_IN_BODY)

enum xentropy_type {
	XENTROPY_T_REQUEST = 1,
	XENTROPY_T_RESPONSE = 2,
};

enum xentropy_status {
	XENTROPY_OK = 0,		/* data follows (maybe fewer bytes) */
	XENTROPY_RATE_LIMITED = 1,	/* no data; retry after retry_after_ms */
	XENTROPY_TOO_LARGE = 2,		/* count > XENTROPY_MAX_REQUEST */
	XENTROPY_BAD_VERSION = 3,	/* header version not supported */
	XENTROPY_BAD_REQUEST = 4,	/* unknown type, bad length, count 0 */
	XENTROPY_UNAVAILABLE = 5,	/* no entropy yet; retry later */
};

/* What a parser found at the start of a buffer. */
enum xentropy_parse {
	XENTROPY_P_MORE = 0,	/* incomplete: wait for more bytes */
	XENTROPY_P_FRAME,	/* a valid frame */
	XENTROPY_P_REJECT,	/* framed, but answered with an error status */
	XENTROPY_P_FATAL,	/* cannot resynchronise: close the channel */
};

struct xentropy_req {
	uint32_t count;		/* P_FRAME */
	uint16_t status;	/* P_REJECT: the error status to answer */
	size_t frame_len;	/* P_FRAME, P_REJECT: bytes to consume */
	const char *why;	/* P_REJECT, P_FATAL: a short reason */
};

struct xentropy_resp {
	uint16_t status;
	uint32_t retry_after_ms;
	uint32_t data_len;	/* bytes after the XENTROPY_RESP_HEAD head */
	const char *why;	/* P_FATAL */
};

/* Daemon side: parses one request frame at the start of buf. */
enum xentropy_parse xentropy_parse_request(const void *buf, size_t len,
					   struct xentropy_req *r);
/*
 * Guest side: parses the XENTROPY_RESP_HEAD bytes that start a response
 * (the data_len bytes of data follow them). P_MORE until len reaches
 * XENTROPY_RESP_HEAD; P_FRAME or P_FATAL after that.
 */
enum xentropy_parse xentropy_parse_response(const void *buf, size_t len,
					    uint32_t max_data,
					    struct xentropy_resp *r);

/* Writes a request for count bytes; returns XENTROPY_REQ_LEN. */
size_t xentropy_encode_request(void *buf, uint32_t count);
/*
 * Writes a response head (header and fixed part) announcing data_len
 * bytes of data; returns XENTROPY_RESP_HEAD.
 */
size_t xentropy_encode_response(void *buf, uint16_t status,
				uint32_t retry_after_ms, uint32_t data_len);
/* Writes a bare header, for tests and hostile test guests. */
size_t xentropy_encode_header(void *buf, uint32_t magic, uint8_t version,
			      uint8_t type, uint32_t length);

const char *xentropy_status_name(unsigned int status);

#endif
