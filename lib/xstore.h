/*
 * xenstore in the event loop. The connection's fd is a libevent event;
 * watches are dispatched to their callbacks by token. Reads and writes
 * are plain RPCs to the local xenstored, which answers in microseconds.
 */
#ifndef XUD_XSTORE_H
#define XUD_XSTORE_H

#include <stdbool.h>
#include <stdint.h>
#include <xenstore.h>
#include "compiler.h"

struct event_base;
struct xstore;
struct xstore_watch;

typedef void xstore_watch_cb(struct xstore *xs, const char *path, void *arg);

/* base may be NULL for a connection without watches (tools, tests). */
int xstore_open(struct event_base *base, struct xstore **out);
void xstore_close(struct xstore *xs);
struct xs_handle *xstore_handle(struct xstore *xs);
/* The loop the connection was opened in (NULL without one). */
struct event_base *xstore_base(struct xstore *xs);

/*
 * Watch path (or "@introduceDomain" etc.). xenstored fires a watch once
 * at registration; callers must treat every firing as "look again".
 */
int xstore_watch(struct xstore *xs, const char *path, xstore_watch_cb *cb,
		 void *arg, struct xstore_watch **out);
void xstore_unwatch(struct xstore_watch *w);

/* Reads path; NUL-terminated, caller frees. -ENOENT if absent. */
int xstore_read(struct xstore *xs, xs_transaction_t t, const char *path,
		char **out, size_t *len);
int xstore_read_uint(struct xstore *xs, xs_transaction_t t, const char *path,
		     uint64_t max, uint64_t *out);
/*
 * Our own domid, from the "domid" key of our xenstore area: 0 (dom0) when
 * it cannot be read, as on a dom0 whose toolstack never wrote it.
 */
uint32_t xstore_own_domid(struct xstore *xs);
int xstore_write(struct xstore *xs, xs_transaction_t t, const char *path,
		 const char *value);
int xstore_printf(struct xstore *xs, xs_transaction_t t, const char *path,
		  const char *fmt, ...) XUD_PRINTF(4, 5);
int xstore_rm(struct xstore *xs, xs_transaction_t t, const char *path);
int xstore_exists(struct xstore *xs, xs_transaction_t t, const char *path);
/* Sets owner (full control) and that others may read (r) or none (n). */
int xstore_set_perms(struct xstore *xs, xs_transaction_t t, const char *path,
		     unsigned int owner, unsigned int reader, bool reader_rw);
/* Lists a directory; caller frees the array (strings live inside it). */
int xstore_ls(struct xstore *xs, xs_transaction_t t, const char *path,
	      char ***out, unsigned int *n);

/*
 * Runs fn inside a transaction, retrying on EAGAIN up to a bound.
 * fn returns 0 to commit, or -errno to abort.
 */
typedef int xstore_txn_fn(struct xstore *xs, xs_transaction_t t, void *arg);
int xstore_transact(struct xstore *xs, xstore_txn_fn *fn, void *arg);

/* "/local/domain/<domid>" into buf. */
int xstore_dom_path(unsigned int domid, char *buf, size_t len);

#endif
