/* The legacy MirageOS entropy handshake; see legacy-proto.h. */
#include "config.h"

#include <string.h>

#include "legacy-proto.h"

void
xe_legacy_init(struct xe_legacy_sess *s)
{
	memset(s, 0, sizeof(*s));
	s->state = XE_LS_HELLO;
}

static enum xe_legacy_state
bad(struct xe_legacy_sess *s, const char *why)
{
	s->state = XE_LS_BAD;
	s->why = why;
	return s->state;
}

enum xe_legacy_state
xe_legacy_input(struct xe_legacy_sess *s, const void *buf, size_t len)
{
	const char *p = buf;

	if (len == 0 || s->state == XE_LS_BAD)
		return s->state;
	if (s->state != XE_LS_HELLO)
		return bad(s, "sent bytes after the hello");
	if (len > XE_LEGACY_HELLO_LEN - s->seen)
		return bad(s, "sent more than the hello");
	if (memcmp(p, XE_LEGACY_HELLO + s->seen, len) != 0)
		return bad(s, "sent something other than the hello");
	s->seen += len;
	if (s->seen == XE_LEGACY_HELLO_LEN)
		s->state = XE_LS_REPLY;
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
