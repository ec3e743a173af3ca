/* Anti-spoofing: a guest's frames from its own MAC and addresses. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "spoof.h"

int
spoof_init(struct spoof *s, const char *mac, const char *ip)
{
	char buf[512], *tok, *save;
	unsigned m[6];
	char tail;

	memset(s, 0, sizeof(*s));
	if (ip == NULL)
		return 0;
	if (mac == NULL || sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0],
	    &m[1], &m[2], &m[3], &m[4], &m[5], &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		s->mac[i] = (uint8_t)m[i];
	if (strlen(ip) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, ip);
	for (tok = strtok_r(buf, " ", &save); tok;
	    tok = strtok_r(NULL, " ", &save)) {
		if (s->n4 < SPOOF_MAX_ADDRS &&
		    inet_pton(AF_INET, tok, s->ip4[s->n4]) == 1)
			s->n4++;
		else if (s->n6 < SPOOF_MAX_ADDRS &&
		    inet_pton(AF_INET6, tok, s->ip6[s->n6]) == 1)
			s->n6++;
		else
			return -EINVAL;
	}
	if (s->n4 + s->n6 == 0)
		return -EINVAL;
	s->on = 1;
	return 0;
}

static int
has4(const struct spoof *s, const uint8_t *a)
{
	for (unsigned i = 0; i < s->n4; i++)
		if (memcmp(s->ip4[i], a, 4) == 0)
			return 1;
	return 0;
}

static int
has6(const struct spoof *s, const uint8_t *a)
{
	static const uint8_t any[16];

	/* unspecified (duplicate address detection), link-local */
	if (memcmp(a, any, 16) == 0 || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
		return 1;
	for (unsigned i = 0; i < s->n6; i++)
		if (memcmp(s->ip6[i], a, 16) == 0)
			return 1;
	return 0;
}

enum spoof_verdict
spoof_check(const struct spoof *s, const uint8_t *f, size_t len)
{
	unsigned type;

	if (!s->on)
		return SPOOF_OK;
	if (len < 14)
		return SPOOF_PROTO;
	if (memcmp(f + 6, s->mac, 6) != 0)
		return SPOOF_MAC;
	type = (unsigned)f[12] << 8 | f[13];
	switch (type) {
	case 0x0800:	/* IPv4: the source at 12 in the header */
		if (len < 14 + 20)
			return SPOOF_PROTO;
		return has4(s, f + 14 + 12) ? SPOOF_OK : SPOOF_IP;
	case 0x86dd:	/* IPv6: the source at 8 */
		if (len < 14 + 40)
			return SPOOF_PROTO;
		return has6(s, f + 14 + 8) ? SPOOF_OK : SPOOF_IP;
	case 0x0806:	/* ARP for IPv4 over Ethernet: sender MAC and IP */
		if (len < 14 + 28 || f[14 + 4] != 6 || f[14 + 5] != 4)
			return SPOOF_PROTO;
		if (memcmp(f + 14 + 8, s->mac, 6) != 0)
			return SPOOF_MAC;
		/* 0.0.0.0: an address probe (RFC 5227) claims nothing */
		return has4(s, f + 14 + 14) || !memcmp(f + 14 + 14,
		    "\0\0\0", 4) ? SPOOF_OK : SPOOF_IP;
	default:
		return SPOOF_PROTO;
	}
}
