/* vsnprintf for the runtime's log lines. */
#include <stdint.h>
#include <string.h>

#include "fmt.h"

struct fmt_out {
	char *buf;
	size_t cap;
	size_t len;
};

static void
fmt_put(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void
fmt_num(struct fmt_out *o, uint64_t v, int neg, unsigned base, int width,
	char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg && pad == '0')
		fmt_put(o, '-');
	for (int w = n + neg; w < width; w++)
		fmt_put(o, pad);
	if (neg && pad != '0')
		fmt_put(o, '-');
	while (n)
		fmt_put(o, tmp[--n]);
}

int
fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, cap, 0 };

	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';

		if (*fmt != '%') {
			fmt_put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);
			uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

			fmt_num(&o, u, v < 0, 10, width, pad);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = lng ? va_arg(ap, unsigned long) :
				va_arg(ap, unsigned);

			fmt_num(&o, v, 0, *fmt == 'x' ? 16 : 10, width, pad);
			break;
		}
		case 'p':
			fmt_put(&o, '0');
			fmt_put(&o, 'x');
			fmt_num(&o, (uintptr_t)va_arg(ap, void *), 0, 16, 0, ' ');
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n;

			if (s == NULL)
				s = "(null)";
			n = (int)strlen(s);
			for (; n < width; width--)
				fmt_put(&o, ' ');
			while (*s)
				fmt_put(&o, *s++);
			break;
		}
		case 'c':
			fmt_put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			fmt_put(&o, '%');
			break;
		case '\0':
			fmt--;	/* a lone '%' at the end */
			break;
		default:
			fmt_put(&o, '%');
			fmt_put(&o, *fmt);
			break;
		}
	}
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return (int)o.len;
}

int
fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
