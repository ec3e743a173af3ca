/*
 * The xenstore wire codec (xen/io/xs_wire.h), free of I/O: message
 * building and the checks on what xenstored sends back. Built for the
 * guest and, unchanged, for the host's unit tests.
 *
 * Everything parsed here came through a ring the other side writes; the
 * header is validated before its length is trusted, and strings are
 * checked for their terminators within the payload.
 */
#ifndef XUD_UK_XS_WIRE_H
#define XUD_UK_XS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <xen/io/xs_wire.h>

#define XS_WIRE_HDR sizeof(struct xsd_sockmsg)

/* A piece of a payload; the builder concatenates them as they are. */
struct xs_part {
	const void *data;
	size_t len;
};

/*
 * Writes a message into buf: the header, then the parts. Returns its
 * total size, -E2BIG if the payload exceeds XENSTORE_PAYLOAD_MAX, or
 * -ENOSPC if buf is too small.
 */
int xs_wire_build(void *buf, size_t cap, uint32_t type, uint32_t req_id,
		  uint32_t tx_id, const struct xs_part *parts, unsigned nparts);

/*
 * Checks the first len bytes of an incoming message. Copies the header to
 * *hdr and returns the whole message's size once the header is complete,
 * -EAGAIN while fewer than XS_WIRE_HDR bytes are there, or -EPROTO when
 * the length exceeds XENSTORE_PAYLOAD_MAX.
 */
int xs_wire_header(const void *buf, size_t len, struct xsd_sockmsg *hdr);

/*
 * The errno an XS_ERROR reply carries, as -errno (-EIO if unknown); 0 if
 * the message is not an error.
 */
int xs_wire_error(const struct xsd_sockmsg *hdr, const char *payload);

/*
 * Splits an XS_WATCH_EVENT payload into its path and token, both
 * NUL-terminated inside payload. -EPROTO if either is missing.
 */
int xs_wire_watch_event(const char *payload, size_t len, const char **path,
			const char **token);

#endif
