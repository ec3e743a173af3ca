/* Strict decimal parsing. */
#include <errno.h>

#include "num.h"

int
num_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (*p == '\0' || (p[0] == '0' && p[1] != '\0'))
		return -EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = (uint32_t)v;
	return 0;
}
