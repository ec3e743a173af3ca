/*
 * The legacy MirageOS entropy handshake (xentropyd --legacy-mirage-channel),
 * free of I/O so that a unit test drives it with plain buffers.
 *
 * Over a secondary PV console named XE_LEGACY_NAME, the guest sends exactly
 * XE_LEGACY_HELLO; the daemon answers XE_LEGACY_REPLY, then a raw stream of
 * random bytes for as long as the console lives. Before the hello, any
 * byte that does not continue it ends the session (a prefix is fine: it
 * may arrive in pieces). After the hello, as mirage/xentropyd did, what
 * the guest writes is discarded, but bounded: it is counted and paid from
 * a bucket of discard_rate bytes per second (one second's worth at once);
 * a guest that writes faster ends the session. discard_rate 0 makes the
 * session strict: any byte after the hello ends it.
 */
#ifndef XENTROPY_LEGACY_PROTO_H
#define XENTROPY_LEGACY_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "ratelimit.h"

#define XE_LEGACY_NAME	"org.openmirage.entropy.1"
#define XE_LEGACY_HELLO	"Hello, may I have some entropy?\r\n"
#define XE_LEGACY_REPLY	\
	"You may treat everything following this message as entropy.\r\n"
#define XE_LEGACY_HELLO_LEN (sizeof(XE_LEGACY_HELLO) - 1)
#define XE_LEGACY_REPLY_LEN (sizeof(XE_LEGACY_REPLY) - 1)

enum xe_legacy_state {
	XE_LS_HELLO,	/* waiting for (the rest of) the hello */
	XE_LS_REPLY,	/* hello seen; the reply is being written */
	XE_LS_STREAM,	/* reply written; random bytes follow */
	XE_LS_BAD,	/* the guest broke the protocol: close */
};

struct xe_legacy_sess {
	enum xe_legacy_state state;
	size_t seen;		/* bytes of the hello matched */
	size_t replied;		/* bytes of the reply written */
	const char *why;	/* XE_LS_BAD: a short reason */
	uint64_t discard_rate;	/* bytes per second; 0 = strict */
	struct rl_bucket discard;
	uint64_t discarded;	/* bytes discarded after the hello */
};

void xe_legacy_init(struct xe_legacy_sess *s, uint64_t discard_rate,
		    uint64_t now_ns);
/* The guest sent len bytes at now_ns; returns the new state. */
enum xe_legacy_state xe_legacy_input(struct xe_legacy_sess *s,
				     const void *buf, size_t len,
				     uint64_t now_ns);
/*
 * The part of the reply still to be written (XE_LS_REPLY only): *len
 * bytes at the returned pointer, or NULL in other states.
 */
const char *xe_legacy_reply(const struct xe_legacy_sess *s, size_t *len);
/* n bytes of the reply were written; returns the new state. */
enum xe_legacy_state xe_legacy_replied(struct xe_legacy_sess *s, size_t n);
const char *xe_legacy_state_name(enum xe_legacy_state st);

#endif
