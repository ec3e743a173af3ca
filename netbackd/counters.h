/*
 * A vif's counters, kept across its connections; --status prints them.
 * A connected queue's are written by its thread alone and read by the
 * main thread's --status: the queue counts in a copy of its own and
 * publishes it with relaxed atomic stores of each field, the reader
 * loads each field the same way. One writer per field needs no lock
 * and no locked instruction (a plain store on x86), and no field is
 * ever seen torn; a snapshot may mix two rounds of a queue (packets of
 * one, bytes of the one before), which counters do not need to avoid.
 */
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

/* The writer's side: dst's fields become src's, each stored atomically. */
static inline void
counters_publish(struct nb_counters *dst, const struct nb_counters *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;

	for (size_t i = 0; i < sizeof(*dst) / sizeof(uint64_t); i++)
		__atomic_store_n(&d[i], s[i], __ATOMIC_RELAXED);
}

/* The reader's side: adds src's fields, each loaded atomically. */
static inline void
counters_add_published(struct nb_counters *dst,
		       const struct nb_counters *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;

	for (size_t i = 0; i < sizeof(*dst) / sizeof(uint64_t); i++)
		d[i] += __atomic_load_n(&s[i], __ATOMIC_RELAXED);
}

#endif
