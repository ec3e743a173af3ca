/* SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit PRF. */
#ifndef XUD_NET_SIPHASH_H
#define XUD_NET_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t siphash24(const uint64_t key[2], const uint8_t *p, size_t len);

#endif
