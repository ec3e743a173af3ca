/*
 * jitsud: just-in-time summoning of unikernels on DNS queries. See
 * jitsud(8) and jitsud.conf(5).
 *
 * This file is the table of contents; the frame (options, config check,
 * detaching, the loop, domain tracking, readiness) is lib/skel.c.
 * settings.c reads the configuration, answer.c decides each answer
 * (kept.c keeps them for queries that come again),
 * server.c dispatches queries between the listeners (listen.c, udp.c,
 * tcp.c), forwarding (forward.c decides, fwdio.c sends) and the
 * queries held for a service to come up (hold.c), and counts. summon.c
 * brings services up and down: lifecycle.c decides, a backend (xl.c:
 * libxl, or virt.c: libvirt) does it. The abuse limits are limits.c (summons) and rrl.c
 * (answers), applied by server.c; control.c answers jitsuctl.
 *
 * Privilege separation: the server runs in a process of its own
 * (dnsproc.c), forked before xenstore or libxl are opened, as an
 * unprivileged user; this process summons, and privsep.c carries the
 * messages between the two (privmsg.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "daemon.h"

#include "log.h"
#include "ratelimit.h"
#include "sdnotify.h"
#include "skel.h"
#include "control.h"
#include "dnsproc.h"
#include "limits.h"
#include "listen.h"
#include "privsep.h"
#include "server.h"
#include "settings.h"
#include "summon.h"

/* The skeleton's hooks get this as their arg. */
struct jitsud {
	struct privsep *ps;	/* the DNS process */
	struct summoner *sm;	/* NULL: no service has a domain */
	int ps_fd;
	pid_t dns_pid;
	struct jc_addr resolvers[JC_MAX_FORWARDERS];
	unsigned int nresolvers;
	int nsocks;
	bool activated;
};

static struct jitsud jd;

static struct jc_conf conf;
/* The command line's specs and addresses, applied over the file. */
static char **specs;
static int nspecs;
static const char *opt_listen[JC_MAX_LISTEN];
static unsigned int nopt_listen;
static const char *opt_fwd[JC_MAX_FORWARDERS];
static unsigned int nopt_fwd;
static const char *opt_port;
static const char *opt_dns_user = "nobody";
static const char *opt_backend, *opt_connect;

enum { OPT_LISTEN = 0x3000, OPT_PORT, OPT_FORWARDER, OPT_DNS_USER,
	OPT_BACKEND, OPT_CONNECT };

static int
on_option(struct xud *x, int c, const char *arg)
{
	(void)x;
	switch (c) {
	case OPT_LISTEN:
		if (nopt_listen == JC_MAX_LISTEN) {
			fprintf(stderr, "jitsud: more than %d --listen\n",
			    JC_MAX_LISTEN);
			return 2;
		}
		opt_listen[nopt_listen++] = arg;
		return 0;
	case OPT_FORWARDER:
		if (nopt_fwd == JC_MAX_FORWARDERS) {
			fprintf(stderr, "jitsud: more than %d --forwarder\n",
			    JC_MAX_FORWARDERS);
			return 2;
		}
		opt_fwd[nopt_fwd++] = arg;
		return 0;
	case OPT_PORT:
		opt_port = arg;
		return 0;
	case OPT_DNS_USER:
		opt_dns_user = arg;
		return 0;
	case OPT_BACKEND:
		opt_backend = arg;
		return 0;
	case OPT_CONNECT:
		opt_connect = arg;
		return 0;
	}
	return XUD_OPT_UNKNOWN;
}

static int
on_args(struct xud *x, int argc, char **argv)
{
	(void)x;
	specs = argv;
	nspecs = argc;
	return 0;
}

static int
opt_addrs(const char *opt, const char **v, unsigned int n,
    struct jc_addr *out, unsigned int *nout)
{
	if (n == 0)
		return 0;
	*nout = 0;
	for (unsigned int i = 0; i < n; i++, (*nout)++)
		if (jc_parse_addr(v[i], &out[i]) < 0) {
			fprintf(stderr, "jitsud: --%s: '%s' is not an "
			    "address\n", opt, v[i]);
			return 2;
		}
	return 0;
}

