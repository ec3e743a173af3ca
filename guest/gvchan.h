/*
 * Guest side: a libxenvchan client with deadlines, for the programs that
 * run inside test guests (and xentropy-client). Never blocks past the
 * caller's timeout; an absent server is -ENOENT once the deadline passes.
 */
#ifndef XUD_GVCHAN_H
#define XUD_GVCHAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct gvchan;

/* Waits up to timeout_ms for the server's ring-ref under path. */
int gvchan_connect(uint32_t server_domid, const char *path, int timeout_ms,
		   struct gvchan **out);
/*
 * Connects at once to a server the caller knows is there (no wait);
 * -ECONNREFUSED if the channel cannot be opened or is already closed.
 */
int gvchan_attach(uint32_t server_domid, const char *path,
		  struct gvchan **out);
/* Serves path for client_domid (the guest acting as vchan server). */
int gvchan_listen(uint32_t client_domid, const char *path, size_t ringsz,
		  struct gvchan **out);
/* Waits until the peer connected, up to timeout_ms. */
int gvchan_wait_peer(struct gvchan *v, int timeout_ms);
/* Returns bytes read (>0), -ETIMEDOUT, or -EPIPE when the peer closed. */
ssize_t gvchan_read(struct gvchan *v, void *buf, size_t n, int timeout_ms);
/* Reads exactly n bytes within timeout_ms overall. */
int gvchan_read_full(struct gvchan *v, void *buf, size_t n, int timeout_ms);
int gvchan_write_all(struct gvchan *v, const void *buf, size_t n,
		     int timeout_ms);
void gvchan_close(struct gvchan *v);

/* Milliseconds left until deadline (CLOCK_MONOTONIC ms), at least 0. */
int64_t gvchan_now_ms(void);

#endif
