/*
 * Going to the background and the pid file: the process that starts a
 * daemon returns only once the daemon is ready, and with its exit
 * status when it dies first; a second instance is refused while the
 * first holds the pid file, and so is one whose file names a live
 * process (Xen's unlocked pid file); a stale file is taken over.
 * "A daemon dies before ready" is seen also when a child it forked
 * still holds the readiness pipe.
 * test-daemon-helper is the daemon.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "check.h"

/* Bounds every wait for a daemon to let go of its pid file. */
#define LOCK_WAIT_S 20

static char helper[PATH_MAX], dir[] = "/tmp/xud-test-daemon.XXXXXX";
static char pidfile[PATH_MAX];
/* Run the helper with stdin, stdout and stderr closed. */
static int closed_stdio;

/* The helper's argv, in argv[6]: its args, then the pid file and marker. */
static void
helper_argv(char **argv, const char *a1, const char *a2, const char *marker)
{
	int n = 0;

	argv[n++] = helper;
	if (a1)
		argv[n++] = (char *)a1;
	if (a2)
		argv[n++] = (char *)a2;
	argv[n++] = pidfile;
	argv[n++] = (char *)marker;
	argv[n] = NULL;
}

/* Waits for the helper p; its exit status (or 128+signal), -1 if none. */
static int
status_of(pid_t p)
{
	int st;

	if (p < 0)
		return -1;
	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs the helper with args; returns its exit status (or 128+signal). */
static int
run(const char *a1, const char *a2, const char *marker, pid_t *pid)
{
	char *argv[6];
	pid_t p;

	helper_argv(argv, a1, a2, marker);
	fflush(NULL);
	p = fork();
	if (p == 0) {
		if (closed_stdio) {
			close(STDIN_FILENO);
			close(STDOUT_FILENO);
			close(STDERR_FILENO);
		}
		execv(helper, argv);
		_exit(127);
	}
	if (pid)
		*pid = p;
	return status_of(p);
}

/* Waits for a ptrace stop of pid; false if it ended instead. */
static bool
traced_stop(pid_t pid, int *st)
{
	while (waitpid(pid, st, __WALL) < 0)
		if (errno != EINTR)
			return false;
	return WIFSTOPPED(*st);
}

/* A new tracee's pid, once it sits at the fork event stop. */
static pid_t
forked(pid_t pid)
{
	unsigned long kid = 0;
	int st;

	while (traced_stop(pid, &st)) {
		if (st >> 8 == (SIGTRAP | (PTRACE_EVENT_FORK << 8))) {
			ptrace(PTRACE_GETEVENTMSG, pid, NULL, &kid);
			return (pid_t)kid;
		}
		/* Signals are delivered as they would be untraced. */
		ptrace(PTRACE_CONT, pid, NULL,
		    (void *)(long)(WSTOPSIG(st) == SIGSTOP ? 0 : WSTOPSIG(st)));
	}
	return 0;
}

/* Lets pid run until it has written a single byte (its ready byte). */
static bool
wrote_byte(pid_t pid)
{
	struct __ptrace_syscall_info si;
	bool in_write = false;
	int st;

	ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
	while (traced_stop(pid, &st)) {
		int sig = 0;

		if (WSTOPSIG(st) == (SIGTRAP | 0x80) &&
		    ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(si),
		    &si) > 0) {
			if (si.op == PTRACE_SYSCALL_INFO_ENTRY)
				in_write = si.entry.nr == SYS_write &&
				    si.entry.args[2] == 1;
			else if (si.op == PTRACE_SYSCALL_INFO_EXIT && in_write &&
			    si.exit.rval == 1)
				return true;
		} else if (WSTOPSIG(st) != SIGSTOP &&
		    WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			sig = WSTOPSIG(st);
		}
		ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig);
	}
	return false;
}

/*
 * Runs the helper (no args) with its first child held between forking
 * the daemon and exiting, until the daemon has written its ready byte:
 * the order the scheduler of a loaded host may choose. Returns the
 * helper's exit status (or 128+signal), or -1 if it could not be traced.
 */
