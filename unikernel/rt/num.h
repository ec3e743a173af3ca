/*
 * Numbers from xenstore values and the command line, read strictly: a
 * peer writes them, so "12x", " 12", "+12", "012" or an overflow is an
 * error, never a guess. Pure.
 */
#ifndef XUD_UK_NUM_H
#define XUD_UK_NUM_H

#include <stdint.h>

/* Plain decimal, at most max: 0 and *out, else -EINVAL or -ERANGE. */
int num_parse_u32(const char *s, uint32_t max, uint32_t *out);

#endif
