/*
 * Guest lines to journald or syslog, sent by hand so that a sink that
 * stops reading never blocks a writer thread. sd_journal_send(3) and
 * syslog(3) block on a full socket (every writer thread then waits on one
 * stalled journald, and the file sinks' queues with them), and
 * sd_journal_send reports success when nothing listens. Here a full socket
 * is -EAGAIN (the queue waits and is tried again) and an absent one
 * -ENOENT or -ECONNREFUSED.
 *
 * The encoders are pure (a buffer in, bytes out) for the unit tests; the
 * formats are journald's native protocol (systemd.io, "Native Journal
 * Protocol": each field as NAME, a newline, its length as a little-endian
 * 64-bit integer, the value and a newline, so that any byte may be in a
 * line) and the BSD syslog line glibc's syslog(3) writes to /dev/log.
 */
#ifndef XCD_LINESINK_H
#define XCD_LINESINK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define LS_JOURNAL_PATH "/run/systemd/journal/socket"
#define LS_SYSLOG_PATH "/dev/log"

struct ls_line {
	int prio;		/* syslog priority, 0-7 */
	const char *text;	/* the line, without its newline */
	size_t len;
	uint32_t domid;
	const char *name;	/* the domain's */
	const char *uuid;
	const char *console;	/* "0", or a secondary's name or number */
	int secondary;
};

/*
 * Encodes one journal entry into buf; returns its length, or 0 when cap
 * is too small.
 */
size_t ls_journal_encode(char *buf, size_t cap, const struct ls_line *l);
/*
 * Encodes one syslog message (facility daemon, our pid, the time now in
 * local time) into buf; returns its length, or 0 when cap is too small.
 */
size_t ls_syslog_encode(char *buf, size_t cap, const struct ls_line *l,
			time_t now, long pid);

/* A datagram socket for ls_send: fd or -errno. */
int ls_socket(void);
/* Sends one datagram to path without blocking: 0 or -errno. */
int ls_send(int fd, const char *path, const void *buf, size_t len);

#endif
