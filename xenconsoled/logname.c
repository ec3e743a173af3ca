/* Log file names <-> (domain, console): the encoding is in logname.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "logname.h"

static const char hex[] = "0123456789ABCDEF";

static int
must_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == '/' || c == '%' || c == '@';
}

/* Appends s, escaped, at out[*o]; -ENAMETOOLONG when len is reached. */
static int
put_escaped(char *out, size_t len, size_t *o, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (*o + 4 > len)
			return -ENAMETOOLONG;
		if (must_escape(c)) {
			out[(*o)++] = '%';
			out[(*o)++] = hex[c >> 4];
			out[(*o)++] = hex[c & 15];
		} else {
			out[(*o)++] = (char)c;
		}
	}
	return 0;
}

int
logname_make(char *out, size_t len, const char *dom, const char *cname)
{
	size_t o = 0, cap = len < LOGNAME_MAX + 1 ? len : LOGNAME_MAX + 1;

	if (cap < sizeof("guest-.log"))
		return -ENAMETOOLONG;
	memcpy(out, "guest-", 6);
	o = 6;
	if (put_escaped(out, cap, &o, dom) < 0)
		return -ENAMETOOLONG;
	if (cname && cname[0]) {
		if (o + 2 > cap)
			return -ENAMETOOLONG;
		out[o++] = '@';
		if (put_escaped(out, cap, &o, cname) < 0)
			return -ENAMETOOLONG;
	}
	if (o + 5 > cap)
		return -ENAMETOOLONG;
	memcpy(out + o, ".log", 5);
	return (int)(o + 4);
}

static int
hexval(char c)
{
	const char *p = c ? strchr(hex, c) : NULL;

	return p ? (int)(p - hex) : -1;
}

/* Decodes in[0..n) into out; only what put_escaped writes is valid. */
static int
get_escaped(const char *in, size_t n, char *out, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '%') {
			int h, l;

			if (i + 2 >= n)
				return -EINVAL;
			h = hexval(in[i + 1]);
			l = hexval(in[i + 2]);
			if (h < 0 || l < 0)
				return -EINVAL;
			c = (unsigned char)(h << 4 | l);
			if (c == 0 || !must_escape(c))
				return -EINVAL;
			i += 2;
		} else if (must_escape(c)) {
			return -EINVAL;
		}
		if (o + 1 >= len)
			return -ENAMETOOLONG;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

int
logname_parse(const char *file, char *dom, size_t domlen, char *cname,
	      size_t cnamelen, unsigned long *rot)
{
	size_t n = strlen(file), end;
	const char *at;
	int r;

	if (strncmp(file, "guest-", 6) != 0 || n > LOGNAME_MAX ||
	    domlen == 0 || cnamelen == 0)
		return -EINVAL;
	*rot = 0;
	end = n;
	if (n < 10 || strcmp(file + n - 4, ".log") != 0) {
		/* <name>.log.<n>: n without leading zeros, >= 1 */
		const char *dot = strrchr(file, '.');
		char *e;

		if (dot == NULL || dot[1] < '1' || dot[1] > '9')
			return -EINVAL;
		*rot = strtoul(dot + 1, &e, 10);
		if (*e != '\0' || *rot == 0 || *rot == (unsigned long)-1)
			return -EINVAL;
		end = (size_t)(dot - file);
		if (end < 10 || strncmp(file + end - 4, ".log", 4) != 0)
			return -EINVAL;
	}
	end -= 4;
	at = memchr(file + 6, '@', end - 6);
	if ((r = get_escaped(file + 6, (at ? (size_t)(at - file) : end) - 6,
	    dom, domlen)) < 0)
		return r;
	cname[0] = '\0';
	if (at == NULL)
		return 0;
	if (at + 1 == file + end)
		return -EINVAL;		/* "@" with no console */
	return get_escaped(at + 1, (size_t)(file + end - at - 1), cname,
	    cnamelen);
}
