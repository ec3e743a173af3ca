/* xenconsoled/linefmt: stamps at line starts, per-console line state. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "linefmt.h"

/* Formats all of in, returning a malloc'd NUL-terminated string. */
static char *
fmt_all(struct linefmt *f, const char *in, const char *stamp)
{
	size_t len = strlen(in), done = 0, o = 0, outlen;
	char *out = malloc(len * (strlen(stamp) + 2) + 1);

	while (done < len) {
		size_t used = lf_segment(f, in + done, len - done, stamp,
		    strlen(stamp), out + o, &outlen);

		CHECK(used > 0);
		if (used == 0)
			break;
		done += used;
		o += outlen;
	}
	out[o] = '\0';
	return out;
}

static void
test_stamp(void)
{
	char buf[LF_STAMP_MAX];

	/* 2026-11-22 04:17:13.123456789 UTC */
	CHECK_EQ(lf_stamp(LF_STAMP_ISO, 1795321033, 123456789, buf), 25);
	CHECK_STR(buf, "2026-11-22T04:17:13.123Z ");
	CHECK_EQ(lf_stamp(LF_STAMP_ISO, 0, 999999999, buf), 25);
	CHECK_STR(buf, "1970-01-01T00:00:00.999Z ");
	/* Out-of-range nanoseconds do not produce garbage. */
	lf_stamp(LF_STAMP_ISO, 0, 2000000000, buf);
	CHECK_STR(buf, "1970-01-01T00:00:00.000Z ");
	/* Xen's: local time; TZ is set to UTC in main(). */
	CHECK_EQ(lf_stamp(LF_STAMP_XEN, 1795321033, 0, buf), 22);
	CHECK_STR(buf, "[2026-11-22 04:17:13] ");
	CHECK_EQ(lf_stamp(LF_STAMP_NONE, 1795321033, 0, buf), 0);
	CHECK_STR(buf, "");
}

static void
test_lines(void)
{
	struct linefmt f;
	char *s;

	lf_init(&f, LF_STAMP_ISO, 0);
	s = fmt_all(&f, "one\ntwo\n", "T ");
	CHECK_STR(s, "T one\nT two\n");
	free(s);
	/* a partial line: no stamp when it continues */
	s = fmt_all(&f, "thr", "T ");
	CHECK_STR(s, "T thr");
	free(s);
	CHECK_EQ(f.at_bol, 0);
	s = fmt_all(&f, "ee\nfour", "U ");
	CHECK_STR(s, "ee\nU four");
	free(s);
	/* empty lines get stamps too */
	s = fmt_all(&f, "\n\n", "V ");
	CHECK_STR(s, "\nV \n");
	free(s);
}

/* Two consoles interleaved keep separate line state. */
static void
test_two_consoles(void)
{
	struct linefmt a, b;
	char *s;

	lf_init(&a, LF_STAMP_ISO, 0);
	lf_init(&b, LF_STAMP_ISO, 0);
	s = fmt_all(&a, "a-part", "1 ");
	CHECK_STR(s, "1 a-part");
	free(s);
	s = fmt_all(&b, "b-line\n", "2 ");
	CHECK_STR(s, "2 b-line\n");
	free(s);
	s = fmt_all(&a, "-end\n", "3 ");
	CHECK_STR(s, "-end\n");
	free(s);
	s = fmt_all(&b, "b2", "4 ");
	CHECK_STR(s, "4 b2");
	free(s);
}

static void
test_none_escape(void)
{
	struct linefmt f;
	char *s;

	lf_init(&f, LF_STAMP_NONE, 1);
	s = fmt_all(&f, "a\033[1mb\nc\n", "T ");
	CHECK_STR(s, "a.[1mb\nc\n");
	free(s);
	lf_init(&f, LF_STAMP_NONE, 0);
	s = fmt_all(&f, "a\033b", "T ");
	CHECK_STR(s, "a\033b");
	free(s);
	/* stamped (hypervisor.log's --timestamp=hv --replace-escape) */
	lf_init(&f, LF_STAMP_XEN, 1);
	s = fmt_all(&f, "\033[0mx\n\033y", "T ");
	CHECK_STR(s, "T .[0mx\nT .y");
	free(s);
}

static void
test_note(void)
{
	struct linefmt f;
	char out[64], tiny[8];
	size_t n;

	lf_init(&f, LF_STAMP_ISO, 0);
	n = lf_note(&f, "T ", "[end]", out, sizeof(out));
	CHECK_STR(out, "T [end]\n");
	CHECK_EQ(n, 8);
	free(fmt_all(&f, "partial", "T "));
	n = lf_note(&f, "T ", "[end]", out, sizeof(out));
	CHECK_STR(out, "\nT [end]\n");
	CHECK_EQ(f.at_bol, 1);
	n = lf_note(&f, "T ", "a long message", tiny, sizeof(tiny));
	CHECK_EQ(n, 7);
	CHECK(tiny[6] == '\n');
}