static int
run_first_child_late(const char *marker)
{
	char *argv[6];
	pid_t p, first, daemon;
	int st;

	helper_argv(argv, NULL, NULL, marker);
	fflush(NULL);
	p = fork();
	if (p == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0)
			execv(helper, argv);
		_exit(127);
	}
	if (p < 0)
		return -1;
	if (!traced_stop(p, &st) || WSTOPSIG(st) != SIGTRAP) {
		waitpid(p, NULL, 0);
		return -1;
	}
	ptrace(PTRACE_SETOPTIONS, p, NULL, (void *)(long)(PTRACE_O_TRACEFORK |
	    PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
	ptrace(PTRACE_CONT, p, NULL, NULL);
	/* The original process forks the first child, which forks the daemon. */
	first = forked(p);
	ptrace(PTRACE_DETACH, p, NULL, NULL);
	CHECK(first > 0);
	/* A new tracee starts with a SIGSTOP, that forked() swallows. */
	daemon = first > 0 ? forked(first) : 0;
	CHECK(daemon > 0);
	if (daemon > 0) {
		CHECK(traced_stop(daemon, &st) && WSTOPSIG(st) == SIGSTOP);
		CHECK(wrote_byte(daemon));
		ptrace(PTRACE_DETACH, daemon, NULL, NULL);
	}
	if (first > 0)
		ptrace(PTRACE_DETACH, first, NULL, NULL);
	return status_of(p);
}

static void
path(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
}

static pid_t
marker_pid(const char *m)
{
	long v = 0;
	FILE *f = fopen(m, "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld", &v) != 1)
		v = 0;
	fclose(f);
	return (pid_t)v;
}

static void
write_pidfile(pid_t pid)
{
	FILE *f = fopen(pidfile, "w");

	CHECK(f != NULL);
	if (f) {
		fprintf(f, "%ld\n", (long)pid);
		fclose(f);
	}
}

/* Kills a detached daemon and waits until its pid file lock is free. */
/* Waits until nobody holds the pid file's lock (its holder has exited);
 * true also when there is no pid file. */
static bool
unlocked(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(pidfile, O_RDWR | O_CLOEXEC), r;

	if (fd < 0)
		return errno == ENOENT;
	alarm(LOCK_WAIT_S);	/* SIGALRM ends the test: a failure */
	r = fcntl(fd, F_OFD_SETLKW, &fl);
	alarm(0);
	close(fd);
	return r == 0;
}

static void
stop(pid_t pid)
{
	CHECK(pid > 0 && kill(pid, SIGTERM) == 0);
	CHECK(unlocked());
}

/* A pid that no process has: a child we reaped. */
static pid_t
dead_pid(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return p;
}

