/*
 * The Internet checksum. A received header or segment is valid when the
 * checksum over it, its checksum field included, folds to 0.
 */
#include "cksum.h"

uint32_t
cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	/* 64 KiB of bytes cannot overflow the 32-bit sum; frames are less */
	for (; len > 1; len -= 2, p += 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

uint32_t
cksum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
	    proto + (uint32_t)len;
}

uint16_t
cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
