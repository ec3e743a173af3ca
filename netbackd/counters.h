/* A vif's counters, kept across its connections; --status prints them. */
#ifndef NETBACKD_COUNTERS_H
#define NETBACKD_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

struct nb_counters {
	/* guest -> host */
	uint64_t tx_packets, tx_bytes, tx_errors, tx_batches;
	uint64_t tx_gso;	/* of the packets, GSO ones (TSO) */
	uint64_t tx_drop_csum;	/* csum_blank we could not place */
	uint64_t tx_drop_tap;	/* the TAP refused it */
	/* anti-spoofing (spoof.h): not its MAC, not its address, other */
	uint64_t tx_drop_mac, tx_drop_ip, tx_drop_proto;
	uint64_t tx_rate_deferred;	/* polls ended by the rate key */
	/* host -> guest */
	uint64_t rx_packets, rx_bytes, rx_errors, rx_batches;
	uint64_t rx_gso;
	uint64_t rx_drop_size;	/* the frontend cannot take it */
	uint64_t rx_drop_short;	/* a read shorter than its header */
	uint64_t rx_stalls;	/* waits for the guest's rx requests */
	/* the connection */
	uint64_t connects, hostile;
};

/* All fields are uint64_t counters: adds src's into dst's. */
static inline void
counters_add(struct nb_counters *dst, const struct nb_counters *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;

	_Static_assert(sizeof(*dst) % sizeof(uint64_t) == 0,
	    "nb_counters holds uint64_t counters only");
	for (size_t i = 0; i < sizeof(*dst) / sizeof(uint64_t); i++)
		d[i] += s[i];
}

#endif