static void
test_foreground_rule(void)
{
	unsetenv("NOTIFY_SOCKET");
	/* Every process systemd starts has it, an init script's too. */
	setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef", 1);
	CHECK_EQ(xud_foreground(0), 0);
	CHECK_EQ(xud_foreground(1), 1);
	setenv("NOTIFY_SOCKET", "", 1);
	CHECK_EQ(xud_foreground(0), 0);
	setenv("NOTIFY_SOCKET", "/run/systemd/notify", 1);
	CHECK_EQ(xud_foreground(0), 1);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_pidfile_api(void)
{
	char p[PATH_MAX];
	int fd;

	path(p, "api.pid");
	fd = xud_pidfile(p);
	CHECK(fd >= 0);
	CHECK_EQ(xud_pidfile_pid(p), getpid());
	/* Another open file description of the same file is refused. */
	CHECK_EQ(xud_pidfile(p), -EBUSY);
	xud_pidfile_remove(fd, p);
	CHECK(access(p, F_OK) < 0 && errno == ENOENT);
	CHECK_EQ(xud_pidfile_pid(p), 0);
}

static void
test_detach(void)
{
	char m1[PATH_MAX], m2[PATH_MAX], m3[PATH_MAX];
	pid_t starter, daemon, d3, kid;
	int r;

	path(m1, "first.marker");
	path(m2, "second.marker");
	path(m3, "third.marker");

	/* Returns 0 only once the daemon has written its marker. */
	CHECK_EQ(run(NULL, NULL, m1, &starter), 0);
	CHECK(access(m1, F_OK) == 0);
	daemon = marker_pid(m1);
	CHECK(daemon > 0 && daemon != starter);
	CHECK_EQ(xud_pidfile_pid(pidfile), daemon);
	CHECK(kill(daemon, 0) == 0);

	/* A second instance is refused while the first holds the lock. */
	CHECK_EQ(run(NULL, NULL, m2, NULL), 10);
	CHECK(access(m2, F_OK) < 0);
	CHECK_EQ(xud_pidfile(pidfile), -EBUSY);
	CHECK_EQ(xud_pidfile_pid(pidfile), daemon);
	stop(daemon);

	/* A stale pid file, of a dead process, is taken over. */
	write_pidfile(dead_pid());
	CHECK_EQ(run(NULL, NULL, m3, NULL), 0);
	d3 = marker_pid(m3);
	CHECK(d3 > 0);
	CHECK_EQ(xud_pidfile_pid(pidfile), d3);
	stop(d3);

	/* Xen's pid file, unlocked, naming a live process: refused. */
	write_pidfile(getpid());
	unlink(m2);
	CHECK_EQ(run(NULL, NULL, m2, NULL), 11);
	CHECK(access(m2, F_OK) < 0);
	CHECK_EQ(xud_pidfile_pid(pidfile), getpid());
	unlink(pidfile);

	/* A daemon that fails before ready: its status, and no marker. */
	CHECK_EQ(run("-e", "3", m2, NULL), 3);
	CHECK(access(m2, F_OK) < 0);
	CHECK(access(pidfile, F_OK) < 0);

	/* Started with stdio closed, it still says when it is ready. */
	unlink(m2);
	closed_stdio = 1;
	alarm(LOCK_WAIT_S);	/* SIGALRM ends the test: a failure */
	CHECK_EQ(run(NULL, NULL, m2, NULL), 0);
	alarm(0);
	closed_stdio = 0;
	CHECK(access(m2, F_OK) == 0);
	stop(marker_pid(m2));
	unlink(pidfile);
	unlink(m2);

	/*
	 * Ready while the first child has yet to exit: ready all the same.
	 * Without ptrace (a container may forbid it) the order cannot be
	 * forced, and the step is left out.
	 */
	alarm(LOCK_WAIT_S);	/* SIGALRM ends the test: a failure */
	r = run_first_child_late(m2);
	alarm(0);
	if (r < 0) {
		fprintf(stderr, "no ptrace: first child's order not forced\n");
	} else {
		CHECK_EQ(r, 0);
		CHECK(access(m2, F_OK) == 0);
		stop(marker_pid(m2));
	}
	unlink(pidfile);
	unlink(m2);

	/* Its status also when a child of it holds the pipe open. */
	alarm(LOCK_WAIT_S);	/* SIGALRM ends the test: a failure */
	CHECK_EQ(run("-k", NULL, m2, NULL), 4);
	alarm(0);
	kid = marker_pid(m2);
	CHECK(kid > 0 && kill(kid, SIGKILL) == 0);
	/* It inherited the lock: gone only once it has exited. */
	CHECK(unlocked());
}

static void
test_no_detach(void)
{
	char m[PATH_MAX];
	pid_t pid;

	path(m, "fg.marker");
	/* Asked for the foreground: the daemon is the process we ran. */
	CHECK_EQ(run("-f", "-x", m, &pid), 0);
	CHECK_EQ(marker_pid(m), pid);
	CHECK_EQ(xud_pidfile_pid(pidfile), pid);
	/* A Type=notify unit: the same. */
	unlink(m);
	setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
	CHECK_EQ(run("-x", NULL, m, &pid), 0);
	unsetenv("NOTIFY_SOCKET");
	CHECK_EQ(marker_pid(m), pid);
	CHECK_EQ(xud_pidfile_pid(pidfile), pid);
	unlink(pidfile);
}

static void
test_nofile(void)
{
	struct rlimit rl;

	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	if (rl.rlim_max > 64) {
		rl.rlim_cur = 64;
		CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	}
	CHECK_EQ(xud_raise_nofile(), 0);
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	CHECK(rl.rlim_cur == rl.rlim_max);
	CHECK_EQ(xud_raise_nofile(), 0);
}

int
main(int argc, char **argv)
{
	char self[PATH_MAX], cmd[PATH_MAX + 16];

	(void)argc;
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(helper, sizeof(helper), "%s/test-daemon-helper",
	    dirname(self));
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	path(pidfile, "daemon.pid");
	test_foreground_rule();
	test_pidfile_api();
	test_detach();
	test_no_detach();
	test_nofile();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		CHECK(0);
	return CHECK_DONE();
}
