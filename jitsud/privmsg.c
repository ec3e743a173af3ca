/* The messages between jitsud's processes (privmsg.h). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "answer.h"
#include "privmsg.h"

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

size_t
pm_encode(const struct pm_msg *m, uint8_t *buf)
{
	size_t len = m->len > PM_TEXT_MAX ? PM_TEXT_MAX : m->len;

	put16(buf, m->type);
	put16(buf + 2, (uint16_t)len);
	put32(buf + 4, m->a);
	put32(buf + 8, m->b);
	memcpy(buf + PM_HEADER, m->text, len);
	return PM_HEADER + len;
}

int
pm_from_dns(unsigned int t)
{
	return t == PM_START || t == PM_USED || t == PM_TEXT ||
	    t == PM_TEXT_END || t == PM_COUNTS_R;
}

void
pm_put_counts(struct pm_msg *m, uint64_t queries, uint64_t limited)
{
	uint8_t *p = (uint8_t *)m->text;

	put32(p, (uint32_t)(queries >> 32));
	put32(p + 4, (uint32_t)queries);
	put32(p + 8, (uint32_t)(limited >> 32));
	put32(p + 12, (uint32_t)limited);
	m->len = PM_COUNTS_LEN;
}

void
pm_get_counts(const struct pm_msg *m, uint64_t *queries, uint64_t *limited)
{
	const uint8_t *p = (const uint8_t *)m->text;

	*queries = (uint64_t)get32(p) << 32 | get32(p + 4);
	*limited = (uint64_t)get32(p + 8) << 32 | get32(p + 12);
}

int
pm_decode(const uint8_t *buf, size_t n, unsigned int nsvc, struct pm_msg *m)
{
	if (n < PM_HEADER)
		return -EBADMSG;
	m->type = get16(buf);
	m->len = get16(buf + 2);
	m->a = get32(buf + 4);
	m->b = get32(buf + 8);
	/* Only status text and counts have a body; it fills the datagram. */
	if (n != PM_HEADER + (size_t)m->len || m->len > PM_TEXT_MAX ||
	    (m->type != PM_TEXT && m->len != (m->type == PM_COUNTS_R ?
	    PM_COUNTS_LEN : 0)))
		return -EBADMSG;
	switch (m->type) {
	case PM_START:
	case PM_USED:
	case PM_COUNTS:
	case PM_COUNTS_R:
		if (m->a >= nsvc || m->b != 0)
			return -EBADMSG;
		break;
	case PM_STATE:
		if (m->a >= nsvc || (m->b & ~PM_PLACE) > JD_READY)
			return -EBADMSG;
		break;
	case PM_TEXT:
	case PM_TEXT_END:
	case PM_STATUS:
		if (m->b != 0)
			return -EBADMSG;
		break;
	default:
		return -EBADMSG;
	}
	memcpy(m->text, buf + PM_HEADER, m->len);
	return 0;
}
