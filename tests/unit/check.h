/* Minimal assertions for unit tests: count failures, report file:line. */
#ifndef XUD_CHECK_H
#define XUD_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
		    __LINE__, #cond); \
		check_failures++; \
	} \
} while (0)

#define CHECK_EQ(a, b) do { \
	long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
	if (check_a_ != check_b_) { \
		fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", \
		    __FILE__, __LINE__, #a, #b, check_a_, check_b_); \
		check_failures++; \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *check_a_ = (a), *check_b_ = (b); \
	if (check_a_ == NULL || check_b_ == NULL || \
	    strcmp(check_a_, check_b_) != 0) { \
		fprintf(stderr, "%s:%d: %s == %s failed: '%s' != '%s'\n", \
		    __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)", \
		    check_b_ ? check_b_ : "(null)"); \
		check_failures++; \
	} \
} while (0)

#define CHECK_DONE() (check_failures ? (fprintf(stderr, "%d failed\n", \
	check_failures), 1) : 0)

#endif
