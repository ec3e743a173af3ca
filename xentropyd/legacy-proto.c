/* The legacy MirageOS entropy handshake; see legacy-proto.h. */
#include "config.h"

#include <string.h>

#include "legacy-proto.h"

void
xe_legacy_init(struct xe_legacy_sess *s, uint64_t discard_rate,
	       uint64_t now_ns)
{
	memset(s, 0, sizeof(*s));
	s->state = XE_LS_HELLO;
	s->discard_rate = discard_rate;
	rl_init(&s->discard, discard_rate, discard_rate, now_ns);
}

static enum xe_legacy_state
bad(struct xe_legacy_sess *s, const char *why)
{
	s->state = XE_LS_BAD;
	s->why = why;
	return s->state;
}

/* Bytes after the hello: discarded within the bucket, else the end. */
static enum xe_legacy_state
discard(struct xe_legacy_sess *s, size_t len, uint64_t now_ns)
{
	if (s->discard_rate == 0)
		return bad(s, "sent bytes after the hello");
	if (!rl_take_all(&s->discard, len, now_ns))
		return bad(s, "wrote faster than the discard limit after the "
		    "hello");
	s->discarded += len;
	return s->state;
}

enum xe_legacy_state
xe_legacy_input(struct xe_legacy_sess *s, const void *buf, size_t len,
		uint64_t now_ns)
{
	const char *p = buf;
	size_t n = len;

	if (len == 0 || s->state == XE_LS_BAD)
		return s->state;
	if (s->state != XE_LS_HELLO)
		return discard(s, len, now_ns);
	if (n > XE_LEGACY_HELLO_LEN - s->seen) {
		if (s->discard_rate == 0)
			return bad(s, "sent more than the hello");
		n = XE_LEGACY_HELLO_LEN - s->seen;
	}
	if (memcmp(p, XE_LEGACY_HELLO + s->seen, n) != 0)
		return bad(s, "sent something other than the hello");
	s->seen += n;
	if (s->seen == XE_LEGACY_HELLO_LEN)
		s->state = XE_LS_REPLY;
	if (n < len)
		return discard(s, len - n, now_ns);
	return s->state;
}

const char *
xe_legacy_reply(const struct xe_legacy_sess *s, size_t *len)
{
	if (s->state != XE_LS_REPLY) {
		*len = 0;
		return NULL;
	}
	*len = XE_LEGACY_REPLY_LEN - s->replied;
	return XE_LEGACY_REPLY + s->replied;
}

enum xe_legacy_state
xe_legacy_replied(struct xe_legacy_sess *s, size_t n)
{
	if (s->state != XE_LS_REPLY)
		return s->state;
	if (n > XE_LEGACY_REPLY_LEN - s->replied)
		n = XE_LEGACY_REPLY_LEN - s->replied;
	s->replied += n;
	if (s->replied == XE_LEGACY_REPLY_LEN)
		s->state = XE_LS_STREAM;
	return s->state;
}

const char *
xe_legacy_state_name(enum xe_legacy_state st)
{
	switch (st) {
	case XE_LS_HELLO: return "hello";
	case XE_LS_REPLY: return "reply";
	case XE_LS_STREAM: return "stream";
	case XE_LS_BAD: return "closed";
	}
	return "?";
}
