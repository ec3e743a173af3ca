/*
 * netbackd: a userspace Xen network backend (netback) with TAP devices.
 *
 * So far only the daemon's frame exists: options, config check, the
 * loop, domain tracking and systemd readiness. The vif backends and the
 * data path come with netbackd's own issue (plan in ../shared/next/).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "daemon.h"
#include "domains.h"
#include "log.h"
#include "loop.h"
#include "sdnotify.h"
#include "xstore.h"

#define NETBACKD_CONF SYSCONFDIR "/xud/netbackd.conf"

struct netbackd {
	struct loop *loop;
	struct xstore *xs;
	struct dom_tracker *doms;
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: netbackd [-fnvV] [-c file]\n"
	    "  -c, --config=FILE  configuration (default " NETBACKD_CONF ")\n"
	    "  -f, --foreground   stay in the foreground, log to stderr\n"
	    "  -n, --check        check the configuration and exit\n"
	    "  -v, --verbose      more log output (repeatable)\n"
	    "  -V, --version      print the version and exit\n"
	    "  -h, --help         this help\n");
}

/* No settings are defined yet: any key is an error, sections too. */
static int
conf_item(const struct conf_item *it, void *arg, char *err, size_t len)
{
	if (it->key == NULL)
		snprintf(err, len, "unknown section [%s]", it->section);
	else
		snprintf(err, len, "unknown key '%s'", it->key);
	return -1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conf = NETBACKD_CONF;
	int c, fg = 0, check = 0, verbose = 0, conf_given = 0, r;
	struct netbackd nb = { 0 };

	while ((c = getopt_long(argc, argv, "c:fnvVh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; conf_given = 1; break;
		case 'f': fg = 1; break;
		case 'n': check = 1; break;
		case 'v': verbose++; break;
		case 'V': xud_version(stdout, "netbackd"); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (conf_load("netbackd", conf, conf_given, conf_item, NULL, stderr) < 0)
		return 1;
	if (check) {
		if (verbose)
			printf("configuration OK\n");
		return 0;
	}

	log_init("netbackd", fg || sdn_under_systemd() ? LOG_TO_STDERR :
	    LOG_TO_SYSLOG, verbose);
	if ((r = xud_detach(fg)) < 0)
		fatalx("cannot detach: %s", strerror(-r));
	if ((r = loop_new(NULL, &nb, &nb.loop)) < 0)
		fatalx("event loop: %s", strerror(-r));
	if ((r = xstore_open(loop_base(nb.loop), &nb.xs)) < 0)
		fatalx("cannot connect to xenstore: %s", strerror(-r));
	if ((r = dom_tracker_new(nb.xs, NULL, &nb, &nb.doms)) < 0)
		fatalx("cannot track domains: %s", strerror(-r));
	sdn_ready();
	log_info("ready");
	if ((r = loop_run(nb.loop)) < 0)
		fatalx("event loop failed: %s", strerror(-r));
	log_info("exiting");
	dom_tracker_free(nb.doms);
	xstore_close(nb.xs);
	loop_free(nb.loop);
	return 0;
}
