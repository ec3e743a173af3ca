/*
 * libFuzzer target: xenconsoled's file sink formatter, lf_fill()
 * (xenconsoled/linefmt.h), fed a guest's console bytes in pieces of any
 * size into output room of any size, the way the pump and the log writer
 * call it; with the stamps lf_stamp() makes for any time, and the
 * daemon's own notes between pieces. Checked: the output never exceeds
 * the room (the buffer is allocated to the room's exact size, for ASan);
 * a call with room for a stamp and a byte makes progress; lines counts
 * the newlines consumed; and everything written, joined, is exactly the
 * input with a stamp at each line start, the '\r's that would begin a
 * stamped line left out, and ESC replaced when asked.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "linefmt.h"

/* The reference formatter: a byte at a time, obviously right. */
struct model {
	char *buf;
	size_t len;
	int at_bol;
};

static void
model_byte(struct model *m, const struct linefmt *f, const char *stamp,
	   size_t stamplen, char c)
{
	if (m->at_bol && f->stamp != LF_STAMP_NONE) {
		/* As Xen's daemon: '\r's that begin a stamped line go. */
		if (c == '\r')
			return;
		memcpy(m->buf + m->len, stamp, stamplen);
		m->len += stamplen;
	}
	m->buf[m->len++] = c == '\033' && f->replace_escape ? '.' : c;
	m->at_bol = c == '\n';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct linefmt f;
	struct model m = { 0 };
	char stamp[LF_STAMP_MAX], note[64], *got;
	size_t stamplen, gotlen = 0, n, room, used, outlen;
	uint8_t flags = fuzz_u8(&in);
	int64_t sec = (int64_t)((uint64_t)fuzz_u32(&in) << 32 | fuzz_u32(&in));
	uint64_t lines = 0, newlines = 0;
	const char *b;

	lf_init(&f, (enum lf_stamp)(flags % 3), flags & 4);
	stamplen = lf_stamp(f.stamp, sec, (long)fuzz_u32(&in), stamp);
	FUZZ_CHECK(stamplen < LF_STAMP_MAX && strlen(stamp) == stamplen);
	FUZZ_CHECK(f.stamp != LF_STAMP_NONE || stamplen == 0);
	/* Room for every byte stamped, and the notes. */
	m.buf = malloc(size * (LF_STAMP_MAX + 1) + 1);
	got = malloc(size * (LF_STAMP_MAX + 1) + 1);
	m.at_bol = 1;
	while (in.left > 0) {
		uint8_t op = fuzz_u8(&in);
		char *out;

		if (op == 0) {	/* a note of the daemon's own */
			n = lf_note(&f, stamp, "note", note, fuzz_u8(&in) % 64);
			FUZZ_CHECK(f.at_bol);
			/* Notes are not the formatter's; keep the joined
			 * output comparable by leaving them out of both. */
			m.at_bol = 1;
			FUZZ_CHECK(n == 0 || note[n - 1] == '\n');
			continue;
		}
		b = (const char *)fuzz_bytes(&in, op, &n);
		room = fuzz_u8(&in);
		out = malloc(room ? room : 1);
		used = lf_fill(&f, b, n, stamp, stamplen, out, room, &outlen,
		    &lines);
		FUZZ_CHECK(used <= n && outlen <= room);
		if (n > 0 && room > stamplen)
			FUZZ_CHECK(used > 0);
		for (size_t i = 0; i < used; i++) {
			model_byte(&m, &f, stamp, stamplen, b[i]);
			newlines += b[i] == '\n';
		}
		memcpy(got + gotlen, out, outlen);
		gotlen += outlen;
		free(out);
		FUZZ_CHECK(f.at_bol == m.at_bol);
		FUZZ_CHECK(lines == newlines);
		FUZZ_CHECK(gotlen == m.len && memcmp(got, m.buf, gotlen) == 0);
	}
	free(m.buf);
	free(got);
	return 0;
}
