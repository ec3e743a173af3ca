/*
 * The xenstore client over the shared ring (start_info's store page and
 * event channel). One request is outstanding at a time; watch events that
 * arrive meanwhile are queued for xs_watch_wait(). Relative paths are
 * relative to the domain's home, /local/domain/<domid>. tx is a
 * transaction id from xs_tx_start(), or 0 for none. All return -errno on
 * failure (the xenstored error, -ETIMEDOUT after 10 s without a reply).
 */
#ifndef XUD_UK_XS_CLIENT_H
#define XUD_UK_XS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

int xs_init(void);
/*
 * After a restore (start_info names the new ring's MFN and port; the old
 * port's registration is gone with ev_reset): the old connection's unread
 * bytes and queued events are dropped. Watches
 * are gone with it; their owners set them again.
 */
int xs_resume(void);

/* Reads a value into buf, NUL-terminated; returns its length, or -ERANGE
 * when buf is too small. */
int xs_read(uint32_t tx, const char *path, char *buf, size_t cap);
int xs_write(uint32_t tx, const char *path, const char *value);
int xs_rm(uint32_t tx, const char *path);

int xs_tx_start(uint32_t *tx);
/* Commits (commit = 1) or aborts; -EAGAIN means retry the transaction. */
int xs_tx_end(uint32_t tx, int commit);

int xs_watch(const char *path, const char *token);
int xs_unwatch(const char *path, const char *token);
/*
 * Takes the next watch event, waiting up to deadline (Xen system time, 0:
 * forever). Path and token are copied, truncated to their buffers.
 */
int xs_watch_wait(char *path, size_t pcap, char *token, size_t tcap,
		  uint64_t deadline);
/*
 * The same for the next event of one token only; events of other tokens
 * stay queued for their own waiters.
 */
int xs_watch_take(const char *token, char *path, size_t pcap,
		  uint64_t deadline);

#endif
