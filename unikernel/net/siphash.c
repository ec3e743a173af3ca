/* SipHash-2-4, written from the paper's description. */
#include "siphash.h"

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

struct sip {
	uint64_t v0, v1, v2, v3;
};

static void
rounds(struct sip *s, int n)
{
	while (n--) {
		s->v0 += s->v1;
		s->v1 = ROTL(s->v1, 13) ^ s->v0;
		s->v0 = ROTL(s->v0, 32);
		s->v2 += s->v3;
		s->v3 = ROTL(s->v3, 16) ^ s->v2;
		s->v0 += s->v3;
		s->v3 = ROTL(s->v3, 21) ^ s->v0;
		s->v2 += s->v1;
		s->v1 = ROTL(s->v1, 17) ^ s->v2;
		s->v2 = ROTL(s->v2, 32);
	}
}

static void
absorb(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	rounds(s, 2);
	s->v0 ^= m;
}

uint64_t
siphash24(const uint64_t key[2], const uint8_t *p, size_t len)
{
	struct sip s = {
		key[0] ^ 0x736f6d6570736575ull, key[1] ^ 0x646f72616e646f6dull,
		key[0] ^ 0x6c7967656e657261ull, key[1] ^ 0x7465646279746573ull,
	};
	uint64_t last = (uint64_t)len << 56;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t m = 0;

		for (int k = 7; k >= 0; k--)
			m = m << 8 | p[i + (size_t)k];
		absorb(&s, m);
	}
	for (size_t k = 0; i + k < len; k++)
		last |= (uint64_t)p[i + k] << (8 * k);
	absorb(&s, last);
	s.v2 ^= 0xff;
	rounds(&s, 4);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
