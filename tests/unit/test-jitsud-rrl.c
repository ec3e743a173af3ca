/*
 * Response rate limiting: a prefix gets its rate a second, a second's
 * worth at once, then every slip-th limited query slips; its budget comes
 * back with time; addresses in one prefix share it, other prefixes do
 * not; and a flood from a million addresses uses no more than the
 * table's slots.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "rrl.h"
#include "check.h"

#define NS 1000000000ULL

static const struct sockaddr *
v4(const char *a, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, a, &sin->sin_addr);
	return (const struct sockaddr *)sin;
}

static const struct sockaddr *
v6(const char *a, struct sockaddr_in6 *sin6)
{
	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	inet_pton(AF_INET6, a, &sin6->sin6_addr);
	return (const struct sockaddr *)sin6;
}

/* Queries from sa at t until the first that is not passed: how many. */
static int
passed(struct rrl *r, const struct sockaddr *sa, uint64_t t)
{
	int n = 0;

	while (n < 100000 && rrl_check(r, sa, t) == RRL_PASS)
		n++;
	return n;
}

int
main(void)
{
	struct rrl_params p = { 10, 1024, 24, 56, 2 };
	struct sockaddr_in a, b;
	struct sockaddr_in6 c, d;
	struct sockaddr_un { sa_family_t f; char path[8]; } un = { AF_UNIX, "" };
	uint64_t t = 5 * NS;
	struct rrl *r = rrl_new(&p, 42);

	CHECK(r != NULL);

	/* A second's worth, then limited, every second one slipping. */
	CHECK_EQ(passed(r, v4("192.0.2.1", &a), t), 10);
	CHECK_EQ(rrl_check(r, v4("192.0.2.1", &a), t), RRL_SLIP);
	CHECK_EQ(rrl_check(r, v4("192.0.2.1", &a), t), RRL_LIMIT);
	CHECK_EQ(rrl_check(r, v4("192.0.2.1", &a), t), RRL_SLIP);

	/* The same /24 shares the budget; another /24 has its own. */
	CHECK(rrl_check(r, v4("192.0.2.200", &b), t) != RRL_PASS);
	CHECK_EQ(passed(r, v4("192.0.3.1", &b), t), 10);

	/* A tenth of a second gives one answer back; a second all ten. */
	CHECK_EQ(passed(r, v4("192.0.2.1", &a), t + NS / 10), 1);
	CHECK_EQ(passed(r, v4("192.0.2.1", &a), t + 2 * NS), 10);

	/* IPv6: a /56 together, the next /56 apart. */
	CHECK_EQ(passed(r, v6("2001:db8:0:1::1", &c), t), 10);
	CHECK(rrl_check(r, v6("2001:db8:0:ff::2", &d), t) != RRL_PASS);
	CHECK_EQ(passed(r, v6("2001:db8:0:100::1", &d), t), 10);

	/* Not an IP client: not limited. */
	CHECK_EQ(passed(r, (const struct sockaddr *)&un, t), 100000);
	rrl_free(r);

	/* slip 0: never truncated; prefix 32: each address alone. */
	p.slip = 0;
	p.v4_prefix = 32;
	r = rrl_new(&p, 7);
	CHECK_EQ(passed(r, v4("198.51.100.1", &a), t), 10);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(rrl_check(r, v4("198.51.100.1", &a), t), RRL_LIMIT);
	CHECK_EQ(passed(r, v4("198.51.100.2", &b), t), 10);
	rrl_free(r);

	/* Rate 0: off. */
	p.rate = 0;
	r = rrl_new(&p, 7);
	CHECK_EQ(passed(r, v4("198.51.100.1", &a), t), 100000);
	CHECK_EQ(rrl_used(r), 0);
	rrl_free(r);

	/*
	 * A million addresses, one query each: no more slots than the
	 * table has, and the answers they get are bounded by the slots'
	 * budgets, not by the number of addresses.
	 */
	p = (struct rrl_params){ 10, 64, 32, 128, 0 };
	r = rrl_new(&p, 1);
	{
		unsigned long n = 0;

		for (uint32_t i = 0; i < 1000000; i++) {
			a.sin_addr.s_addr = htonl(0x0a000000u + i);
			n += rrl_check(r, (const struct sockaddr *)&a, t) ==
			    RRL_PASS;
		}
		CHECK_EQ(rrl_used(r), 64);
		CHECK_EQ(n, 64 * 10);
	}
	rrl_free(r);

	/* No table of no slots. */
	p.size = 0;
	CHECK(rrl_new(&p, 1) == NULL);
	return CHECK_DONE();
}
