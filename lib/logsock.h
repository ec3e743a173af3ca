/*
 * Log lines to journald or a syslog daemon, sent by hand on a
 * non-blocking datagram socket. sd_journal_send(3) and syslog(3) block
 * while the daemon on the other end does not read, which would stall an
 * event loop (or a log writer thread) behind a stopped journald; and
 * sd_journal_send reports success when nothing listens. Here a full
 * socket is -EAGAIN and an absent one -ENOENT or -ECONNREFUSED: the
 * caller decides (queue, count, fall back).
 *
 * The encoders are pure, for the unit tests. The formats: journald's
 * native protocol (systemd.io, "Native Journal Protocol"), every field in
 * its binary form (NAME, a newline, the value's length as a little-endian
 * 64-bit integer, the value, a newline) so that any byte may be in a
 * value; and the BSD syslog line that glibc's syslog(3) writes to
 * /dev/log.
 */
#ifndef XUD_LOGSOCK_H
#define XUD_LOGSOCK_H

#include <stddef.h>
#include <time.h>

#define LS_JOURNAL_PATH "/run/systemd/journal/socket"
#define LS_SYSLOG_PATH "/dev/log"

struct ls_field {
	const char *name;	/* e.g. "MESSAGE" */
	const char *val;
	size_t len;
};

/* One journal entry into buf; its length, or 0 when cap is too small. */
size_t ls_journal_encode(char *buf, size_t cap, const struct ls_field *f,
			 size_t n);
/*
 * One syslog message: "<pri>Mmm dd hh:mm:ss ident[pid]: " (now in local
 * time), then len bytes of msg. Its length, or 0 when cap is too small.
 */
size_t ls_syslog_encode(char *buf, size_t cap, int pri, const char *ident,
			long pid, time_t now, const char *msg, size_t len);

/* A non-blocking datagram socket for ls_send: fd or -errno. */
int ls_socket(void);
/* Sends one datagram to path without blocking: 0 or -errno. */
int ls_send(int fd, const char *path, const void *buf, size_t len);

#endif
