/*
 * The messages between jitsud's two processes (privilege separation):
 * the DNS process, which faces the network and holds no Xen handle, and
 * the privileged one, which summons. They travel over a SOCK_SEQPACKET
 * socketpair, so each is one datagram: a fixed header, then up to
 * PM_TEXT_MAX bytes of text (status text and counts only).
 *
 *   DNS -> privileged   PM_START svc      boot service svc
 *                       PM_USED svc       a query for svc was answered
 *                       PM_TEXT seq       a piece of the status text
 *                       PM_TEXT_END seq   the status text is complete
 *                       PM_COUNTS_R svc   its query counts (16 bytes:
 *                                         queries, limited; big-endian)
 *   privileged -> DNS   PM_STATE svc st   service svc is now st (| PM_PLACE
 *                                         when it holds a max-running place)
 *                       PM_STATUS seq     send the status text
 *                       PM_COUNTS svc     send svc's query counts
 *
 * Pure: decoding checks the size against the type and that each field
 * is in range for the configured services, so that whatever a
 * compromised DNS process sends, the privileged one sees only messages
 * it can act on.
 */
#ifndef JITSUD_PRIVMSG_H
#define JITSUD_PRIVMSG_H

#include <stddef.h>
#include <stdint.h>

enum pm_type {
	PM_START = 1, PM_USED, PM_TEXT, PM_TEXT_END,	/* from DNS */
	PM_STATE, PM_STATUS,				/* to DNS */
	PM_COUNTS, PM_COUNTS_R,
};

#define PM_COUNTS_LEN 16
/* PM_STATE: the service is starting, up or stopping (max-running). */
#define PM_PLACE 0x100u

#define PM_HEADER 12
#define PM_TEXT_MAX 1024
#define PM_MAX (PM_HEADER + PM_TEXT_MAX)

struct pm_msg {
	uint16_t type;		/* enum pm_type */
	uint16_t len;		/* of text */
	uint32_t a;		/* svc, or seq */
	uint32_t b;		/* PM_STATE: enum jd_svc_state */
	char text[PM_TEXT_MAX];
};

/* Writes m to buf (PM_MAX bytes); returns the size to send. */
size_t pm_encode(const struct pm_msg *m, uint8_t *buf);
/*
 * Reads one datagram of n bytes into m: 0, or -EBADMSG unless it is a
 * message of a known type, of exactly its size, with svc below nsvc and
 * a state of enum jd_svc_state (with PM_PLACE or not).
 */
int pm_decode(const uint8_t *buf, size_t n, unsigned int nsvc,
    struct pm_msg *m);
/* 1 if the DNS process may send type t, else 0. */
int pm_from_dns(unsigned int t);
/* PM_COUNTS_R's body, and back. */
void pm_put_counts(struct pm_msg *m, uint64_t queries, uint64_t limited);
void pm_get_counts(const struct pm_msg *m, uint64_t *queries,
    uint64_t *limited);

#endif