static void
test_split(void)
{
	size_t used = 0;

	CHECK_EQ(lf_split("abc\r\ndef", 8, 100, &used), 3);
	CHECK_EQ(used, 5);
	CHECK_EQ(lf_split("abc", 3, 100, &used), -1);
	CHECK_EQ(lf_split("abcdef", 6, 4, &used), 4);
	CHECK_EQ(used, 4);
	CHECK_EQ(lf_split("\n", 1, 4, &used), 0);
	CHECK_EQ(used, 1);
	/* newline just past max: the first max bytes are a line */
	CHECK_EQ(lf_split("abcd\n", 5, 4, &used), 4);
	CHECK_EQ(used, 4);
}

/* lf_fill never writes past room, cuts lines at it and goes on later. */
static void
test_fill(void)
{
	struct linefmt f;
	const char *in = "ab\ncd\nefgh";
	char out[64];
	size_t outlen, used;
	uint64_t lines = 0;

	lf_init(&f, LF_STAMP_ISO, 0);
	memset(out, 'Z', sizeof(out));
	/* room 8: "S: ab\n" (6) fits; 2 left is no room for a stamp */
	used = lf_fill(&f, in, strlen(in), "S: ", 3, out, 8, &outlen, &lines);
	CHECK_EQ(used, 3);
	CHECK_EQ(outlen, 6);
	CHECK_EQ(lines, 1);
	CHECK(out[8] == 'Z');
	used += lf_fill(&f, in + used, strlen(in) - used, "S: ", 3, out + outlen,
	    sizeof(out) - outlen, &outlen, &lines);
	CHECK_EQ(used, strlen(in));
	CHECK_EQ(lines, 2);
	CHECK_EQ(outlen, 13);
	CHECK(memcmp(out, "S: ab\nS: cd\nS: efgh", 19) == 0);
	/* no room for a stamp and a byte: nothing */
	lf_init(&f, LF_STAMP_ISO, 0);
	CHECK_EQ(lf_fill(&f, in, 3, "S: ", 3, out, 3, &outlen, &lines), 0);
	CHECK_EQ(outlen, 0);
}

/*
 * With stamps, '\r's after a newline go, as in Xen's daemon, also when
 * the newline came in an earlier segment; without stamps bytes are kept.
 */
static void
test_cr(void)
{
	struct linefmt f;
	const char *in = "a\n\r\rb\r\n\r";
	char out[64], *s;
	size_t outlen, used;
	uint64_t lines = 0;

	lf_init(&f, LF_STAMP_XEN, 0);
	s = fmt_all(&f, "one\n\rtwo\r\n\r\r", "T ");
	CHECK_STR(s, "T one\nT two\r\n");
	free(s);
	CHECK_EQ(f.at_bol, 1);
	s = fmt_all(&f, "\rthree\n", "U ");
	CHECK_STR(s, "U three\n");
	free(s);
	/* a '\r' in a line stays */
	s = fmt_all(&f, "x\ry\n", "V ");
	CHECK_STR(s, "V x\ry\n");
	free(s);
	lf_init(&f, LF_STAMP_NONE, 0);
	s = fmt_all(&f, "a\n\rb", "T ");
	CHECK_STR(s, "a\n\rb");
	free(s);
	/* lf_fill counts lines, not dropped '\r's */
	lf_init(&f, LF_STAMP_XEN, 0);
	used = lf_fill(&f, in, strlen(in), "S ", 2, out, sizeof(out), &outlen,
	    &lines);
	CHECK_EQ(used, strlen(in));
	CHECK_EQ(lines, 2);
	out[outlen] = '\0';
	CHECK_STR(out, "S a\nS b\r\n");
}

/* The default format is Xen's: "[%Y-%m-%d %H:%M:%S] ", local time. */
static void
test_xen_local(void)
{
	char buf[LF_STAMP_MAX];

	setenv("TZ", "CET-1", 1);
	tzset();
	CHECK_EQ(lf_stamp(LF_STAMP_XEN, 1795321033, 0, buf), 22);
	CHECK_STR(buf, "[2026-11-22 05:17:13] ");
	/* ISO stays UTC */
	lf_stamp(LF_STAMP_ISO, 1795321033, 0, buf);
	CHECK_STR(buf, "2026-11-22T04:17:13.000Z ");
	setenv("TZ", "UTC", 1);
	tzset();
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	test_stamp();
	test_lines();
	test_two_consoles();
	test_none_escape();
	test_note();
	test_split();
	test_fill();
	test_cr();
	test_xen_local();
	return CHECK_DONE();
}