/* --backend and --connect over the file's backend and connect. */
static int
opt_backends(void)
{
	static const char *const names[] = { "libxl", "libvirt", NULL };
	int b;

	if (opt_backend) {
		if ((b = conf_enum(opt_backend, names)) < 0) {
			fprintf(stderr, "jitsud: --backend: '%s' is not one of "
			    "libxl, libvirt\n", opt_backend);
			return 2;
		}
		conf.backend = b;
		conf.backend_line = 0;
	}
	if (opt_connect) {
		if (strlen(opt_connect) >= sizeof(conf.connect)) {
			fprintf(stderr, "jitsud: --connect: URI too long\n");
			return 2;
		}
		snprintf(conf.connect, sizeof(conf.connect), "%s",
		    opt_connect);
		conf.backend_line = 0;
	}
	return 0;
}

/* The command line over the file: its specs, then the checks again. */
static int
configured(struct xud *x)
{
	char err[256];
	int r;

	for (int i = 0; i < nspecs; i++)
		if (jc_add_spec(&conf, specs[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "jitsud: %s: %s\n", specs[i], err);
			return 2;
		}
	if ((r = opt_addrs("listen", opt_listen, nopt_listen, conf.listen,
	    &conf.nlisten)) || (r = opt_addrs("forwarder", opt_fwd, nopt_fwd,
	    conf.forwarders, &conf.nforwarders)))
		return r;
	if (nopt_fwd)
		conf.out_of_zone = JC_FORWARD;
	if (opt_port && conf_uint(opt_port, 1, 65535, &conf.port) < 0) {
		fprintf(stderr, "jitsud: --port: '%s' is not a port\n",
		    opt_port);
		return 2;
	}
	if ((r = opt_backends()))
		return r;
#ifndef HAVE_LIBVIRT
	if (conf.backend == JC_BACKEND_LIBVIRT) {
		fprintf(stderr, "jitsud: backend libvirt: this jitsud was built "
		    "without libvirt (configure found no libvirt-dev)\n");
		return 1;
	}
#endif
	if ((nspecs || opt_backend || opt_connect) &&
	    jc_conf_check("command line", &conf, stderr))
		return 1;
	(void)x;
	return 0;
}

/* The configured forwarders, or else /etc/resolv.conf's, but not us. */
static void
resolvers(void)
{
	const struct jc_addr *from = conf.forwarders;
	struct jc_addr rc[JC_MAX_FORWARDERS];
	unsigned int n = conf.nforwarders;
	char text[16384], buf[64];

	if (conf.out_of_zone != JC_FORWARD)
		return;
	if (n == 0) {
		int fd = open("/etc/resolv.conf", O_RDONLY | O_CLOEXEC);
		ssize_t len = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

		if (fd >= 0)
			close(fd);
		text[len > 0 ? len : 0] = '\0';
		n = jc_resolv_conf(text, rc, JC_MAX_FORWARDERS);
		from = rc;
	}
	for (unsigned int i = 0; i < n; i++) {
		jc_format_addr(&from[i], buf, sizeof(buf));
		if (jc_is_self(&conf, &from[i])) {
			log_warnx("not forwarding to %s: that is this server",
			    buf);
			continue;
		}
		log_info("forwarding to %s", buf);
		jd.resolvers[jd.nresolvers++] = from[i];
	}
	if (jd.nresolvers == 0)
		log_warnx("out-of-zone = forward, but no resolver: names "
		    "outside the zones get SERVFAIL");
}

/* --- jitsuctl: the control socket's requests ---------------------------- */

static int
ctl_start(void *arg, int svc)
{
	struct jitsud *j = arg;

	return j->sm ? summon_start(j->sm, svc) : -ENOTSUP;
}

static int
ctl_stop(void *arg, int svc)
{
	struct jitsud *j = arg;

	return j->sm ? summon_stop(j->sm, svc) : -ENOTSUP;
}

static void
ctl_view(void *arg, int svc, struct jd_svc_view *v)
{
	struct jitsud *j = arg;
	const struct lc_svc *l = j->sm ? summon_svc(j->sm, svc) : NULL;

	v->state = "up";	/* a name without a domain */
	if (l) {
		v->state = lc_state_name(l->state);
		v->has_domid = l->has_domid;
		v->domid = l->domid;
		v->boots = l->boots;
		v->last_summon_ms = l->last_summon_ms;
	}
	/* the DNS process counts the queries */
	v->queries = ps_queries(j->ps, svc, &v->limited);
}

static void
on_request(FILE *f, const char *req, void *arg)
{
	static const struct jd_control_ops ops = { ctl_start, ctl_stop,
		ctl_view, &jd };

	(void)arg;
	jd_control(f, req, &conf, &ops);
}

/* Does any service have a domain to summon? */
static bool
summoning(void)
{
	for (unsigned int i = 0; i < conf.nservices; i++)
		if (conf.services[i].vm[0] || conf.services[i].xl_config[0])
			return true;
	return false;
}

/* The DNS process: the sockets go to it, before anything Xen is open. */
static void
spawn(struct xud *x)
{
	struct jd_sock socks[JD_MAX_SOCKS];
	char what[64] = "";
	int n, sp[2];
	pid_t pid;

	n = listen_open(&conf, socks, &jd.activated, what, sizeof(what));
	if (n < 0)
		fatalx("cannot listen on %s port %u: %s", what,
		    (unsigned int)conf.port, strerror(-n));
	if (n == 0)
		fatalx("systemd passed no UDP or TCP socket");
	jd.nsocks = n;
	resolvers();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		fatal("socketpair");
	if ((pid = fork()) < 0)
		fatal("fork");
	if (pid == 0) {
		close(sp[0]);
		if (x->pid_fd >= 0)
			close(x->pid_fd);
		xud_forked();
		_exit(dnsproc_run(&conf, socks, n, jd.resolvers,
		    jd.nresolvers, sp[1], summoning(), opt_dns_user));
	}
	close(sp[1]);
	for (int i = 0; i < n; i++)
		close(socks[i].fd);
	jd.ps_fd = sp[0];
	jd.dns_pid = pid;
}

static void
dns_dead(void *arg, const char *why)
{
	(void)arg;
	fatalx("the DNS process is gone: %s", why);
}

#ifdef HAVE_LIBVIRT
/* The libvirt backend on conf's connection (a backend_new_fn). */
static int
virt_new(struct event_base *base, const struct backend_reports *rep,
    void *arg, struct backend **out)
{
	char why[256];
	int r = backend_virt_new(base, conf.connect[0] ? conf.connect : NULL,
	    jc_connect_remote(conf.connect), rep, arg, out, why, sizeof(why));

	if (r < 0)
		log_warnx("%s", why);
	return r;
}
#endif

/* The backend configured: jc_conf_check refused libvirt if it is not
 * built in. */
static backend_new_fn *
backend_new(void)
{
#ifdef HAVE_LIBVIRT
	if (conf.backend == JC_BACKEND_LIBVIRT)
		return virt_new;
#endif
	return backend_libxl_new;
}

static void
setup(struct xud *x)
{
	int r;

	if (summoning() && (r = summon_new(xud_base(x), x->xs, &conf,
	    backend_new(), &jd.sm)) < 0)
		fatalx("cannot summon (%s): %s", conf.backend ==
		    JC_BACKEND_LIBVIRT ? "libvirt" : "libxl", strerror(-r));
	r = ps_new(xud_base(x), jd.ps_fd, jd.dns_pid, conf.nservices,
	    jd.sm ? summon_hook(jd.sm) : NULL, dns_dead, &jd, &jd.ps);
	if (r < 0)
		fatalx("cannot talk to the DNS process: %s", strerror(-r));
	if (jd.sm) {
		struct limits *l = lim_new(&conf, rl_now_ns());

		if (!l)
			fatalx("cannot keep the summon limits: out of memory");
		ps_limit(jd.ps, l);
		summon_attach(jd.sm, ps_state, jd.ps);
	}
	if (x->ctl)
		ctl_on_request(x->ctl, on_request);
}

static void
started(struct xud *x)
{
	(void)x;
	sdn_status("answering for %u zones, %u services", conf.nzones,
	    conf.nservices);
	log_info("answering for %u zones, %u services on %d sockets%s",
	    conf.nzones, conf.nservices, jd.nsocks,
	    jd.activated ? " from systemd" : "");
}

static void
teardown(struct xud *x)
{
	(void)x;
	summon_free(jd.sm);
	jd.sm = NULL;
	ps_free(jd.ps);
	jd.ps = NULL;
}

/* The zones, services and sockets are read at the start only: say so
 * rather than seem to have applied a changed file. */
static void
on_reload(struct xud *x)
{
	(void)x;
	log_warnx("SIGHUP: the configuration is read at the start only; "
	    "restart jitsud to apply a changed one");
}

static void
on_status(FILE *f, void *arg)
{
	struct jitsud *j = arg;

	if (j->ps)
		ps_status(f, j->ps);
	if (j->sm)
		summon_status(f, j->sm);
}

static void
dom_changed(const struct dom_info *d, const struct dom_info *old, void *arg)
{
	struct jitsud *j = arg;

	(void)old;
	if (j->sm)
		summon_dom_changed(j->sm, d);
}

static void
dom_removed(const struct dom_info *d, void *arg)
{
	struct jitsud *j = arg;

	if (j->sm)
		summon_dom_removed(j->sm, d);
}

static const struct dom_ops dom_ops = { NULL, dom_changed, dom_removed };

static const struct option options[] = {
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "forwarder", required_argument, NULL, OPT_FORWARDER },
	{ "dns-user", required_argument, NULL, OPT_DNS_USER },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "connect", required_argument, NULL, OPT_CONNECT },
	{ NULL, 0, NULL, 0 },
};

