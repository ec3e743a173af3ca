/*
 * A small IPv4 stack for a unikernel that serves the network: ARP, ICMP
 * echo, UDP echo (port 7) and a TCP that answers HTTP GET on port 80.
 * It does no I/O: the caller hands it each received Ethernet frame and
 * the time, it sends frames through the caller's tx callback, and
 * net_poll() runs its timers. So netfront drives it in a guest, and unit
 * tests and libFuzzer drive it with frames in memory. All state is in
 * struct net, of a fixed size: no allocation, every table bounded.
 *
 * Times are nanoseconds of a clock that never goes back (Xen system time
 * in the guest). Addresses are in host byte order.
 *
 * A netfront drives it so: each received packet is copied out of its
 * granted page (a backend must not be able to change it while we parse)
 * and passed to net_input(); tx copies the frame into a free tx slot, or
 * returns a negative error when the ring is full (the frame is lost, as
 * on a wire: TCP sends it again); after each batch it calls net_poll()
 * and sleeps until the time that returns or the next event. tx must not
 * call back into the stack.
 */
#ifndef XUD_NET_H
#define XUD_NET_H

#include <stddef.h>
#include <stdint.h>

#define NET_FRAME_MAX 1514	/* Ethernet header + 1500 (no FCS) */
#define NET_IP_MAX 1500
#define NET_ARP_ENTRIES 8
#define NET_TCP_CONNS 16
#define NET_TCP_RXBUF 1024	/* a request's line and headers */
#define NET_TCP_TXBUF 1536	/* a response, held until acknowledged */
#define NET_NAME_MAX 48

/* Why a frame was dropped: each reason counts in net_stats.drop[]. */
enum net_drop {
	NET_DROP_ETH,		/* short, long, or a source we refuse */
	NET_DROP_ETH_DST,	/* not for our MAC (or broadcast for ARP) */
	NET_DROP_ETH_TYPE,	/* neither IPv4 nor ARP */
	NET_DROP_ARP,		/* malformed, or not for us */
	NET_DROP_IP_HDR,	/* version, IHL, lengths */
	NET_DROP_IP_CKSUM,
	NET_DROP_IP_FRAG,	/* fragments are not reassembled */
	NET_DROP_IP_TTL,
	NET_DROP_IP_ADDR,	/* not to us, or from an address no host has */
	NET_DROP_IP_PROTO,
	NET_DROP_ICMP,		/* short, or a type we do not answer */
	NET_DROP_ICMP_CKSUM,
	NET_DROP_UDP,		/* short, bad length, refused source port */
	NET_DROP_UDP_CKSUM,
	NET_DROP_TCP,		/* short, bad data offset or options, port 0 */
	NET_DROP_TCP_CKSUM,
	NET_DROP_TCP_FLAGS,	/* a combination no valid segment has */
	NET_DROP_TCP_SEQ,	/* outside the receive window */
	NET_DROP_TCP_ACK,	/* acknowledges what we never sent */
	NET_DROP_TCP_FULL,	/* SYN while every connection slot is busy */
	NET_DROP_TCP_STATE,	/* not valid in the connection's state */
	NET_DROP_NR
};

struct net_stats {
	uint64_t rx, tx, tx_err;
	uint64_t drop[NET_DROP_NR];
	uint64_t arp_replies, arp_requests, icmp_echo, udp_echo;
	uint64_t tcp_accepted, tcp_rst_in, tcp_rst_out, tcp_retransmit;
	uint64_t tcp_timeout, tcp_challenge_ack, http_responses;
};

struct net_config {
	uint8_t mac[6];
	uint32_t ip;
	uint32_t netmask;	/* 0: every address is on our link */
	uint32_t gateway;	/* the next hop off our link (0: none) */
	const char *name;	/* the unikernel's name, shown on the page */
	uint64_t boot_ns;	/* the page's uptime is now - boot_ns */
	uint64_t secret[2];	/* keys the initial sequence numbers */
	/*
	 * Sends one frame (it may be as short as 60 bytes); returns 0 or a
	 * negative error. The frame is only valid during the call.
	 */
	int (*tx)(void *arg, const void *frame, size_t len);
	void *tx_arg;
};

/* ARP cache (arp.c). */
enum { NET_ARP_FREE, NET_ARP_PENDING, NET_ARP_DONE };
struct net_arp_entry {
	uint32_t ip;
	uint8_t mac[6];
	uint8_t state;
	uint64_t when;		/* learned, or (pending) last request sent */
};

/* TCP connection (tcp_*.c); the only listening port is 80. */
enum net_tcp_state {
	TCP_FREE,
	TCP_SYN_RCVD,
	TCP_ESTABLISHED,
	TCP_CLOSE_WAIT,		/* peer sent FIN; our response is pending */
	TCP_FIN_WAIT_1,		/* we sent FIN */
	TCP_FIN_WAIT_2,		/* our FIN acknowledged */
	TCP_CLOSING,		/* both FINs sent, ours not acknowledged */
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
};
struct net_tcp_conn {
	uint8_t state;
	uint8_t responded;	/* the response is queued: rx is discarded */
	uint8_t fin_queued;	/* a FIN follows the last byte of tx */
	uint8_t retries;
	uint32_t rip;
	uint16_t rport;
	uint16_t mss;		/* the most we send per segment */
	uint32_t iss, snd_una, snd_nxt, snd_wnd;
	uint32_t irs, rcv_nxt;
	uint64_t rto_at;	/* retransmit time, 0 when nothing is in flight */
	uint64_t rto_ns;	/* the current timeout, doubled per retry */
	uint64_t expire_at;	/* idle or TIME_WAIT end */
	uint16_t rx_len;
	uint16_t tx_len;	/* bytes from snd_una on (after the SYN) */
	uint8_t rx[NET_TCP_RXBUF];
	uint8_t tx[NET_TCP_TXBUF];
};

struct net {
	struct net_config cfg;
	char name[NET_NAME_MAX];
	struct net_stats stats;
	struct net_arp_entry arp[NET_ARP_ENTRIES];
	/* one IP packet waiting for its next hop's MAC */
	uint32_t hold_ip;
	uint16_t hold_len;
	uint8_t hold[NET_IP_MAX];
	struct net_tcp_conn tcp[NET_TCP_CONNS];
	uint8_t out[NET_FRAME_MAX];	/* the frame being built */
};

/* Returns 0, or -EINVAL for an address or MAC we cannot use. */
int net_init(struct net *n, const struct net_config *cfg);
/* One received frame (copied by the caller: a peer may not change it). */
void net_input(struct net *n, const void *frame, size_t len, uint64_t now);
/*
 * Runs the timers due at now; returns when it next needs to run
 * (UINT64_MAX: nothing pending).
 */
uint64_t net_poll(struct net *n, uint64_t now);
/* Parses a dotted quad ("10.0.0.2", exactly len bytes); 0 or -EINVAL. */
int net_parse_ip4(const char *s, size_t len, uint32_t *ip);
/* Connections in use (any state but free). */
unsigned net_tcp_count(const struct net *n);

#endif
