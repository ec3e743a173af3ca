/* The privileged end of jitsud's privilege separation (privsep.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <event2/event.h>

#include "limits.h"
#include "log.h"
#include "privmsg.h"
#include "privsep.h"
#include "ratelimit.h"

struct privsep {
	struct event *ev;	/* the socketpair: requests */
	struct event *later;	/* requests taken while awaiting status */
	int fd;
	pid_t pid;
	unsigned int nsvc;
	const struct jd_summon *summon;
	struct limits *limits;
	uint64_t refused;
	void (*dead)(void *arg, const char *why);
	void *arg;
	bool gone;
	uint32_t seq;		/* of the last status request */
	struct pm_msg pending[PS_PENDING];
	unsigned int npending;
};

static void
died(struct privsep *ps, const char *why)
{
	if (ps->gone)
		return;
	ps->gone = true;
	event_del(ps->ev);
	ps->dead(ps->arg, why);
}

/* The summon limits, again: the DNS process applied them already. */
static bool
allowed(struct privsep *ps, int svc)
{
	unsigned int running;

	if (!ps->limits)
		return true;
	running = ps->summon->running ? ps->summon->running(ps->summon->arg,
	    svc) : 0;
	if (lim_summon(ps->limits, svc, running, rl_now_ns()) == LIM_OK)
		return true;
	/* a DNS process that passed them is not ours any more */
	if (ps->refused++ == 0)
		log_warnx("the DNS process asked for a boot past the summon "
		    "limits: refused (and counted from now on)");
	return false;
}

/* A request from the DNS process, checked by pm_decode(). */
static void
dispatch(struct privsep *ps, const struct pm_msg *m)
{
	switch (m->type) {
	case PM_START:
		if (!allowed(ps, (int)m->a) ||
		    ps->summon->start(ps->summon->arg, (int)m->a) < 0)
			ps_state(ps, (int)m->a, JD_STOPPED, false);
		break;
	case PM_USED:
		if (ps->summon->used)
			ps->summon->used(ps->summon->arg, (int)m->a);
		break;
	}
	/* status text that came after its request timed out: dropped */
}

/*
 * One message from the DNS process: 1 and m filled, 0 if there is none
 * now, or -1 once it is gone or broke the protocol (then died()).
 */
static int
take(struct privsep *ps, struct pm_msg *m)
{
	uint8_t buf[PM_MAX + 1];
	ssize_t n;

	if (ps->gone)
		return -1;
	n = recv(ps->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		died(ps, n == 0 ? "it exited" : strerror(errno));
		return -1;
	}
	if ((size_t)n > PM_MAX || pm_decode(buf, (size_t)n, ps->nsvc, m) < 0 ||
	    !pm_from_dns(m->type) || (!ps->summon && (m->type == PM_START ||
	    m->type == PM_USED))) {
		died(ps, "it broke the protocol");
		return -1;
	}
	return 1;
}

static void
on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct privsep *ps = arg;
	struct pm_msg m;

	(void)fd;
	(void)what;
	/* A bounded batch: the loop's other events get their turn. */
	for (int i = 0; i < 64 && take(ps, &m) > 0; i++)
		dispatch(ps, &m);
}

static void
on_later(evutil_socket_t fd, short what, void *arg)
{
	struct privsep *ps = arg;

	(void)fd;
	(void)what;
	for (unsigned int i = 0; i < ps->npending; i++)
		dispatch(ps, &ps->pending[i]);
	ps->npending = 0;
}

static int
send_msg(struct privsep *ps, const struct pm_msg *m)
{
	uint8_t buf[PM_MAX];
	size_t n = pm_encode(m, buf);

	if (ps->gone)
		return -EPIPE;
	/* Never blocks: a DNS process that stops reading is broken. */
	if (send(ps->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)n) {
		died(ps, errno == EAGAIN ? "it stopped reading" :
		    strerror(errno));
		return -EPIPE;
	}
	return 0;
}

void
ps_state(void *arg, int svc, enum jd_svc_state st, bool running)
{
	struct privsep *ps = arg;
	struct pm_msg m = { .type = PM_STATE, .a = (uint32_t)svc,
	    .b = (uint32_t)st | (running ? PM_PLACE : 0) };

	send_msg(ps, &m);
}

void
ps_limit(struct privsep *ps, struct limits *l)
{
	lim_free(ps->limits);
	ps->limits = l;
}

