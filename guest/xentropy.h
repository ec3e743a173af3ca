/*
 * The guest side of xentropyd: connect to the daemon that serves this
 * guest, then read N bytes with a deadline. Never waits for an absent
 * daemon: xentropy_open() returns -ENOENT after one xenstore read.
 */
#ifndef XENTROPY_CLIENT_H
#define XENTROPY_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct xentropy;

/* Do not wait out rate limits: return -EAGAIN at once. */
#define XENTROPY_NOWAIT 1

/*
 * Connects within timeout_ms, asking for service first when the daemon
 * serves this guest on request. Returns 0, -ENOENT (no entropy daemon),
 * -ETIMEDOUT (the daemon offered no working channel in time), -EACCES
 * (the daemon does not serve this guest), -EPROTONOSUPPORT, or -errno.
 */
int xentropy_open(int timeout_ms, struct xentropy **out);
/*
 * Reads exactly n bytes within timeout_ms. Rate limits are waited out
 * when they end before the deadline and flags lacks XENTROPY_NOWAIT;
 * otherwise -EAGAIN, with *got bytes read and the daemon's *retry_ms.
 * Other errors: -ETIMEDOUT, -EPIPE (the daemon went away), -EPROTO.
 * got and retry_ms may be NULL.
 */
int xentropy_read(struct xentropy *x, void *buf, size_t n, int flags,
		  int timeout_ms, size_t *got, uint32_t *retry_ms);
void xentropy_close(struct xentropy *x);
/*
 * Requests xentropy_read() keeps in flight (default XENTROPY_WINDOW,
 * 1..XENTROPY_MAX_WINDOW; see xentropy-protocol(7) for the limit).
 */
#define XENTROPY_WINDOW 16
#define XENTROPY_MAX_WINDOW 32
int xentropy_set_window(struct xentropy *x, unsigned int window);
/* The step xentropy_open() failed in, for messages. */
extern const char *xentropy_step;
/*
 * Raw channel I/O, for test programs that speak the protocol badly:
 * -ETIMEDOUT, or -EPIPE once the daemon closed the channel.
 */
ssize_t xentropy_raw_read(struct xentropy *x, void *buf, size_t n,
			  int timeout_ms);
int xentropy_raw_read_full(struct xentropy *x, void *buf, size_t n,
			   int timeout_ms);
int xentropy_raw_write(struct xentropy *x, const void *buf, size_t n,
		       int timeout_ms);

#endif
