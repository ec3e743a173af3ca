/* jitsud's unprivileged DNS process (dnsproc.h). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "deadline.h"
#include "dnsproc.h"
#include "log.h"
#include "privmsg.h"
#include "server.h"

struct dnsproc {
	struct event_base *base;
	struct jd_server *srv;
	int fd;
	unsigned int nsvc;
	uint64_t *told_used;	/* per service, when "used" was last sent */
	/* per service: holds a max-running place, as last told (or since
	 * its boot was asked for) */
	bool *place;
};

static int
send_msg(struct dnsproc *p, const struct pm_msg *m)
{
	uint8_t buf[PM_MAX];
	size_t n = pm_encode(m, buf);

	if (send(p->fd, buf, n, MSG_NOSIGNAL) != (ssize_t)n)
		return -errno;
	return 0;
}

static int
start(void *arg, int svc)
{
	struct dnsproc *p = arg;
	struct pm_msg m = { .type = PM_START, .a = (uint32_t)svc };
	int r = send_msg(p, &m);

	/* counted from now, not from when the answer comes */
	if (r == 0)
		p->place[svc] = true;
	return r;
}

static void
used(void *arg, int svc)
{
	struct dnsproc *p = arg;
	struct pm_msg m = { .type = PM_USED, .a = (uint32_t)svc };
	uint64_t now = jd_now_ms();

	if (p->told_used[svc] && now - p->told_used[svc] < DP_USED_MS)
		return;
	if (send_msg(p, &m) == 0)
		p->told_used[svc] = now;
}

/*
 * max-running: the summoned services other than svc that are starting,
 * up or stopping, as the privileged process last told, and those whose
 * boot was asked for since.
 */
static unsigned int
running(void *arg, int svc)
{
	struct dnsproc *p = arg;
	unsigned int n = 0;

	for (unsigned int i = 0; i < p->nsvc; i++)
		n += (int)i != svc && p->place[i];
	return n;
}

static void
counts(struct dnsproc *p, uint32_t svc)
{
	struct pm_msg m = { .type = PM_COUNTS_R, .a = svc };
	uint64_t limited, queries = jd_server_queries(p->srv, (int)svc,
	    &limited);

	pm_put_counts(&m, queries, limited);
	send_msg(p, &m);
}

/* The server's status text, in pieces the privileged process checks. */
static void
status(struct dnsproc *p, uint32_t seq)
{
	struct pm_msg m = { .type = PM_TEXT, .a = seq };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f) {
		jd_server_status(f, p->srv);
		fclose(f);
	}
	for (size_t off = 0; text && off < len; off += m.len) {
		m.len = (uint16_t)(len - off < PM_TEXT_MAX ? len - off :
		    PM_TEXT_MAX);
		memcpy(m.text, text + off, m.len);
		if (send_msg(p, &m) < 0)
			break;
	}
	free(text);
	m.type = PM_TEXT_END;
	m.len = 0;
	send_msg(p, &m);
}

static void
on_parent(evutil_socket_t fd, short what, void *arg)
{
	struct dnsproc *p = arg;
	uint8_t buf[PM_MAX + 1];
	struct pm_msg m;
	ssize_t n;

	(void)what;
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0 || (size_t)n > PM_MAX ||
	    pm_decode(buf, (size_t)n, p->nsvc, &m) < 0 ||
	    pm_from_dns(m.type)) {
		/* the privileged process stopped (or is not ours) */
		event_base_loopbreak(p->base);
		return;
	}
	if (m.type == PM_STATE) {
		p->place[m.a] = (m.b & PM_PLACE) != 0;
		jd_server_service_state(p->srv, (int)m.a,
		    (enum jd_svc_state)(m.b & ~PM_PLACE));
	} else if (m.type == PM_COUNTS)
		counts(p, m.a);
	else
		status(p, m.a);
}

/* Becomes user, for good; nothing to do when not started as root. */
static int
drop_privileges(const char *user)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	errno = 0;
	if (!(pw = getpwnam(user)))
		return errno ? -errno : -ENOENT;
	if (pw->pw_uid == 0)
		return -EPERM;
	if (setgroups(0, NULL) < 0 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
		return -errno;
	/* No way back: setuid programs run as themselves, not as root. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	/* It never forks: a compromise cannot either. */
	setrlimit(RLIMIT_NPROC, &(struct rlimit){ 0, 0 });
	return 0;
}

int
dnsproc_run(const struct jc_conf *c, struct jd_sock *socks, int nsocks,
    const struct jc_addr *resolvers, unsigned int nresolvers, int fd,
    bool summon, const char *user)
{
	struct jd_summon hook = { start, used, NULL, running };
	struct dnsproc p = { .fd = fd, .nsvc = c->nservices };
	struct event *ev = NULL;
	int r, status = 1;

	/* The privileged process decides when to stop: it closes fd. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if ((r = drop_privileges(user)) < 0) {
		log_warnx("DNS process: cannot become user %s: %s", user,
		    r == -EPERM ? "that is root" : strerror(-r));
		return 1;
	}
	hook.arg = &p;
	p.told_used = calloc(c->nservices ? c->nservices : 1,
	    sizeof(*p.told_used));
	p.place = calloc(c->nservices ? c->nservices : 1, sizeof(*p.place));
	p.base = event_base_new();
	if (!p.told_used || !p.place || !p.base)
		goto out;
	if ((r = jd_server_new(p.base, c, socks, nsocks, resolvers,
	    nresolvers, summon ? &hook : NULL, &p.srv)) < 0) {
		log_warnx("DNS process: cannot start the server: %s",
		    strerror(-r));
		goto out;
	}
	ev = event_new(p.base, fd, EV_READ | EV_PERSIST, on_parent, &p);
	if (!ev || event_add(ev, NULL) < 0)
		goto out;
	event_base_dispatch(p.base);
	status = 0;
out:
	if (ev)
		event_free(ev);
	jd_server_free(p.srv);
	if (p.base)
		event_base_free(p.base);
	free(p.told_used);
	free(p.place);
	close(fd);
	return status;
}
