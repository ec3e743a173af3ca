/*
 * jitsud: just-in-time summoning of unikernels on DNS queries. See
 * jitsud(8) and jitsud.conf(5).
 *
 * This file is the table of contents; the frame (options, config check,
 * detaching, the loop, domain tracking, readiness) is lib/skel.c.
 * settings.c reads the configuration, answer.c decides each answer,
 * server.c dispatches queries between the listeners (listen.c, udp.c,
 * tcp.c) and forwarding (forward.c decides, fwdio.c sends), status.c
 * prints the counters.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "skel.h"
#include "settings.h"

static struct jc_conf conf;
/* The command line's specs and addresses, applied over the file. */
static char **specs;
static int nspecs;
static const char *opt_listen[JC_MAX_LISTEN];
static unsigned int nopt_listen;
static const char *opt_fwd[JC_MAX_FORWARDERS];
static unsigned int nopt_fwd;
static const char *opt_port;

enum { OPT_LISTEN = 0x3000, OPT_PORT, OPT_FORWARDER };

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
	if (nspecs && jc_conf_check("command line", &conf, stderr))
		return 1;
	(void)x;
	return 0;
}

static const struct option options[] = {
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "forwarder", required_argument, NULL, OPT_FORWARDER },
	{ NULL, 0, NULL, 0 },
};

static const struct xud_daemon jitsud = {
	.name = "jitsud",
	.config = SYSCONFDIR "/xud/jitsud.conf",
	.conf_item = jc_conf_item,
	.conf_check = jc_conf_check,
	.conf_print = jc_conf_print,
	.options = options,
	.option = on_option,
	.args = on_args,
	.synopsis = " [--listen ADDR] [--port N] [--forwarder ADDR]"
	    " [dns=NAME,ip=ADDR,name=VM[,...]]...",
	.usage =
	    "      --listen ADDR  listen on ADDR (repeatable; default all)\n"
	    "      --port N       DNS port (default 53)\n"
	    "      --forwarder ADDR\n"
	    "                     forward names outside the zones to ADDR\n"
	    "                     (repeatable)\n"
	    "  dns=NAME,ip=ADDR,name=VM[,...]\n"
	    "                     a service, as jitsu takes it\n",
	.configured = configured,
};

int
main(int argc, char **argv)
{
	jc_defaults(&conf);
	return xud_main(&jitsud, NULL, &conf, argc, argv);
}
