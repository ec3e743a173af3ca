/*
 * libFuzzer target for both parsers of the xentropy protocol: the input is
 * consumed as a stream of frames, the way the daemon (requests) and the
 * client (responses) consume a channel. Built and run as tests/fuzz/local.mk
 * says.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "xentropy_proto.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	/* The daemon side, with its bounded input buffer. */
	while (off < size) {
		struct xentropy_req r;
		size_t len = size - off;
		enum xentropy_parse p;

		if (len > XENTROPY_MAX_IN_FRAME)
			len = XENTROPY_MAX_IN_FRAME;
		p = xentropy_parse_request(data + off, len, &r);
		if (p == XENTROPY_P_MORE) {
			/* Only a frame that fits the buffer may ask for more. */
			if (len == XENTROPY_MAX_IN_FRAME)
				abort();
			break;
		}
		if (p == XENTROPY_P_FATAL)
			break;
		if (r.frame_len < XENTROPY_HDR_LEN || r.frame_len > len)
			abort();
		if (p == XENTROPY_P_FRAME &&
		    (r.count == 0 || r.count > XENTROPY_MAX_REQUEST))
			abort();
		off += r.frame_len;
	}
	/* The client side. */
	off = 0;
	while (off < size) {
		struct xentropy_resp r;
		enum xentropy_parse p = xentropy_parse_response(data + off,
		    size - off, XENTROPY_MAX_REQUEST, &r);

		if (p != XENTROPY_P_FRAME)
			break;
		if (r.data_len > XENTROPY_MAX_REQUEST ||
		    (r.status != XENTROPY_OK && r.data_len))
			abort();
		off += XENTROPY_RESP_HEAD + r.data_len;
	}
	return 0;
}
