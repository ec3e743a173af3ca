/*
 * Process chores of a daemon's main(): the version line, going to the
 * background, the pid file that is also the single-instance lock, and
 * the fd limit. In this order:
 *
 *   log_init(name, xud_foreground(fg) ? LOG_TO_STDERR : LOG_TO_SYSLOG, v);
 *   xud_detach(fg);          the caller waits from here ...
 *   xud_pidfile(path);       before attaching to anything
 *   ... setup ...
 *   sdn_ready();             ... to here, and exits 0
 *
 * The skeleton (skel.h) does all of it for the daemons built on it.
 */
#ifndef XUD_DAEMON_H
#define XUD_DAEMON_H

#include <stdio.h>
#include <sys/types.h>

/* "NAME (xud) VERSION" */
void xud_version(FILE *out, const char *name);

/*
 * Do we stay in the foreground? When asked (-f, -i), or when a systemd
 * Type=notify unit waits for our READY=1 (NOTIFY_SOCKET). Otherwise we
 * go to the background like a classic daemon: an init script's
 * start-stop-daemon waits for that, also when systemd runs the script
 * (and sets INVOCATION_ID). In the foreground the logs go to stderr
 * (the journal under systemd); once detached, stderr is /dev/null and
 * they go to syslog.
 */
int xud_foreground(int asked);

/*
 * Goes to the background unless xud_foreground(asked): fork, setsid and
 * fork again (daemon(7)), so that the daemon can never gain a
 * controlling terminal, with stdin and the working directory ("/")
 * left behind. Relative paths must be resolved before.
 *
 * The calling process does not return: it waits until the daemon
 * serves, so that a script that starts it and then uses it never races
 * it. It exits 0 at the daemon's first sdn_ready(), or with the daemon's
 * exit status (1 if it had none, 128 + signal if killed) when the daemon
 * dies first. The daemon keeps stdout and stderr until it is ready, so
 * that its early errors reach whoever started it, then points them at
 * /dev/null. Returns 0 in the daemon (or in the foreground), or -errno.
 */
int xud_detach(int foreground);

/*
 * In a child the daemon forked for good (privilege separation): lets go
 * of what xud_detach() left for the daemon alone. The child holds no end
 * of the pipe its starter waits on, and once detached its stdout and
 * stderr (the starter's terminal until the daemon is ready) are
 * /dev/null; in the foreground they stay, as they are the log.
 */
void xud_forked(void);

/*
 * The pid file, as single-instance lock. Opens path (O_CLOEXEC, 0644),
 * locks it and writes our pid into it. Returns the locked fd, to be
 * kept open for the daemon's life, or -errno:
 *   -EBUSY   another process holds the lock (another xud daemon);
 *   -EEXIST  the file names a live process that is not us. Xen's own
 *            xenconsoled writes its pid file and then closes it, which
 *            drops its lockf() lock, so a pid file without a lock may
 *            still belong to a running daemon;
 * A file naming a dead process is stale, and is taken over.
 *
 * The lock is an open file description lock (fcntl F_OFD_SETLK; a
 * process-owned F_SETLK on kernels before 3.15). It conflicts with
 * lockf(), so Xen's xenconsoled also refuses to start while we hold it.
 * Call it after xud_detach() and before attaching to anything.
 */
int xud_pidfile(const char *path);
/* The pid written in path, 0 if none can be read; for messages. */
pid_t xud_pidfile_pid(const char *path);
/* At exit: removes path while still holding its lock, then closes fd. */
void xud_pidfile_remove(int fd, const char *path);

/*
 * Raises the soft RLIMIT_NOFILE to the hard limit, as Xen's xenconsoled
 * does: a daemon started by a script inherits the soft 1024, and each
 * guest costs a few fds. Returns 0 or -errno.
 */
int xud_raise_nofile(void);

#endif
