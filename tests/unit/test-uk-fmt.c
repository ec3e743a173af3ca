/* The unikernel's vsnprintf against the host's snprintf. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "unikernel/rt/fmt.h"

#define SAME(...) do { \
	char a_[64], b_[64]; \
	int na_ = fmt_snprintf(a_, sizeof(a_), __VA_ARGS__); \
	int nb_ = snprintf(b_, sizeof(b_), __VA_ARGS__); \
	CHECK_EQ(na_, nb_); \
	CHECK_STR(a_, b_); \
} while (0)

int
main(void)
{
	char small[4];

	SAME("plain");
	SAME("%d %d %d", 0, -1, INT32_MIN);
	SAME("%u %x %lu %lx", 4000000000u, 0xbeefu, (unsigned long)UINT64_MAX,
	     0x1234abcdul);
	SAME("%ld %zu", (long)INT64_MIN, (size_t)42);
	SAME("[%5d] [%05d]", 42, -42);
	SAME("[%08x] [%3s] [%s]", 0xabcu, "ab", "");
	SAME("%c%c %%", 'o', 'k');
	SAME("%s=%s", "data/ready", "1");

	/* truncation: terminated, and the full length returned */
	CHECK_EQ(fmt_snprintf(small, sizeof(small), "%s", "hello"), 5);
	CHECK_STR(small, "hel");
	CHECK_EQ(fmt_snprintf(NULL, 0, "%d", 1234), 4);
	return CHECK_DONE();
}
