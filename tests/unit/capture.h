/*
 * A test's stderr into a temporary file, for what lib/log.c writes there:
 * capture_begin() before, capture_end() returns what was written.
 */
#ifndef XUD_CAPTURE_H
#define XUD_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct capture {
	FILE *tmp;
	int saved;		/* the real stderr */
};

static inline void
capture_begin(struct capture *c)
{
	if ((c->tmp = tmpfile()) == NULL)
		abort();
	fflush(stderr);
	c->saved = dup(STDERR_FILENO);
	dup2(fileno(c->tmp), STDERR_FILENO);
}

/* Restores stderr; buf gets what was written, NUL-terminated. */
static inline size_t
capture_end(struct capture *c, char *buf, size_t size)
{
	size_t n;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	rewind(c->tmp);
	n = fread(buf, 1, size - 1, c->tmp);
	buf[n] = '\0';
	fclose(c->tmp);
	return n;
}

#endif
