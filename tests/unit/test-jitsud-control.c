/*
 * jitsuctl's requests: the status table has a row per service with its
 * state, domid, boots, summon time and queries; start and stop find a
 * service by id or DNS name (any case, a final dot), reach the right
 * service, and each outcome has its ok or error line; anything else is
 * not a request. Then jitsuctl itself over a control socket: what it
 * prints, and its exit status.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <event2/event.h>

#include "ctl.h"

#include "control.h"
#include "check.h"

static struct jc_conf c;
static int started = -1, stopped = -1, ret;

static int
f_start(void *arg, int svc)
{
	(void)arg;
	started = svc;
	return ret;
}

static int
f_stop(void *arg, int svc)
{
	(void)arg;
	stopped = svc;
	return ret;
}

static void
f_view(void *arg, int svc, struct jd_svc_view *v)
{
	(void)arg;
	if (svc == 0) {
		v->state = "ready";
		v->has_domid = true;
		v->domid = 7;
		v->boots = 2;
		v->last_summon_ms = 183;
		v->queries = 41;
		v->limited = 3;
	} else
		v->state = "up";
}

static const struct jd_control_ops ops = { f_start, f_stop, f_view, NULL };

/* The answer to req. */
static const char *
ask(const char *req)
{
	static char *text;
	size_t len;
	FILE *f;

	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	jd_control(f, req, &c, &ops);
	fclose(f);
	return text;
}

static void
service(const char *id, const char *name)
{
	struct jc_service *s = &c.services[c.nservices++];

	snprintf(s->id, sizeof(s->id), "%s", id);
	snprintf(s->name, sizeof(s->name), "%s", name);
}

static void
on_request(FILE *f, const char *req, void *arg)
{
	(void)arg;
	jd_control(f, req, &c, &ops);
}

static void
on_status(FILE *f, void *arg)
{
	(void)arg;
	fprintf(f, "the status\n");
}

struct run {
	struct event_base *base;
	pid_t pid;
	int status;
};

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct run *r = arg;

	(void)fd; (void)what;
	if (waitpid(r->pid, &r->status, WNOHANG) == r->pid)
		event_base_loopbreak(r->base);
}

/* Runs jitsuctl with args while the loop serves; its exit status, its
 * stdout and stderr in out. */
static int
jitsuctl(struct event_base *base, const char *out, const char *a1,
    const char *a2, const char *a3, const char *a4)
{
	struct timeval tv = { 0, 5000 };
	struct run r = { base, 0, 0 };
	struct event *tick;

	fflush(NULL);
	if ((r.pid = fork()) == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, 1);
		dup2(fd, 2);
		execl("jitsud/jitsuctl", "jitsuctl", a1, a2, a3, a4,
		    (char *)NULL);
		_exit(127);
	}
	tick = event_new(base, -1, EV_PERSIST, on_tick, &r);
	event_add(tick, &tv);
	event_base_dispatch(base);
	event_free(tick);
	return WIFEXITED(r.status) ? WEXITSTATUS(r.status) : -1;
}

static const char *
slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

static void
test_jitsuctl(void)
{
	char dir[] = "/tmp/test-jitsuctl.XXXXXX", path[128], out[128];
	struct event_base *base = event_base_new();
	struct ctl *ctl;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/control", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	ret = 0;
	/* no daemon */
	CHECK_EQ(jitsuctl(base, out, "-C", path, "status", NULL), 1);
	CHECK(strstr(slurp(out), "jitsuctl: jitsud is not running") != NULL);
	CHECK_EQ(ctl_listen(base, path, on_status, NULL, &ctl), 0);
	ctl_on_request(ctl, on_request);
	CHECK_EQ(jitsuctl(base, out, "-C", path, "status", NULL), 0);
	CHECK(strncmp(slurp(out), "SERVICE ", 8) == 0);
	CHECK(strstr(slurp(out), "\nhello ") != NULL);
	CHECK_EQ(jitsuctl(base, out, "--control", path, "start",
	    "hello.lab.test"), 0);
	CHECK_STR(slurp(out), "service hello: starting\n");
	ret = -ENOTSUP;
	CHECK_EQ(jitsuctl(base, out, "-C", path, "stop", "www"), 1);
	CHECK_STR(slurp(out), "jitsuctl: service www has no domain to "
	    "stop\n");
	CHECK_EQ(jitsuctl(base, out, "-C", path, "start", "nope"), 1);
	CHECK_STR(slurp(out), "jitsuctl: no service nope\n");
	/* usage */
	CHECK_EQ(jitsuctl(base, out, "-C", path, "start", NULL), 2);
	CHECK_EQ(jitsuctl(base, out, "reboot", NULL, NULL, NULL), 2);
	CHECK_EQ(jitsuctl(base, out, "--help", NULL, NULL, NULL), 0);
	CHECK(strncmp(slurp(out), "usage: jitsuctl", 15) == 0);
	CHECK_EQ(jitsuctl(base, out, "--version", NULL, NULL, NULL), 0);
	CHECK(strncmp(slurp(out), "jitsuctl (xud) ", 15) == 0);
	ctl_free(ctl);
	unlink(out);
	rmdir(dir);
	event_base_free(base);
}

int
main(void)
{
	const char *t;

	service("hello", "hello.lab.test");
	service("www", "www.lab.test");

	t = ask("status");
	CHECK(strncmp(t, "ok\nSERVICE ", 11) == 0);
	CHECK(strstr(t, "\nhello            hello.lab.test           ready"
	    "        7      2        183         41        3\n") != NULL);
	CHECK(strstr(t, "\nwww              www.lab.test             up"
	    "           -      0          0          0        0\n") != NULL);

	CHECK_STR(ask("start hello"), "ok: service hello: starting\n");
	CHECK_EQ(started, 0);
	CHECK_STR(ask("stop WWW.Lab.Test."), "ok: service www: stopping\n");
	CHECK_EQ(stopped, 1);
	ret = -EALREADY;
	CHECK_STR(ask("start www.lab.test"),
	    "ok: service www: up or starting already\n");
	CHECK_STR(ask("stop hello"), "ok: service hello: not running "
	    "already\n");
	ret = -ENOTSUP;
	CHECK_STR(ask("start www"), "error: service www has no domain to "
	    "start\n");
	ret = -EBUSY;
	CHECK_STR(ask("stop hello"), "error: service hello is starting: "
	    "stop it once it is up\n");
	ret = -EIO;
	CHECK_STR(ask("start hello"), "error: service hello: Input/output "
	    "error\n");

	started = stopped = -1;
	CHECK_STR(ask("start nope"), "error: no service nope\n");
	CHECK_STR(ask("start hello.lab"), "error: no service hello.lab\n");
	CHECK(strncmp(ask("start"), "error: not a request: 'start'", 29) ==
	    0);
	CHECK(strncmp(ask("start hello www"), "error: not a request", 20) ==
	    0);
	CHECK(strncmp(ask("reboot hello"), "error: not a request", 20) == 0);
	CHECK(strncmp(ask("statusx"), "error: not a request", 20) == 0);
	CHECK_EQ(started, -1);
	CHECK_EQ(stopped, -1);
	test_jitsuctl();
	ask("status");
	return CHECK_DONE();
}
