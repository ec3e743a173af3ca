/* netbackd/spoof.c: which frames from a guest pass, with Qubes' "ip". */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "spoof.h"

static const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x5e, 0x6c, 0x01 };
static const uint8_t other[6] = { 0x00, 0x16, 0x3e, 0x5e, 0x6c, 0x02 };
static uint8_t f[128];

static size_t
frame(const uint8_t *src, unsigned type)
{
	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
	return sizeof(f);
}

static size_t
ipv4(const uint8_t *src, const char *a)
{
	size_t n = frame(src, 0x0800);
	unsigned b[4];

	sscanf(a, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]);
	f[14] = 0x45;
	for (int i = 0; i < 4; i++)
		f[14 + 12 + i] = (uint8_t)b[i];
	return n;
}

static size_t
arp(const uint8_t *src, const uint8_t *sha, const uint8_t *spa)
{
	size_t n = frame(src, 0x0806);

	f[14 + 4] = 6;
	f[14 + 5] = 4;
	memcpy(f + 14 + 8, sha, 6);
	memcpy(f + 14 + 14, spa, 4);
	return n;
}

int
main(void)
{
	struct spoof s;
	const uint8_t ip_ok[4] = { 10, 137, 0, 5 }, ip_bad[4] = { 10, 137, 0, 6 };
	const uint8_t zero[4] = { 0 };
	size_t n;

	/* no "ip": nothing is checked, even a stranger's MAC */
	CHECK_EQ(spoof_init(&s, NULL, NULL), 0);
	CHECK_EQ(spoof_check(&s, f, frame(other, 0x1234)), SPOOF_OK);

	CHECK_EQ(spoof_init(&s, "00:16:3e:5e:6c:01", "10.137.0.5 fd09::5"), 0);
	CHECK_EQ(spoof_check(&s, f, ipv4(mac, "10.137.0.5")), SPOOF_OK);
	CHECK_EQ(spoof_check(&s, f, ipv4(mac, "10.137.0.6")), SPOOF_IP);
	CHECK_EQ(spoof_check(&s, f, ipv4(other, "10.137.0.5")), SPOOF_MAC);
	CHECK_EQ(spoof_check(&s, f, ipv4(mac, "10.137.0.5") - 128 + 33),
	    SPOOF_PROTO);
	CHECK_EQ(spoof_check(&s, f, 13), SPOOF_PROTO);
	CHECK_EQ(spoof_check(&s, f, frame(mac, 0x88b5)), SPOOF_PROTO);

	/* ARP: the sender's MAC and address too; a probe claims nothing */
	CHECK_EQ(spoof_check(&s, f, arp(mac, mac, ip_ok)), SPOOF_OK);
	CHECK_EQ(spoof_check(&s, f, arp(mac, mac, ip_bad)), SPOOF_IP);
	CHECK_EQ(spoof_check(&s, f, arp(mac, other, ip_ok)), SPOOF_MAC);
	CHECK_EQ(spoof_check(&s, f, arp(mac, mac, zero)), SPOOF_OK);
	n = arp(mac, mac, ip_ok);
	f[14 + 4] = 8;		/* not Ethernet/IPv4 ARP */
	CHECK_EQ(spoof_check(&s, f, n), SPOOF_PROTO);

	/* IPv6: its address, link-local and unspecified sources */
	n = frame(mac, 0x86dd);
	f[14] = 0x60;
	f[14 + 8] = 0xfd, f[14 + 9] = 0x09, f[14 + 23] = 5;
	CHECK_EQ(spoof_check(&s, f, n), SPOOF_OK);
	f[14 + 23] = 6;
	CHECK_EQ(spoof_check(&s, f, n), SPOOF_IP);
	memset(f + 14 + 8, 0, 16);
	CHECK_EQ(spoof_check(&s, f, n), SPOOF_OK);
	f[14 + 8] = 0xfe, f[14 + 9] = 0x80, f[14 + 23] = 9;
	CHECK_EQ(spoof_check(&s, f, n), SPOOF_OK);
	f[14 + 9] = 0xc0;	/* fec0::/10 is not link-local */
	CHECK_EQ(spoof_check(&s, f, n), SPOOF_IP);
	CHECK_EQ(spoof_check(&s, f, 14 + 39), SPOOF_PROTO);

	/* what does not parse is refused, not served unchecked */
	CHECK_EQ(spoof_init(&s, "00:16:3e:5e:6c", "10.137.0.5"), -EINVAL);
	CHECK_EQ(spoof_init(&s, NULL, "10.137.0.5"), -EINVAL);
	CHECK_EQ(spoof_init(&s, "00:16:3e:5e:6c:01", "10.137.0.300"), -EINVAL);
	CHECK_EQ(spoof_init(&s, "00:16:3e:5e:6c:01", ""), -EINVAL);
	CHECK_EQ(spoof_init(&s, "00:16:3e:5e:6c:01",
	    "1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 "
	    "1.1.1.9"), -EINVAL);
	CHECK_EQ(spoof_init(&s, "00:16:3e:5e:6c:01", "  10.137.0.5  "), 0);
	CHECK_EQ(s.n4, 1);
	return CHECK_DONE();
}
