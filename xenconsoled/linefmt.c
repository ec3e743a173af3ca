/* Console log formatting: stamps at line starts, per-console state. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "compiler.h"
#include "linefmt.h"

void
lf_init(struct linefmt *f, enum lf_stamp stamp, int replace_escape)
{
	f->stamp = stamp;
	f->replace_escape = replace_escape;
	f->at_bol = 1;
}

size_t
lf_stamp(enum lf_stamp stamp, int64_t sec, long nsec, char *buf)
{
	time_t t = (time_t)sec;
	struct tm tm;
	size_t n;
	int r;

	buf[0] = '\0';
	if (stamp == LF_STAMP_NONE)
		return 0;
	if (nsec < 0 || nsec > 999999999)
		nsec = 0;
	if (stamp == LF_STAMP_XEN) {
		if (localtime_r(&t, &tm) == NULL)
			return 0;
		n = strftime(buf, LF_STAMP_MAX, "[%Y-%m-%d %H:%M:%S] ", &tm);
		return n;
	}
	if (gmtime_r(&t, &tm) == NULL)
		return 0;
	n = strftime(buf, LF_STAMP_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n == 0)
		return 0;
	r = snprintf(buf + n, LF_STAMP_MAX - n, ".%03ldZ ", nsec / 1000000);
	if (r < 0 || (size_t)r >= LF_STAMP_MAX - n) {
		buf[0] = '\0';
		return 0;
	}
	return n + (size_t)r;
}

size_t
lf_segment(struct linefmt *f, const char *in, size_t inlen,
	   const char *stamp, size_t stamplen, char *out, size_t *outlen)
{
	const char *nl;
	size_t n, o = 0, skip = 0;

	*outlen = 0;
	if (inlen == 0)
		return 0;
	/*
	 * Xen's daemon drops '\r' after a newline when it stamps lines: a
	 * guest's "\n\r" would otherwise send a terminal back over the
	 * stamp.
	 */
	if (f->at_bol && f->stamp != LF_STAMP_NONE) {
		while (skip < inlen && in[skip] == '\r')
			skip++;
		if (skip == inlen)
			return skip;	/* the line has not started yet */
		in += skip;
		inlen -= skip;
		memcpy(out, stamp, stamplen);
		o = stamplen;
	}
	nl = memchr(in, '\n', inlen);
	n = nl ? (size_t)(nl - in) + 1 : inlen;
	memcpy(out + o, in, n);
	if (f->replace_escape)
		for (size_t i = 0; i < n; i++)
			if (out[o + i] == '\033')
				out[o + i] = '.';
	o += n;
	f->at_bol = in[n - 1] == '\n';
	*outlen = o;
	return skip + n;
}

size_t
lf_note(struct linefmt *f, const char *stamp, const char *msg, char *out,
	size_t outsz)
{
	int r;

	r = snprintf(out, outsz, "%s%s%s\n", f->at_bol ? "" : "\n", stamp, msg);
	f->at_bol = 1;
	if (r < 0)
		return 0;
	if ((size_t)r >= outsz) {
		/* Truncated: keep it a line. */
		if (outsz < 2)
			return 0;
		out[outsz - 2] = '\n';
		return outsz - 1;
	}
	return (size_t)r;
}

long
lf_split(const char *in, size_t inlen, size_t max, size_t *used)
{
	const char *nl;
	size_t n;

	nl = memchr(in, '\n', inlen < max ? inlen : max);
	if (nl == NULL) {
		if (max > 0 && inlen >= max) {
			*used = max;
			return (long)max;
		}
		return -1;
	}
	n = (size_t)(nl - in);
	*used = n + 1;
	if (n > 0 && in[n - 1] == '\r')
		n--;
	return (long)n;
}

size_t
lf_fill(struct linefmt *f, const char *in, size_t inlen, const char *stamp,
	size_t stamplen, char *out, size_t room, size_t *outlen,
	uint64_t *lines)
{
	size_t done = 0, o = 0;

	/* Each segment needs at most stamplen + its length. */
	while (done < inlen && room - o > stamplen) {
		size_t n = XUD_MIN(inlen - done, room - o - stamplen), seg;

		n = lf_segment(f, in + done, n, stamp, stamplen, out + o,
		    &seg);
		done += n;
		o += seg;
		if (in[done - 1] == '\n')
			(*lines)++;
	}
	*outlen = o;
	return done;
}
