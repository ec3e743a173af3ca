/*
 * A tiny HTTP/1.0 and 1.1 responder (RFC 9112), pure: request bytes in,
 * response bytes out. GET and HEAD of / (or /index.html) get a page that
 * names the unikernel and its uptime, other paths 404, other methods 405,
 * anything malformed 400. Every response closes the connection.
 */
#ifndef XUD_NET_HTTP_H
#define XUD_NET_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct http_page {
	const char *name;
	uint64_t uptime_ns;
};

/*
 * Looks at the request received so far (len bytes). Returns 0 while it
 * is incomplete and more may come; otherwise writes the response to out
 * (at most cap bytes) and returns its length. done says no more bytes
 * will come (the peer's FIN, or our buffer is full): an incomplete
 * request then gets 400.
 */
size_t http_respond(const uint8_t *req, size_t len, int done,
		    const struct http_page *page, uint8_t *out, size_t cap);

#endif
