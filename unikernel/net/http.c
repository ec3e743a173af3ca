/*
 * The HTTP responder. The request head (line and header fields) must end
 * in an empty line within the bytes we hold; a body is never read (GET
 * and HEAD have none we use). The response is built in two passes with
 * the same code: one measures the body for Content-Length, one writes.
 */
#include <string.h>

#include "http.h"

struct buf {
	uint8_t *p;		/* NULL: only count */
	size_t cap, len;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, b->len++)
		if (b->p && b->len < b->cap)
			b->p[b->len] = (uint8_t)s[i];
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void
putu(struct buf *b, uint64_t v, int min_digits)
{
	char d[20];
	int i = 0;

	do {
		d[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || i < min_digits);
	while (i)
		put(b, &d[--i], 1);
}

/* The name as HTML text: the caller's string is not ours to trust. */
static void
put_html(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			puts_(b, "&lt;");
		else if (*s == '>')
			puts_(b, "&gt;");
		else if (*s == '&')
			puts_(b, "&amp;");
		else if (*s == '"')
			puts_(b, "&quot;");
		else
			put(b, s, 1);
	}
}

enum { ST_OK, ST_BAD, ST_NOTFOUND, ST_METHOD };

static void
body(struct buf *b, int st, const struct http_page *pg)
{
	uint64_t ms = pg->uptime_ns / 1000000;

	switch (st) {
	case ST_OK:
		puts_(b, "<!DOCTYPE html>\n<html><head><title>");
		put_html(b, pg->name);
		puts_(b, "</title></head>\n<body><h1>");
		put_html(b, pg->name);
		puts_(b, "</h1>\n<p>A unikernel of xud, up for ");
		putu(b, ms / 1000, 1);
		puts_(b, ".");
		putu(b, ms % 1000, 3);
		puts_(b, " s.</p>\n</body></html>\n");
		break;
	case ST_NOTFOUND:
		puts_(b, "404 Not Found\n");
		break;
	case ST_METHOD:
		puts_(b, "405 Method Not Allowed\n");
		break;
	default:
		puts_(b, "400 Bad Request\n");
		break;
	}
}

static size_t
respond(int st, int head_only, const struct http_page *pg, uint8_t *out,
	size_t cap)
{
	static const char *const line[] = {
		[ST_OK] = "200 OK", [ST_BAD] = "400 Bad Request",
		[ST_NOTFOUND] = "404 Not Found",
		[ST_METHOD] = "405 Method Not Allowed",
	};
	struct buf m = { NULL, 0, 0 }, b = { out, cap, 0 };

	body(&m, st, pg);
	puts_(&b, "HTTP/1.1 ");
	puts_(&b, line[st]);
	puts_(&b, st == ST_OK ? "\r\nContent-Type: text/html; charset=utf-8" :
	      "\r\nContent-Type: text/plain");
	if (st == ST_METHOD)
		puts_(&b, "\r\nAllow: GET, HEAD");
	puts_(&b, "\r\nContent-Length: ");
	putu(&b, m.len, 1);
	puts_(&b, "\r\nConnection: close\r\n\r\n");
	if (!head_only)
		body(&b, st, pg);
	/* a response that did not fit is cut, never overrun */
	return b.len < cap ? b.len : cap;
}

/* rt/string.c has no memchr. */
static const uint8_t *
find(const uint8_t *p, size_t len, uint8_t c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] == c)
			return p + i;
	return NULL;
}

static int
is_tchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The length of the line at p (without CR LF or LF); -1 if none ends. */
static long
line_len(const uint8_t *p, size_t len, size_t *next)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n') {
			*next = i + 1;
			return (long)(i > 0 && p[i - 1] == '\r' ? i - 1 : i);
		}
	}
	return -1;
}

/* One header field line: a token, a colon, a value of visible chars. */
static int
field_ok(const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len && is_tchar(p[i]))
		i++;
	if (i == 0 || i == len || p[i] != ':')
		return 0;
	for (i++; i < len; i++)
		if ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
			return 0;
	return 1;
}

static int
is_host(const uint8_t *p, size_t len)
{
	static const char h[] = "host:";

	if (len < 5)
		return 0;
	for (size_t i = 0; i < 5; i++)
		if ((p[i] | 0x20) != h[i])
			return 0;
	return 1;
}

/* Parses the head; sets *head_only for HEAD. Returns a status. */
static int
parse(const uint8_t *req, size_t len, int *head_only)
{
	const uint8_t *sp1, *sp2, *target;
	size_t next, pos, tlen, mlen;
	long ll = line_len(req, len, &next);
	int v11, has_host = 0;

	if (ll <= 0)
		return ST_BAD;
	sp1 = find(req, (size_t)ll, ' ');
	if (!sp1)
		return ST_BAD;
	mlen = (size_t)(sp1 - req);
	target = sp1 + 1;
	sp2 = find(target, (size_t)(req + ll - target), ' ');
	if (!sp2 || mlen == 0)
		return ST_BAD;
	tlen = (size_t)(sp2 - target);
	if ((size_t)(req + ll - (sp2 + 1)) != 8 ||
	    memcmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return ST_BAD;
	v11 = sp2[8] == '1';
	for (size_t i = 0; i < mlen; i++)
		if (!is_tchar(req[i]))
			return ST_BAD;
	if (tlen == 0 || target[0] != '/')
		return ST_BAD;
	for (size_t i = 0; i < tlen; i++)
		if (target[i] <= 0x20 || target[i] >= 0x7f)
			return ST_BAD;
	for (pos = next;;) {
		ll = line_len(req + pos, len - pos, &next);
		if (ll < 0)
			return ST_BAD;
		if (ll == 0)
			break;
		if (!field_ok(req + pos, (size_t)ll))
			return ST_BAD;
		has_host |= is_host(req + pos, (size_t)ll);
		pos += next;
	}
	/* RFC 9112 3.2: a 1.1 request without Host is a bad one */
	if (v11 && !has_host)
		return ST_BAD;
	*head_only = mlen == 4 && memcmp(req, "HEAD", 4) == 0;
	if (!*head_only && !(mlen == 3 && memcmp(req, "GET", 3) == 0))
		return ST_METHOD;
	for (size_t i = 0; i < tlen; i++)
		if (target[i] == '?')
			tlen = i;
	if ((tlen == 1) ||
	    (tlen == 11 && memcmp(target, "/index.html", 11) == 0))
		return ST_OK;
	return ST_NOTFOUND;
}

/* Where the head ends (after its empty line), or 0 if it does not yet. */
static size_t
head_end(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != '\n')
			continue;
		if (i >= 1 && p[i - 1] == '\n')
			return i + 1;
		if (i >= 2 && p[i - 1] == '\r' && p[i - 2] == '\n')
			return i + 1;
	}
	return 0;
}

size_t
http_respond(const uint8_t *req, size_t len, int done,
	     const struct http_page *page, uint8_t *out, size_t cap)
{
	size_t end = head_end(req, len);
	int head_only = 0, st;

	if (!end && !done)
		return 0;
	st = end ? parse(req, end, &head_only) : ST_BAD;
	return respond(st, head_only && st != ST_BAD, page, out, cap);
}
