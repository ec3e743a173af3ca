/*
 * What a guest was given, counted by whichever of its channels gave it
 * (chan.c, legacy.c) and shown by status.c.
 */
#ifndef XENTROPYD_COUNTS_H
#define XENTROPYD_COUNTS_H

#include <stdint.h>

struct xe_counts {
	uint64_t bytes, requests, throttled, errors;
	uint64_t discarded;	/* legacy console: written after the hello */
};

#endif
