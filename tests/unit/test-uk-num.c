/* unikernel/rt/num.c: strict decimal numbers from a peer's values. */
#include "config.h"

#include <errno.h>
#include <stdint.h>

#include "check.h"
#include "unikernel/rt/num.h"

static long long
parse(const char *s, uint32_t max)
{
	uint32_t v = 12345;
	int r = num_parse_u32(s, max, &v);

	if (r < 0) {
		CHECK_EQ(v, 12345);	/* untouched on failure */
		return r;
	}
	return v;
}

int
main(void)
{
	CHECK_EQ(parse("0", 10), 0);
	CHECK_EQ(parse("7", 10), 7);
	CHECK_EQ(parse("10", 10), 10);
	CHECK_EQ(parse("4294967295", UINT32_MAX), UINT32_MAX);
	CHECK_EQ(parse("11", 10), -ERANGE);
	CHECK_EQ(parse("4294967296", UINT32_MAX), -ERANGE);
	CHECK_EQ(parse("99999999999999999999999999", UINT32_MAX), -ERANGE);
	CHECK_EQ(parse("", 10), -EINVAL);
	CHECK_EQ(parse("01", 10), -EINVAL);
	CHECK_EQ(parse("-1", 10), -EINVAL);
	CHECK_EQ(parse("+1", 10), -EINVAL);
	CHECK_EQ(parse(" 1", 10), -EINVAL);
	CHECK_EQ(parse("1 ", 10), -EINVAL);
	CHECK_EQ(parse("1x", 10), -EINVAL);
	CHECK_EQ(parse("0x1", 10), -EINVAL);
	return CHECK_DONE();
}
