/*
 * xlab-sdwait: run a daemon as a child with NOTIFY_SOCKET set, and record
 * what it tells the service manager, so that a lab case can wait on files.
 *
 *   xlab-sdwait DIR COMMAND [ARGS...]
 *
 * Creates DIR (if needed) and a unix datagram socket DIR/notify, starts
 * COMMAND with NOTIFY_SOCKET=DIR/notify, and writes:
 *   DIR/pid       the child's pid (written before the child runs)
 *   DIR/messages  every notification line, in order
 *   DIR/ready     created on READY=1
 *   DIR/stopping  created on STOPPING=1
 *   DIR/reloading created on RELOADING=1 (removed again on READY=1)
 *   DIR/status    the latest STATUS= text
 *   DIR/exit      "exited N" or "killed SIGNAME", once the child has ended
 * SIGTERM/SIGINT/SIGHUP sent to xlab-sdwait are passed to the child.
 * xlab-sdwait exits with the child's status (128+N after signal N).
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir;
static volatile sig_atomic_t pending_sig;

static void on_signal(int sig)
{
	pending_sig = sig;
}

static void put_file(const char *name, const char *text, int append)
{
	char path[4096], tmp[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (append) {
		f = fopen(path, "a");
		if (f) {
			fputs(text, f);
			fclose(f);
		}
		return;
	}
	/* write-then-rename, so that a reader never sees a partial file */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
	rename(tmp, path);
}

static void handle_message(char *msg)
{
	char *line, *save = NULL;

	for (line = strtok_r(msg, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char buf[4200];

		snprintf(buf, sizeof(buf), "%s\n", line);
		put_file("messages", buf, 1);
		if (strcmp(line, "READY=1") == 0) {
			char p[4096];

			snprintf(p, sizeof(p), "%s/reloading", dir);
			unlink(p);
			put_file("ready", "1\n", 0);
		} else if (strcmp(line, "STOPPING=1") == 0) {
			put_file("stopping", "1\n", 0);
		} else if (strcmp(line, "RELOADING=1") == 0) {
			put_file("reloading", "1\n", 0);
		} else if (strncmp(line, "STATUS=", 7) == 0) {
			put_file("status", buf + 7, 0);
		}
	}
}

static void drain(int fd)
{
	char msg[8192];
	ssize_t n;

	while ((n = recv(fd, msg, sizeof(msg) - 1, MSG_DONTWAIT)) >= 0) {
		msg[n] = 0;
		handle_message(msg);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct sigaction act = { .sa_handler = on_signal };
	char buf[256];
	pid_t pid;
	int fd, status;

	if (argc < 3) {
		fprintf(stderr, "usage: xlab-sdwait DIR COMMAND [ARGS...]\n");
		return 2;
	}
	dir = argv[1];
	mkdir(dir, 0755);
	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", dir) >= (int)sizeof(sa.sun_path)) {
		fprintf(stderr, "xlab-sdwait: %s: path too long for a socket\n", dir);
		return 2;
	}
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "xlab-sdwait: %s: %s\n", sa.sun_path, strerror(errno));
		return 2;
	}
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGHUP, &act, NULL);

	pid = fork();
	if (pid < 0) {
		perror("xlab-sdwait: fork");
		return 2;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		setenv("NOTIFY_SOCKET", sa.sun_path, 1);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "xlab-sdwait: exec %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	put_file("pid", buf, 0);

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		pid_t w;

		if (pending_sig) {
			kill(pid, pending_sig);
			pending_sig = 0;
		}
		if (poll(&p, 1, 100) > 0)
			drain(fd);
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
	}
	drain(fd);
	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exited %d\n", WEXITSTATUS(status));
	else
		snprintf(buf, sizeof(buf), "killed SIG%s\n", sigabbrev_np(WTERMSIG(status)) ?
			 sigabbrev_np(WTERMSIG(status)) : "?");
	put_file("exit", buf, 0);
	unlink(sa.sun_path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
