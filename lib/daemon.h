/* Process chores shared by the daemons' main(): version, detach, pidfile. */
#ifndef XUD_DAEMON_H
#define XUD_DAEMON_H

#include <stdio.h>

/* "NAME (xud) VERSION" */
void xud_version(FILE *out, const char *name);
/*
 * Detaches into the background (fork, setsid, stdio to /dev/null) unless
 * foreground is set or systemd started us. Returns 0 in the child that
 * goes on, or -errno. The parent exits from inside once the child runs.
 */
int xud_detach(int foreground);
/* Writes our pid to path (O_CLOEXEC, mode 0644). */
int xud_pidfile(const char *path);

#endif
