/*
 * Retention: removes the log files (logname.h) of domains that are gone,
 * once they have not been written for a while. The scan and its unlinks
 * run in a thread of their own, off the event loop: a slow directory
 * never holds up the consoles.
 */
#ifndef XCD_RETENTION_H
#define XCD_RETENTION_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef void (*retention_fn)(const char *file, int err, void *arg);

/*
 * One scan of dirfd: each log file of a domain not named in alive (n
 * names) whose mtime is max_age_ms or more before now is unlinked, and
 * removed(file, 0 or -errno, arg) called. A file from the future counts
 * as written now. Returns the files removed, or -errno.
 */
int retention_scan(int dirfd, time_t now, uint64_t max_age_ms,
		   char *const *alive, size_t n, retention_fn removed,
		   void *arg);

struct retention;
/* A thread scanning dirfd (duplicated: the caller keeps its own). */
int retention_new(int dirfd, uint64_t max_age_ms, struct retention **out);
/* Readable when retention_collect has something to report. */
int retention_fd(const struct retention *r);
/*
 * Asks for a scan with these live domains (copied). A scan asked for
 * while one runs replaces any not yet started. Returns 0 or -ENOMEM.
 */
int retention_request(struct retention *r, char *const *alive, size_t n);
/* Calls fn for each file the scans removed (or failed to) since last. */
void retention_collect(struct retention *r, retention_fn fn, void *arg);
/* Waits for a running scan and stops the thread. Accepts NULL. */
void retention_free(struct retention *r);

#endif
