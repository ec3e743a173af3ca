/* xenstore messages: build, check, decode. */
#include <errno.h>
#include <string.h>

#include "xs_wire.h"

int
xs_wire_build(void *buf, size_t cap, uint32_t type, uint32_t req_id,
	      uint32_t tx_id, const struct xs_part *parts, unsigned nparts)
{
	struct xsd_sockmsg hdr = { .type = type, .req_id = req_id,
				   .tx_id = tx_id };
	char *p = buf;
	size_t len = 0;

	for (unsigned i = 0; i < nparts; i++) {
		if (parts[i].len > XENSTORE_PAYLOAD_MAX - len)
			return -E2BIG;
		len += parts[i].len;
	}
	if (cap < XS_WIRE_HDR + len)
		return -ENOSPC;
	hdr.len = (uint32_t)len;
	memcpy(p, &hdr, XS_WIRE_HDR);
	p += XS_WIRE_HDR;
	for (unsigned i = 0; i < nparts; i++) {
		memcpy(p, parts[i].data, parts[i].len);
		p += parts[i].len;
	}
	return (int)(XS_WIRE_HDR + len);
}

int
xs_wire_header(const void *buf, size_t len, struct xsd_sockmsg *hdr)
{
	if (len < XS_WIRE_HDR)
		return -EAGAIN;
	memcpy(hdr, buf, XS_WIRE_HDR);
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return -EPROTO;
	return (int)(XS_WIRE_HDR + hdr->len);
}

int
xs_wire_error(const struct xsd_sockmsg *hdr, const char *payload)
{
	size_t n;

	if (hdr->type != XS_ERROR)
		return 0;
	/* The name may or may not carry its NUL within len. */
	n = strnlen(payload, hdr->len);
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
		const char *name = xsd_errors[i].errstring;

		if (strlen(name) == n && memcmp(name, payload, n) == 0)
			return -xsd_errors[i].errnum;
	}
	return -EIO;
}

int
xs_wire_watch_event(const char *payload, size_t len, const char **path,
		    const char **token)
{
	size_t plen = strnlen(payload, len), tlen;

	if (plen == len)
		return -EPROTO;
	tlen = strnlen(payload + plen + 1, len - plen - 1);
	if (plen + 1 + tlen == len)
		return -EPROTO;
	*path = payload;
	*token = payload + plen + 1;
	return 0;
}
