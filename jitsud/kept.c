/*
 * Kept answers (see kept.h): two ways for each hash of the key, the one
 * used less lately going when both are taken.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kept.h"

#define SLOTS 1024
#define MAX_Q 256	/* largest query kept, from byte 2 */
#define MAX_R 512	/* largest answer kept, from byte 2 */

struct slot {
	uint64_t gen;	/* when kept; 0: empty */
	uint16_t qlen, rlen;	/* without the ID */
	bool tcp;
	bool recent;	/* of the two ways, the one used last */
	uint16_t udp_max;
	uint16_t limit;
	int svc;
	uint8_t q[MAX_Q];
	uint8_t r[MAX_R];
};

struct kept {
	struct slot slots[SLOTS];
};

struct kept *
kept_new(void)
{
	return calloc(1, sizeof(struct kept));
}

void
kept_free(struct kept *k)
{
	free(k);
}

/* The two ways for a query (FNV-1a over its bytes after the ID). */
static struct slot *
ways(struct kept *k, const uint8_t *q, size_t qlen)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 2; i < qlen; i++)
		h = (h ^ q[i]) * 0x100000001b3ULL;
	return &k->slots[(h ^ (h >> 32)) % (SLOTS / 2) * 2];
}

static bool
keyed(size_t qlen)
{
	return qlen >= 12 && qlen - 2 <= MAX_Q;
}

bool
kept_get(struct kept *k, uint64_t gen, const uint8_t *q, size_t qlen,
    bool tcp, size_t udp_max, uint8_t *out, struct jd_result *res)
{
	struct slot *w;

	if (!keyed(qlen))
		return false;
	w = ways(k, q, qlen);
	for (int i = 0; i < 2; i++) {
		struct slot *s = &w[i];

		if (s->gen != gen || s->qlen != qlen - 2 || s->tcp != tcp ||
		    s->udp_max != udp_max || memcmp(s->q, q + 2, qlen - 2))
			continue;
		s->recent = true;
		w[!i].recent = false;
		memset(res, 0, sizeof(*res));
		res->decision = JD_ANSWER;
		res->svc = s->svc;
		res->limit = s->limit;
		res->len = s->rlen + 2u;
		out[0] = q[0];
		out[1] = q[1];
		memcpy(out + 2, s->r, s->rlen);
		return true;
	}
	return false;
}

void
kept_put(struct kept *k, uint64_t gen, const uint8_t *q, size_t qlen,
    bool tcp, size_t udp_max, const uint8_t *out,
    const struct jd_result *res)
{
	struct slot *w, *s;
	int i;

	if (!keyed(qlen) || res->decision != JD_ANSWER || res->summon ||
	    !res->limit || res->limit > UINT16_MAX || res->len < 12 ||
	    res->len - 2 > MAX_R || udp_max > UINT16_MAX)
		return;
	w = ways(k, q, qlen);
	/* a stale way, else the one not used last */
	i = w[0].gen != gen ? 0 : w[1].gen != gen ? 1 : w[0].recent;
	s = &w[i];
	s->gen = gen;
	s->qlen = (uint16_t)(qlen - 2);
	s->tcp = tcp;
	s->udp_max = (uint16_t)udp_max;
	s->svc = res->svc;
	s->limit = (uint16_t)res->limit;
	s->rlen = (uint16_t)(res->len - 2);
	memcpy(s->q, q + 2, qlen - 2);
	memcpy(s->r, out + 2, res->len - 2);
	s->recent = true;
	w[!i].recent = false;
}
