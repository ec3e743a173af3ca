/* The Internet checksum (RFC 1071), over bytes at any alignment. */
#ifndef XUD_NET_CKSUM_H
#define XUD_NET_CKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds len bytes to a running sum (an odd length pads with a zero). */
uint32_t cksum_add(uint32_t sum, const uint8_t *p, size_t len);
/* The sum of the TCP/UDP pseudo-header. */
uint32_t cksum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, size_t len);
/* The final one's-complement checksum of a running sum. */
uint16_t cksum_fold(uint32_t sum);

#endif
