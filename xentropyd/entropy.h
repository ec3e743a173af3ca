/* Random bytes for guests, from the kernel's pool. */
#ifndef XENTROPYD_ENTROPY_H
#define XENTROPYD_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

/*
 * getrandom(2) without blocking: a guest never waits for a pool that is
 * not ready yet, it is told to retry. 0, or -errno (-EAGAIN: not ready).
 */
int xe_fill_random(uint8_t *buf, size_t n);

#endif
