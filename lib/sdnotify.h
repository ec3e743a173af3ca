/*
 * systemd integration: readiness, status, reload, watchdog and socket
 * activation. Built as no-ops (returning 0 / no sockets) when configure
 * ran --without-systemd.
 */
#ifndef XUD_SDNOTIFY_H
#define XUD_SDNOTIFY_H

#include <stdint.h>
#include "compiler.h"

/*
 * READY=1. The first call also runs the hook set with sdn_on_ready(),
 * whether or not systemd listens.
 */
int sdn_ready(void);
/*
 * fn(arg) runs once, at the next sdn_ready(): that is how a detached
 * daemon tells the process waiting in xud_detach() that it serves, with
 * no daemon having to know about it.
 */
void sdn_on_ready(void (*fn)(void *arg), void *arg);
int sdn_reloading(void);
int sdn_stopping(void);
int sdn_status(const char *fmt, ...) XUD_PRINTF(1, 2);
/* Returns the watchdog interval in usec, 0 when none is set. */
uint64_t sdn_watchdog_usec(void);
int sdn_watchdog_ping(void);
/*
 * True when a systemd unit waits for our READY=1 (NOTIFY_SOCKET is set,
 * as for Type=notify). INVOCATION_ID does not count: systemd sets it for
 * every process it starts, also for an init script's start-stop-daemon,
 * which waits for the daemon to go to the background.
 */
int sdn_expects_ready(void);
/*
 * The old name of sdn_expects_ready(), for the daemons not yet on the
 * skeleton; they decide through xud_foreground() once they are.
 */
int sdn_under_systemd(void);
/*
 * Socket activation: returns the number of fds passed (first is
 * SD_LISTEN_FDS_START, i.e. 3), 0 when none, or -errno.
 */
int sdn_listen_fds(void);
/* 1 if fd is a socket of that family/type bound to port (0 = any). */
int sdn_is_socket_inet(int fd, int family, int type, uint16_t port);

#endif
