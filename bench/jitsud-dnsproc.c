/*
 * jitsud-dnsproc: jitsud's DNS process, for bench/jitsud-qps.sh on a
 * host without Xen. Not a pass/fail test, and not part of the daemon.
 *
 * jitsud itself needs xenstore (the skeleton opens it) and libxl (to
 * summon), so it cannot start where there is no Xen. The DNS process
 * does not: it is forked before either is opened, and holds only its
 * sockets and the socketpair to the privileged process. This program
 * does what jitsud.c does up to that fork, with the same code (the
 * configuration file through settings.c, the sockets through
 * listen.c), runs the real DNS process (dnsproc_run: server.c, udp.c,
 * answer.c, the limits) in the child, and stands in for the privileged
 * process in the parent: it tells the DNS process that every service
 * with a domain is up and holds a max-running place (PM_STATE, as
 * jitsud's summoner does for a running service it adopted), and takes
 * its PM_USED messages as jitsud would. A query then takes the path of
 * a production query for a running service, "used" messages included.
 *
 *   jitsud-dnsproc CONF    says "jitsud-dnsproc: ready" once the DNS
 *                          process has the services' states, runs until
 *                          SIGINT or SIGTERM, then prints
 *                          the DNS process's status text (its counters)
 *                          and the messages it sent.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "conf.h"
#include "log.h"
#include "answer.h"
#include "dnsproc.h"
#include "listen.h"
#include "privmsg.h"
#include "settings.h"

static struct jc_conf conf;
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
send_msg(int fd, const struct pm_msg *m)
{
	uint8_t buf[PM_MAX];
	size_t n = pm_encode(m, buf);

	return send(fd, buf, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -errno;
}

/* One message from the DNS process: 1, 0 when none came in ms, -1 when
 * it is gone or sent what jitsud would not take. */
static int
take(int fd, int ms, struct pm_msg *m)
{
	uint8_t buf[PM_MAX + 1];
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0 || (size_t)n > PM_MAX ||
	    pm_decode(buf, (size_t)n, conf.nservices, m) < 0 ||
	    !pm_from_dns(m->type))
		return -1;
	return 1;
}

int
main(int argc, char **argv)
{
	struct jd_sock socks[JD_MAX_SOCKS];
	struct sigaction sa;
	struct pm_msg m;
	unsigned long used = 0, starts = 0;
	char what[64] = "";
	bool activated, summon = false;
	int n, sp[2], st = 0;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: jitsud-dnsproc JITSUD.CONF\n");
		return 2;
	}
	log_init("jitsud-dnsproc", LOG_TO_STDERR, 0);
	jc_defaults(&conf);
	if (conf_parse_file(argv[1], jc_conf_item, &conf, stderr) < 0 ||
	    jc_conf_check(argv[1], &conf, stderr))
		return 1;
	for (unsigned int i = 0; i < conf.nservices; i++)
		summon |= conf.services[i].vm[0] || conf.services[i].xl_config[0];
	n = listen_open(&conf, socks, &activated, what, sizeof(what));
	if (n <= 0) {
		fprintf(stderr, "jitsud-dnsproc: cannot listen on %s: %s\n",
		    what, strerror(n < 0 ? -n : ENOENT));
		return 1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) {
		perror("jitsud-dnsproc: socketpair");
		return 1;
	}
	if ((pid = fork()) < 0) {
		perror("jitsud-dnsproc: fork");
		return 1;
	}
	if (pid == 0) {
		close(sp[0]);
		_exit(dnsproc_run(&conf, socks, n, NULL, 0, sp[1], summon,
		    "nobody"));
	}
	close(sp[1]);
	for (int i = 0; i < n; i++)
		close(socks[i].fd);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Every service with a domain is up, as if adopted at a restart. */
	for (unsigned int i = 0; i < conf.nservices; i++)
		if (conf.services[i].vm[0] || conf.services[i].xl_config[0]) {
			m = (struct pm_msg){ .type = PM_STATE, .a = i,
			    .b = JD_READY | PM_PLACE };
			if (send_msg(sp[0], &m) < 0)
				goto gone;
		}
	/* Messages are taken in order: once the counts asked for after the
	 * states come back, the states are in force, and a query does not
	 * find its service stopped (and summon it). */
	m = (struct pm_msg){ .type = PM_COUNTS, .a = 0 };
	if (conf.nservices && send_msg(sp[0], &m) == 0)
		for (;;) {
			int r = take(sp[0], 5000, &m);

			if (r <= 0)
				goto gone;
			if (m.type == PM_COUNTS_R)
				break;
		}
	printf("jitsud-dnsproc: ready\n");
	fflush(stdout);
	while (!stop) {
		int r = take(sp[0], 200, &m);

		if (r < 0)
			goto gone;
		if (r > 0 && m.type == PM_USED)
			used++;
		else if (r > 0 && m.type == PM_START)
			starts++;	/* not expected: all are up */
	}
	/* The DNS process's counters, as jitsuctl status would show them. */
	m = (struct pm_msg){ .type = PM_STATUS, .a = 1 };
	if (send_msg(sp[0], &m) == 0)
		while (take(sp[0], 2000, &m) > 0 && m.type != PM_TEXT_END)
			if (m.type == PM_TEXT)
				fwrite(m.text, 1, m.len, stdout);
	printf("messages: used=%lu start=%lu\n", used, starts);
gone:
	close(sp[0]);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "jitsud-dnsproc: the DNS process failed\n");
		return 1;
	}
	return stop ? 0 : 1;
}
