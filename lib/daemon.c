/* Version line, going to the background, the pid file lock, fd limit. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compiler.h"
#include "daemon.h"
#include "sdnotify.h"

/* A pid file replaced under us while we locked it: try again, a bit. */
#define PIDFILE_TRIES 5

/* The daemon's end of the pipe its original process waits on. */
static int ready_fd = -1;

void
xud_version(FILE *out, const char *name)
{
	fprintf(out, "%s (xud) %s\n", name, PACKAGE_VERSION);
}

int
xud_foreground(int asked)
{
	return asked || sdn_expects_ready();
}

static int
stdio_to_null(int first, int last)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	for (int i = first; i <= last; i++) {
		if (i == fd)	/* it was closed: keep it, across exec too */
			r = fcntl(fd, F_SETFD, 0) < 0 ? -errno : r;
		else if (dup2(fd, i) < 0)
			r = -errno;
	}
	if (fd < first || fd > last)
		close(fd);
	return r;
}

/* The daemon's first sdn_ready(): release the process that started us. */
static void
on_ready(void *arg)
{
	ssize_t n;

	(void)arg;
	if (ready_fd < 0)
		return;
	fflush(stdout);
	fflush(stderr);
	stdio_to_null(STDOUT_FILENO, STDERR_FILENO);
	n = write(ready_fd, "R", 1);
	(void)n;	/* the waiting process sees EOF anyway, and exits 1 */
	close(ready_fd);
	ready_fd = -1;
}

void
xud_forked(void)
{
	if (ready_fd < 0)
		return;
	sdn_on_ready(NULL, NULL);
	close(ready_fd);
	ready_fd = -1;
	stdio_to_null(STDOUT_FILENO, STDERR_FILENO);
}

static int
read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return (int)got;
}

/* A wait status as ours; 1 for "it exited 0" too: it was not ready. */
static int
failed(int st)
{
	if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 1;
}

static int
failed_status(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	return failed(st);
}

/* The daemon's exit status if it has ended, -1 while it runs. */
static int
ended(pid_t pid)
{
	pid_t r;
	int st;

	while ((r = waitpid(pid, &st, WNOHANG)) < 0 && errno == EINTR)
		;
	if (r <= 0)
		return -1;	/* ECHILD: not ours to wait for; the pipe says */
	return failed(st);
}

static int
said_ready(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c;

	return poll(&pfd, 1, 0) == 1 && read(fd, &c, 1) == 1 && c == 'R';
}

static void
on_sigchld(int sig)
{
	(void)sig;	/* only to interrupt ppoll() */
}

/*
 * The original process: the daemon sends its pid, then one byte means
 * ready, EOF means the daemon died first (or the first child did, before
 * forking it).
 * We are the daemon's subreaper, so its exit status is ours to take,
 * and SIGCHLD says it died even when a child it forked still holds the
 * pipe open. SIGCHLD is blocked but for ppoll(), so none is missed.
 */
static XUD_NORETURN void
wait_ready(int fd, pid_t first, const sigset_t *unblocked)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	pid_t daemon;
	int st;

	if (read_full(fd, &daemon, sizeof(daemon)) != sizeof(daemon))
		_exit(failed_status(first));
	while (waitpid(first, NULL, 0) < 0 && errno == EINTR)
		;
	for (;;) {
		if ((st = ended(daemon)) >= 0)
			_exit(said_ready(fd) ? 0 : st);
		if (ppoll(&pfd, 1, NULL, unblocked) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		if (said_ready(fd))
			_exit(0);
		/* EOF (or junk): the daemon is gone, or going. */
		_exit(failed_status(daemon));
	}
}

int
xud_detach(int foreground)
{
	struct sigaction sa = { .sa_handler = on_sigchld }, old_sa;
	sigset_t chld, old_mask;
	int p[2], r;
	pid_t pid;

	if (xud_foreground(foreground))
		return 0;
	/* Started with stdio closed, the pipe would become our stdio. */
	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
		if (fcntl(fd, F_GETFD) < 0 && (r = stdio_to_null(fd, fd)) < 0)
			return r;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	/* Buffered output would otherwise be written once per process. */
	fflush(NULL);
	/* Best effort: without it the caller exits 1 instead of the status. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old_mask);
	sigaction(SIGCHLD, &sa, &old_sa);
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(p[0]);
		close(p[1]);
		sigaction(SIGCHLD, &old_sa, NULL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		prctl(PR_SET_CHILD_SUBREAPER, 0);
		return r;
	}
	if (pid > 0) {
		close(p[1]);
		sigdelset(&old_mask, SIGCHLD);
		wait_ready(p[0], pid, &old_mask);
	}
	close(p[0]);
	sigaction(SIGCHLD, &old_sa, NULL);
	if (setsid() < 0)
		_exit(1);
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	/*
	 * The daemon. It sends its pid itself: from the first child, the pid
	 * could reach the pipe after the daemon's ready byte (the first child
	 * preempted after fork(), seen under load), and the starter would
	 * read that byte as part of the pid.
	 */
	pid = getpid();
	if (write(p[1], &pid, sizeof(pid)) != sizeof(pid))
		_exit(1);
	sigemptyset(&chld);
	sigprocmask(SIG_SETMASK, &chld, NULL);
	r = chdir("/") < 0 ? -errno : stdio_to_null(STDIN_FILENO,
	    STDIN_FILENO);
	if (r < 0) {
		close(p[1]);
		return r;
	}
	ready_fd = p[1];
	sdn_on_ready(on_ready, NULL);
	return 0;
}

/* The decimal pid at the start of fd's file, 0 if there is none. */
static pid_t
read_pid(int fd)
{
	char buf[32], *end;
	ssize_t n;
	long v;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || v <= 0 || (pid_t)v != v ||
	    (*end != '\0' && *end != '\n'))
		return 0;
	return (pid_t)v;
}

static int
lock_fd(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

#ifdef F_OFD_SETLK
	if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	if (errno != EINVAL)
		return errno == EAGAIN || errno == EACCES ? -EBUSY : -errno;
#endif
	if (fcntl(fd, F_SETLK, &fl) == 0)
		return 0;
	return errno == EAGAIN || errno == EACCES ? -EBUSY : -errno;
}

/* Locks path's file; -EAGAIN if it was replaced or removed meanwhile. */
static int
lock_path(const char *path)
{
	struct stat a, b;
	int fd, r;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	if ((r = lock_fd(fd)) < 0)
		goto fail;
	/* A daemon that exits unlinks the file while it holds the lock. */
	if (fstat(fd, &a) < 0 || stat(path, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino) {
		r = -EAGAIN;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return r;
}

int
xud_pidfile(const char *path)
{
	char buf[32];
	pid_t old;
	int fd, n, r;

	for (int i = 0; ; i++) {
		fd = lock_path(path);
		if (fd != -EAGAIN || i == PIDFILE_TRIES)
			break;
	}
	if (fd < 0)
		return fd;
	old = read_pid(fd);
	if (old > 0 && old != getpid() && (kill(old, 0) == 0 ||
	    errno == EPERM)) {
		close(fd);
		return -EEXIST;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		r = errno ? -errno : -EIO;
		close(fd);
		return r;
	}
	return fd;
}

pid_t
xud_pidfile_pid(const char *path)
{
	pid_t pid;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	pid = read_pid(fd);
	close(fd);
	return pid;
}

void
xud_pidfile_remove(int fd, const char *path)
{
	if (fd < 0)
		return;
	unlink(path);
	close(fd);
}

int
xud_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	if (rl.rlim_cur == rl.rlim_max)
		return 0;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	return 0;
}
