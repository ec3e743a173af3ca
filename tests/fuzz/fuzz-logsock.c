/*
 * libFuzzer target: the journald and syslog encoders (lib/logsock.h) with
 * guest bytes as values and messages, any capacity, any time. Checked:
 * the journal entry decodes back to exactly the fields given (the
 * binary field form carries any byte), and is refused (0) exactly when
 * it does not fit; the syslog message never exceeds the capacity, starts
 * with "<pri>", ends with the message unchanged, and always fits when
 * the capacity allows. The buffers are allocated to the capacity's exact
 * size, for ASan.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "logsock.h"

static const char *const names[] = { "MESSAGE", "PRIORITY",
    "SYSLOG_IDENTIFIER", "XUD_DOMAIN", "CODE_FILE", "X" };

static void
journal(struct fuzz_in *in)
{
	struct ls_field f[4];
	size_t n = fuzz_u8(in) % 5, need = 0, cap, len, at = 0;
	char *buf;

	for (size_t i = 0; i < n; i++) {
		f[i].name = names[fuzz_u8(in) % 6];
		f[i].val = (const char *)fuzz_bytes(in, fuzz_u8(in), &len);
		f[i].len = len;
		need += strlen(f[i].name) + 1 + 8 + len + 1;
	}
	cap = fuzz_u32(in) % (need + 64);
	buf = malloc(cap ? cap : 1);
	len = ls_journal_encode(buf, cap, f, n);
	FUZZ_CHECK(len == (need <= cap ? need : 0));
	/* Decode: NAME \n le64 value \n, field by field. */
	for (size_t i = 0; len > 0 && i < n; i++) {
		size_t nl = strlen(f[i].name);
		uint64_t vl = 0;

		FUZZ_CHECK(memcmp(buf + at, f[i].name, nl) == 0 &&
		    buf[at + nl] == '\n');
		at += nl + 1;
		for (int b = 7; b >= 0; b--)
			vl = vl << 8 | (uint8_t)buf[at + (size_t)b];
		at += 8;
		FUZZ_CHECK(vl == f[i].len);
		FUZZ_CHECK(memcmp(buf + at, f[i].val, f[i].len) == 0);
		at += f[i].len;
		FUZZ_CHECK(buf[at++] == '\n');
	}
	FUZZ_CHECK(at == len);
	free(buf);
}

static void
syslog_msg(struct fuzz_in *in)
{
	int pri = fuzz_u8(in) % 192;
	long pid = (long)fuzz_u32(in);
	/* Any time a 32-bit clock can show, local time as glibc sees it. */
	time_t now = (time_t)fuzz_u32(in);
	size_t cap = fuzz_u8(in) * 4, len, r;
	const char *msg = (const char *)fuzz_bytes(in, in->left, &len);
	char *buf = malloc(cap ? cap : 1), head[16];

	r = ls_syslog_encode(buf, cap, pri, "xenconsoled", pid, now, msg,
	    len);
	FUZZ_CHECK(r <= cap);
	/* "<pri>" + 15 for the time + the ident, pid and separators. */
	if (cap >= len + 64)
		FUZZ_CHECK(r > 0);
	if (r > 0) {
		snprintf(head, sizeof(head), "<%d>", pri);
		FUZZ_CHECK(r >= len + strlen(head));
		FUZZ_CHECK(memcmp(buf, head, strlen(head)) == 0);
		FUZZ_CHECK(memcmp(buf + r - len, msg, len) == 0);
		FUZZ_CHECK(memmem(buf, r - len, " xenconsoled[", 13) != NULL);
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	if (fuzz_u8(&in) & 1)
		syslog_msg(&in);
	else
		journal(&in);
	return 0;
}
