/* Word and key=value lookup in the command line. */
#include <errno.h>
#include <string.h>

#include "cmdline.h"

/* Finds the flag name, or with want_value the value of name=value. */
static int
cmdline_find(const char *line, const char *name, size_t nlen, int want_value,
	     const char **val, size_t *vlen)
{
	const char *p = line;

	while (*p) {
		const char *w;
		size_t len;

		while (*p == ' ')
			p++;
		w = p;
		while (*p && *p != ' ')
			p++;
		len = (size_t)(p - w);
		if (len < nlen || memcmp(w, name, nlen) != 0)
			continue;
		if (!want_value && len == nlen)
			return 1;
		if (want_value && len > nlen && w[nlen] == '=') {
			*val = w + nlen + 1;
			*vlen = len - nlen - 1;
			return 1;
		}
	}
	return 0;
}

int
cmdline_has(const char *line, const char *word)
{
	return cmdline_find(line, word, strlen(word), 0, NULL, NULL);
}

int
cmdline_get(const char *line, const char *key, char *buf, size_t cap)
{
	const char *v;
	size_t n;

	if (!cmdline_find(line, key, strlen(key), 1, &v, &n))
		return -ENOENT;
	if (n + 1 > cap)
		return -ERANGE;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return (int)n;
}
