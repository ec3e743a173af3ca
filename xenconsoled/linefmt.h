/*
 * Line and timestamp formatting for console logs, free of I/O: the caller
 * passes the time and gets bytes to write. The line state (are we at the
 * start of a line?) belongs to one console, so the partial lines of two
 * guests never share it.
 */
#ifndef XCD_LINEFMT_H
#define XCD_LINEFMT_H

#include <stddef.h>
#include <stdint.h>

enum lf_stamp { LF_STAMP_NONE, LF_STAMP_ISO, LF_STAMP_XEN };

/* Longest stamp: "2026-11-22T04:17:13.123Z " or "[2026-11-22 04:17:13] ". */
#define LF_STAMP_MAX 32

struct linefmt {
	enum lf_stamp stamp;
	int replace_escape;	/* ESC (0x1b) becomes '.' */
	int at_bol;		/* the next byte starts a line */
};

void lf_init(struct linefmt *f, enum lf_stamp stamp, int replace_escape);

/*
 * Writes the stamp for the wall-clock time sec.nsec into buf (at least
 * LF_STAMP_MAX bytes), NUL-terminated; returns its length. ISO is UTC with
 * milliseconds; XEN is Xen's local time to the second. NONE gives "".
 */
size_t lf_stamp(enum lf_stamp stamp, int64_t sec, long nsec, char *buf);

/*
 * Formats one segment of in: up to and including its first newline, or
 * all of it. The stamp (from lf_stamp) goes before the segment's first
 * byte when that byte starts a line; with a stamp, '\r's that start a
 * line are dropped, as Xen's daemon does. out must hold stamplen + inlen
 * bytes. Returns the number of input bytes consumed; *outlen gets the
 * output size (0 for a segment of dropped '\r's).
 * Calling it until the input is used up lets the caller act between lines
 * (rotate a file, count lines).
 */
size_t lf_segment(struct linefmt *f, const char *in, size_t inlen,
		  const char *stamp, size_t stamplen, char *out,
		  size_t *outlen);

/*
 * Formats as much of in as surely fits in room bytes of out, segment by
 * segment (a line cut by the room goes on in the next call). Returns the
 * input bytes used; *outlen gets the output size and *lines is increased
 * by the lines completed.
 */
size_t lf_fill(struct linefmt *f, const char *in, size_t inlen,
	       const char *stamp, size_t stamplen, char *out, size_t room,
	       size_t *outlen, uint64_t *lines);

/*
 * A line of the daemon's own (a trailer, a note of dropped bytes): it
 * starts on a line of its own (a newline ends a partial guest line first),
 * is stamped, and ends with a newline. Returns the length written to out
 * (at most outsz - 1, NUL-terminated).
 */
size_t lf_note(struct linefmt *f, const char *stamp, const char *msg,
	       char *out, size_t outsz);

/*
 * Splits raw console bytes into lines for line-based sinks (journald,
 * syslog). Returns the length of the first complete line in in (without
 * its "\n" and a "\r" before it) and sets *used to the bytes it spans,
 * or returns -1 when in holds no newline. max caps a line: a run of max
 * bytes without a newline is returned as a line of its own.
 */
long lf_split(const char *in, size_t inlen, size_t max, size_t *used);

#endif
