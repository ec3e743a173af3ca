/*
 * libFuzzer target: xentropyd's legacy MirageOS handshake
 * (xentropyd/legacy-proto.h) with the guest's bytes arriving in pieces of
 * any size, between partial writes of our reply. Checked against the
 * protocol itself: before the hello is complete, the session is bad
 * exactly when what the guest sent is not a prefix of it; past the hello,
 * a strict session (discard rate 0) is bad at the first byte, and a
 * discarding one never keeps more than its bucket allows (one second's
 * worth plus the rate times the time gone by); the reply starts only
 * after the whole hello,
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
	size_t nsent = 0, written = 0, n, len;
	uint64_t rate, now = 1000000000, start, after = 0;
	const uint8_t *b;
	const char *rest;
	int bad_hello = 0;

	/* The first byte picks the discard rate: 0 (strict) or up to 16 KiB/s. */
	rate = (uint64_t)fuzz_u8(&in) * 64;
	xe_legacy_init(&s, rate, now);
	start = now;
	while (in.left > 0) {
		uint8_t op = fuzz_u8(&in);

		prev = st;
		if ((op & 3) == 3) {	/* time goes by: up to ~0.5 s */
			now += (uint64_t)(op >> 2) * 8000000;
			continue;
		}
		if (op & 1) {	/* the guest sends a piece */
			b = fuzz_bytes(&in, op >> 1, &n);
			st = xe_legacy_input(&s, b, n, now);
			for (size_t i = 0; i < n; i++) {
				if (nsent < sizeof(sent)) {
					if (b[i] != (uint8_t)XE_LEGACY_HELLO[nsent])
						bad_hello = 1;
					sent[nsent++] = b[i];
				} else if (!bad_hello) {
					after++;
				}
			}
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
		if (bad_hello) {
			FUZZ_CHECK(st == XE_LS_BAD && s.why != NULL);
			continue;
		}
		if (after > 0 && rate == 0) {
			FUZZ_CHECK(st == XE_LS_BAD && s.why != NULL);
			continue;
		}
		/* What was discarded fits the bucket; a session over it ended. */
		FUZZ_CHECK(s.discarded <= after);
		FUZZ_CHECK(s.discarded <= rate + rate * ((now - start) /
		    1000000 + 1) / 1000);
		if (st == XE_LS_BAD) {
			FUZZ_CHECK(s.why != NULL && after > s.discarded);
			continue;
		}
		FUZZ_CHECK(s.discarded == after);
		FUZZ_CHECK((st == XE_LS_HELLO) ==
		    (nsent < XE_LEGACY_HELLO_LEN));
		FUZZ_CHECK((st == XE_LS_STREAM) ==
		    (written == XE_LEGACY_REPLY_LEN));
	}
	return 0;
}
