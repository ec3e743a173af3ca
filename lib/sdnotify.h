/*
 * systemd integration: readiness, status, reload, watchdog and socket
 * activation. Built as no-ops (returning 0 / no sockets) when configure
 * ran --without-systemd.
 */
#ifndef XUD_SDNOTIFY_H
#define XUD_SDNOTIFY_H

#include <stdint.h>
#include "compiler.h"

int sdn_ready(void);
int sdn_reloading(void);
int sdn_stopping(void);
int sdn_status(const char *fmt, ...) XUD_PRINTF(1, 2);
/* Returns the watchdog interval in usec, 0 when none is set. */
uint64_t sdn_watchdog_usec(void);
int sdn_watchdog_ping(void);
/* True when started by systemd (NOTIFY_SOCKET or INVOCATION_ID set). */
int sdn_under_systemd(void);
/*
 * Socket activation: returns the number of fds passed (first is
 * SD_LISTEN_FDS_START, i.e. 3), 0 when none, or -errno.
 */
int sdn_listen_fds(void);
/* 1 if fd is a socket of that family/type bound to port (0 = any). */
int sdn_is_socket_inet(int fd, int family, int type, uint16_t port);

#endif
