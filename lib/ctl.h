/*
 * The control socket behind each daemon's --status: a unix stream socket
 * in the daemon's runtime directory. A client connects; the daemon writes
 * its whole status text and closes. Root-only permissions (0600) keep the
 * socket to those who could read the logs anyway.
 *
 * A daemon may also take requests (ctl_on_request): then it first reads
 * one line from the client, bounded in size and time, and answers that;
 * a client that sends nothing and closes its side, as ctl_query() does,
 * still gets the status text. Without it nothing is read from a client.
 */
#ifndef XUD_CTL_H
#define XUD_CTL_H

#include <stdio.h>

struct event_base;
struct ctl;

/* At most this many clients are served at once; others are closed. */
#define CTL_MAX_CLIENTS 8
/* A client that does not take its text within this time is dropped. */
#define CTL_SEND_TIMEOUT_MS 2000

/* Writes the status as text lines to f. */
typedef void ctl_status_fn(FILE *f, void *arg);

/* A request line is at most this long (without its newline), and must
 * come within this time; otherwise the client is closed unanswered. */
#define CTL_REQUEST_MAX 256
#define CTL_REQUEST_TIMEOUT_MS 2000

/* Writes the answer to request req (one line, without its newline, not
 * empty) to f. */
typedef void ctl_request_fn(FILE *f, const char *req, void *arg);

/*
 * Listens on path, creating its parent directory (0755) if needed. A
 * stale socket left by a dead daemon is replaced; a live one gives
 * -EADDRINUSE. Returns 0 or -errno.
 */
int ctl_listen(struct event_base *base, const char *path,
    ctl_status_fn *fn, void *arg, struct ctl **out);
/* From now on, clients' request lines go to fn (with ctl_listen's arg). */
void ctl_on_request(struct ctl *c, ctl_request_fn *fn);
/* Closes the socket and every client, and removes path. */
void ctl_free(struct ctl *c);

/*
 * Client side: connects to path and copies everything the daemon sends to
 * outfd, giving up after timeout_ms without progress. Returns 0, or
 * -errno: -ENOENT or -ECONNREFUSED when no daemon listens there.
 */
int ctl_query(const char *path, int outfd, int timeout_ms);
/*
 * The same, sending the request line req first (NULL: none); -EINVAL for
 * a line too long or with a newline. A daemon that takes no requests
 * sends its status, and may reset (-ECONNRESET) for the unread line.
 */
int ctl_request(const char *path, const char *req, int outfd,
    int timeout_ms);

/* How long a --status command waits for the daemon's text. */
#define CTL_QUERY_TIMEOUT_MS 5000
/*
 * A daemon's --status: prints the status of the prog listening on path
 * to stdout. Returns the exit status: 0, or 1 with a message on stderr
 * (not running, or the query failed).
 */
int ctl_status_command(const char *prog, const char *path);

#endif