uint64_t
ps_refused(const struct privsep *ps)
{
	return ps->refused;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Sends req and awaits the DNS process's answer here, in the loop's time,
 * as --status and jitsuctl want it at once: status text (written to f)
 * until its end, or counts (into *counts). Requests that come meanwhile
 * are kept for later. Returns 0, or -errno: -ETIMEDOUT, -EPIPE (gone),
 * -ENOBUFS (too many requests came meanwhile).
 */
static int
await_reply(struct privsep *ps, struct pm_msg *req, FILE *f,
    struct pm_msg *counts)
{
	int64_t end = now_ms() + PS_STATUS_MS;
	struct pm_msg m;
	size_t got = 0;
	int r;

	if (req->type == PM_STATUS)
		req->a = ++ps->seq;
	if (send_msg(ps, req) < 0)
		return -EPIPE;
	for (;;) {
		struct pollfd p = { .fd = ps->fd, .events = POLLIN };
		int64_t left = end - now_ms();

		if (ps->npending == PS_PENDING) {
			r = -ENOBUFS;
			break;
		}
		if (left <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		if ((r = take(ps, &m)) < 0) {
			r = -EPIPE;
			break;
		}
		if (r == 0) {
			poll(&p, 1, (int)left);
			continue;
		}
		if (m.type == PM_START || m.type == PM_USED) {
			ps->pending[ps->npending++] = m;
			continue;
		}
		/* an earlier request's answer, too late */
		if (m.type != (req->type == PM_STATUS ? PM_TEXT : PM_COUNTS_R) &&
		    !(req->type == PM_STATUS && m.type == PM_TEXT_END))
			continue;
		if (m.a != req->a)
			continue;
		if (m.type == PM_COUNTS_R) {
			*counts = m;
			r = 0;
			break;
		}
		if (m.type == PM_TEXT_END) {
			r = 0;
			break;
		}
		if (got + m.len <= PS_STATUS_MAX)
			fwrite(m.text, 1, m.len, f);
		got += m.len;
	}
	if (ps->npending)
		event_active(ps->later, 0, 0);
	return r;
}

void
ps_status(FILE *f, struct privsep *ps)
{
	struct pm_msg req = { .type = PM_STATUS };
	int r = await_reply(ps, &req, f, NULL);

	if (r == -EPIPE)
		fprintf(f, "dns: the DNS process is gone\n");
	else if (r < 0)
		fprintf(f, "dns: (status cut: the DNS process is busy)\n");
	if (ps->refused)
		fprintf(f, "privsep: boots past the limits refused: %" PRIu64
		    "\n", ps->refused);
}

uint64_t
ps_queries(struct privsep *ps, int svc, uint64_t *limited)
{
	struct pm_msg req = { .type = PM_COUNTS, .a = (uint32_t)svc }, m;
	uint64_t queries = 0;

	*limited = 0;
	if (svc >= 0 && (unsigned int)svc < ps->nsvc &&
	    await_reply(ps, &req, NULL, &m) == 0)
		pm_get_counts(&m, &queries, limited);
	return queries;
}

int
ps_new(struct event_base *base, int fd, pid_t pid, unsigned int nsvc,
    const struct jd_summon *summon, void (*dead)(void *arg, const char *why),
    void *arg, struct privsep **out)
{
	struct privsep *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return -ENOMEM;
	ps->fd = fd;
	ps->pid = pid;
	ps->nsvc = nsvc;
	ps->summon = summon;
	ps->dead = dead;
	ps->arg = arg;
	ps->ev = event_new(base, fd, EV_READ | EV_PERSIST, on_readable, ps);
	ps->later = event_new(base, -1, 0, on_later, ps);
	if (!ps->ev || !ps->later || event_add(ps->ev, NULL) < 0) {
		ps->fd = -1;	/* the caller still owns it */
		ps_free(ps);
		return -ENOMEM;
	}
	*out = ps;
	return 0;
}

void
ps_free(struct privsep *ps)
{
	if (!ps)
		return;
	if (ps->ev)
		event_free(ps->ev);
	if (ps->later)
		event_free(ps->later);
	lim_free(ps->limits);
	if (ps->fd >= 0)
		close(ps->fd);
	/* Its end of the socketpair reads EOF, and it exits; one that
	 * does not is killed. */
	for (int i = 0; ps->pid > 0; i++) {
		pid_t r = waitpid(ps->pid, NULL, WNOHANG);

		if (r != 0 && !(r < 0 && errno == EINTR))
			break;
		if (i == PS_EXIT_MS / 10)
			kill(ps->pid, SIGKILL);
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000000 }, NULL);
	}
	free(ps);
}
