/*
 * A small vsnprintf, pure: %s %c %d %i %u %x %p and %%, with the l, ll
 * and z length modifiers, a minimum width and '0' padding. Enough for log
 * lines; no floating point.
 */
#ifndef XUD_UK_FMT_H
#define XUD_UK_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* As C's: the length the full output needs; buf always terminated. */
int fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
