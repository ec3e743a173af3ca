/*
 * Anti-spoofing, Qubes' convention: when the toolstack gave a vif its
 * client's addresses (the backend's "ip" key, space-separated IPv4
 * and IPv6 addresses), a frame from the guest must come from the vif's
 * own MAC (the backend's "mac" key) and, for IPv4, IPv6 and ARP, from
 * one of those addresses (IPv6 link-local and unspecified sources too,
 * which neighbour discovery needs); other frames are dropped. Without
 * an "ip" key nothing is checked. Free of I/O.
 */
#ifndef NETBACKD_SPOOF_H
#define NETBACKD_SPOOF_H

#include <stddef.h>
#include <stdint.h>

#define SPOOF_MAX_ADDRS 8

struct spoof {
	int on;
	uint8_t mac[6];
	unsigned n4, n6;
	uint8_t ip4[SPOOF_MAX_ADDRS][4];
	uint8_t ip6[SPOOF_MAX_ADDRS][16];
};

enum spoof_verdict {
	SPOOF_OK,
	SPOOF_MAC,		/* not the vif's source MAC */
	SPOOF_IP,		/* not the client's source address */
	SPOOF_PROTO,		/* neither IPv4, IPv6 nor ARP, or cut short */
};

/*
 * From the backend's "mac" and "ip" values (ip NULL: off). 0, or
 * -EINVAL for a value that does not parse (the caller refuses the vif
 * rather than serve it unchecked).
 */
int spoof_init(struct spoof *s, const char *mac, const char *ip);
enum spoof_verdict spoof_check(const struct spoof *s, const uint8_t *frame,
			       size_t len);

#endif
