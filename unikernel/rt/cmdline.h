/*
 * The guest's command line (start_info's cmd_line, xl's extra=): words
 * separated by spaces, flags ("crash") and key=value pairs ("ip=..."). Pure.
 */
#ifndef XUD_UK_CMDLINE_H
#define XUD_UK_CMDLINE_H

#include <stddef.h>

/* 1 if word appears as a whole word (not as a key=value's key). */
int cmdline_has(const char *line, const char *word);
/*
 * Copies the value of key=value into buf (NUL-terminated). Returns its
 * length, -ENOENT if absent, -ERANGE if buf is too small.
 */
int cmdline_get(const char *line, const char *key, char *buf, size_t cap);

#endif
