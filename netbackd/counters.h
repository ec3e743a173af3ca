/* A vif's counters, kept across its connections; --status prints them. */
#ifndef NETBACKD_COUNTERS_H
#define NETBACKD_COUNTERS_H

#include <stdint.h>

struct nb_counters {
	/* guest -> host */
	uint64_t tx_packets, tx_bytes, tx_errors, tx_batches;
	uint64_t tx_gso;	/* of the packets, GSO ones (TSO) */
	uint64_t tx_drop_csum;	/* csum_blank we could not place */
	uint64_t tx_drop_tap;	/* the TAP refused it */
	/* anti-spoofing (spoof.h): not its MAC, not its address, other */
	uint64_t tx_drop_mac, tx_drop_ip, tx_drop_proto;
	/* host -> guest */
	uint64_t rx_packets, rx_bytes, rx_errors, rx_batches;
	uint64_t rx_gso;
	uint64_t rx_drop_size;	/* the frontend cannot take it */
	uint64_t rx_drop_short;	/* a read shorter than its header */
	uint64_t rx_stalls;	/* waits for the guest's rx requests */
	/* the connection */
	uint64_t connects, hostile;
};

#endif