static const struct xud_daemon jitsud = {
	.name = "jitsud",
	.config = SYSCONFDIR "/xud/jitsud.conf",
	.control = RUNSTATEDIR "/jitsud/control",
	.conf_item = jc_conf_item,
	.conf_check = jc_conf_check,
	.conf_print = jc_conf_print,
	.options = options,
	.option = on_option,
	.args = on_args,
	.synopsis = " [--listen ADDR] [--port N] [--forwarder ADDR]"
	    " [--dns-user USER] [--backend libxl|libvirt] [--connect URI]"
	    " [dns=NAME,ip=ADDR,name=VM[,...]]...",
	.usage =
	    "      --listen ADDR  listen on ADDR (repeatable; default all)\n"
	    "      --port N       DNS port (default 53)\n"
	    "      --forwarder ADDR\n"
	    "                     forward names outside the zones to ADDR\n"
	    "                     (repeatable)\n"
	    "      --dns-user USER\n"
	    "                     the DNS process's user (default nobody)\n"
	    "      --backend libxl|libvirt\n"
	    "                     who creates and stops the domains\n"
	    "                     (default libxl, in this process)\n"
	    "      --connect URI  the libvirt backend's connection\n"
	    "                     (e.g. xen:///system, xen+ssh://HOST/system)\n"
	    "  dns=NAME,ip=ADDR,name=VM[,...]\n"
	    "                     a service, as jitsu takes it\n",
	.configured = configured,
	.spawn = spawn,
	.setup = setup,
	.started = started,
	.teardown = teardown,
	.reload = on_reload,
	.dom_ops = &dom_ops,
	.status = on_status,
};

int
main(int argc, char **argv)
{
	jc_defaults(&conf);
	return xud_main(&jitsud, &jd, &conf, argc, argv);
}
