/*
 * libFuzzer target: xentropyd's legacy MirageOS handshake
 * (xentropyd/legacy-proto.h) with the guest's bytes arriving in pieces of
 * any size, between partial writes of our reply. Checked against the
 * protocol itself: the session is bad exactly when what the guest sent is
 * not a prefix of the hello; the reply starts only after the whole hello,
 * is offered piece by piece as the rest of XE_LEGACY_REPLY, and the
 * stream starts only once all of it was written; states only go forward.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "legacy-proto.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct xe_legacy_sess s;
	enum xe_legacy_state st = XE_LS_HELLO, prev;
	uint8_t sent[XE_LEGACY_HELLO_LEN];
	size_t nsent = 0, written = 0, overflow = 0, n, len;
	const uint8_t *b;
	const char *rest;

	xe_legacy_init(&s);
	while (in.left > 0) {
		uint8_t op = fuzz_u8(&in);

		prev = st;
		if (op & 1) {	/* the guest sends a piece */
			b = fuzz_bytes(&in, op >> 1, &n);
			st = xe_legacy_input(&s, b, n);
			for (size_t i = 0; i < n; i++)
				if (nsent < sizeof(sent))
					sent[nsent++] = b[i];
				else
					overflow = 1;
		} else {	/* we write part of the reply */
			rest = xe_legacy_reply(&s, &len);
			FUZZ_CHECK((rest != NULL) == (prev == XE_LS_REPLY));
			if (rest != NULL) {
				FUZZ_CHECK(written + len == XE_LEGACY_REPLY_LEN);
				FUZZ_CHECK(memcmp(rest, &XE_LEGACY_REPLY[written], len) == 0);
			} else {
				FUZZ_CHECK(len == 0);
			}
			n = op >> 1;
			st = xe_legacy_replied(&s, n);
			if (rest != NULL)
				written += n < len ? n : len;
		}
		FUZZ_CHECK(st == s.state);
		FUZZ_CHECK(xe_legacy_state_name(st) != NULL);
		/* Forward only; bad is for good. */
		FUZZ_CHECK(st >= prev);
		if (overflow ||
		    memcmp(sent, XE_LEGACY_HELLO, nsent) != 0) {
			FUZZ_CHECK(st == XE_LS_BAD && s.why != NULL);
			continue;
		}
		FUZZ_CHECK(st != XE_LS_BAD);
		FUZZ_CHECK((st == XE_LS_HELLO) ==
		    (nsent < XE_LEGACY_HELLO_LEN));
		FUZZ_CHECK((st == XE_LS_STREAM) ==
		    (written == XE_LEGACY_REPLY_LEN));
	}
	return 0;
}
