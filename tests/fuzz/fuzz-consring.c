/*
 * libFuzzer target: a hostile guest's console page (indices and data)
 * through the ring consumer and producer, and its bytes through the line
 * formatter and splitter. Built and run as tests/fuzz/local.mk says.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "consring.h"
#include "fuzz.h"
#include "linefmt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The page, exactly as big as struct xencons_interface. */
	uint8_t *page = malloc(3088);
	struct consring out, in;
	char buf[CONSRING_OUT_SIZE], fmt[LF_STAMP_MAX + CONSRING_OUT_SIZE];
	struct linefmt f;
	uint32_t cons;
	size_t n = size < 3088 ? size : 3088, done, used, outlen;
	int r;

	memset(page, 0, 3088);
	memcpy(page, data, n);
	consring_out(&out, page);
	consring_in(&in, page);
	lf_init(&f, size & 1 ? LF_STAMP_ISO : LF_STAMP_NONE, size & 2);
	for (int round = 0; round < 4; round++) {
		r = consring_peek(&out, buf, sizeof(buf), &cons);
		if (r < 0)
			break;
		if (r > (int)CONSRING_OUT_SIZE)
			abort();
		for (done = 0; done < (size_t)r; done += used) {
			used = lf_segment(&f, buf + done, (size_t)r - done,
			    "T ", 2, fmt, &outlen);
			if (used == 0 || outlen > 2 + used)
				abort();
		}
		for (done = 0; done < (size_t)r; done += used) {
			long l = lf_split(buf + done, (size_t)r - done, 100,
			    &used);

			if (l < 0)
				break;
			if ((size_t)l > used || used > (size_t)r - done)
				abort();
		}
		consring_consume(&out, cons, (uint32_t)(r / 2));
	}
	r = consring_write(&in, data, size);
	if (r > (int)CONSRING_IN_SIZE)
		abort();
	free(page);
	return 0;
}
