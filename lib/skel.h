/*
 * The daemon skeleton: the main() that every xud daemon shares. A daemon
 * describes itself in a struct xud_daemon and calls xud_main(); what is
 * its own comes back through the hooks, so its main.c reads like a table
 * of contents.
 *
 * xud_main() runs, in this order:
 *   options     -c -f -n -v -V -h --pid-file, --status --control when the
 *               daemon has a control socket, then the daemon's own
 *   --status    prints the running daemon's status text and exits
 *   config      conf_load(), "file:line: message" on stderr, exit 1
 *   configured  hook: the command line over the file, checks; -n exits
 *   log         stderr in the foreground, syslog once detached; and
 *               the soft fd limit raised to the hard one
 *   detach      xud_detach(): the caller waits until ready (daemon.h)
 *   pid file    the single-instance lock (daemon.h)
 *   spawn       hook: before any shared state, e.g. a privsep child
 *   control     the status socket: without a pid file, a second
 *               instance stops here, before it attaches to anything
 *   setup       hook, with the loop and xenstore open
 *   domains     the domain tracker, with the daemon's dom_ops
 *   started     hook; then READY=1 and "ready" in the log
 *   loop        until SIGTERM; SIGHUP reloads, SIGUSR1 logs the status
 *   teardown    hook; then everything above is closed and the pid file
 *               removed; exit 0
 *
 * Unlike the rest of lib/, the skeleton decides, so it logs: it is the
 * place where the four daemons' identical messages now live once. A step
 * that fails is fatal (logged, exit 1); hooks do the same with fatalx().
 */
#ifndef XUD_SKEL_H
#define XUD_SKEL_H

#include <getopt.h>
#include <stdio.h>
#include "conf.h"
#include "ctl.h"

struct dom_ops;
struct dom_tracker;
struct loop;
struct xstore;
struct xud;

/* The option hook's "not mine": the skeleton's usage error, exit 2. */
#define XUD_OPT_UNKNOWN (-1)

struct xud_daemon {
	const char *name;	/* log ident, messages, --version */
	const char *config;	/* default config file: missing is fine */
	/* The control socket behind --status; NULL: none, no --status. */
	const char *control;
	/* Pid file when detached and none is given; NULL: none. */
	const char *pidfile;

	/*
	 * Config, into the settings given to xud_main() (with their
	 * defaults set): keys is a conf_set() table for a flat settings
	 * struct; otherwise conf_item reads each item (NULL: no key is
	 * valid), with the settings as arg.
	 * -n -v prints conf_print's text, the table's, or "configuration OK".
	 */
	const struct conf_key *keys;
	conf_cb *conf_item;
	/*
	 * Checks across keys once the file parsed: the number of errors,
	 * each written to errs ("file: message"). At the start and at
	 * xud_conf_reload(), so that both decide alike.
	 */
	int (*conf_check)(const char *path, void *settings, FILE *errs);
	void (*conf_print)(FILE *out, const void *settings);

	/*
	 * The daemon's own options, besides the skeleton's (short letters
	 * and long options of the same values must not collide with
	 * "c:fnvVhSCP"). option() gets every value getopt_long() returns
	 * that is not the skeleton's, '?' and ':' too; it returns 0 to go
	 * on, a positive exit status to stop, or XUD_OPT_UNKNOWN.
	 */
	const char *optstring;
	const struct option *options;	/* NULL-terminated */
	int (*option)(struct xud *x, int c, const char *optarg);
	/* Arguments after the options; NULL: any is a usage error. */
	int (*args)(struct xud *x, int argc, char **argv);
	/* Usage: text after "usage: NAME [-fnvV] [-c file]", and lines
	 * for the daemon's options after the skeleton's. */
	const char *synopsis;
	const char *usage;

	/* After the config: 0 to go on, or an exit status. */
	int (*configured)(struct xud *x);
	/*
	 * Detached and locked, with no loop or xenstore yet: where an
	 * unprivileged child (privilege separation) is forked. The child
	 * closes x->pid_fd, whose lock would outlive the daemon otherwise,
	 * and never returns.
	 */
	void (*spawn)(struct xud *x);
	void (*setup)(struct xud *x);
	void (*started)(struct xud *x);
	void (*teardown)(struct xud *x);

	/*
	 * Signals: stop (NULL: exit the loop at once; else the daemon
	 * calls loop_exit(x->loop) when it is done), reload (SIGHUP,
	 * between RELOADING=1 and READY=1), dump (SIGUSR1; NULL: the
	 * status text, logged line by line, or without one the number of
	 * domains).
	 */
	void (*stop)(struct xud *x);
	void (*reload)(struct xud *x);
	void (*dump)(struct xud *x);
	/* lib's callbacks, with x->arg as their arg. */
	const struct dom_ops *dom_ops;
	ctl_status_fn *status;		/* --status and SIGUSR1 */
};

/* What the hooks see. Options are set before the first hook. */
struct xud {
	const struct xud_daemon *d;
	void *arg;		/* the daemon's state */
	void *settings;		/* what the config fills */
	const char *config;	/* -c, or d->config */
	const char *control;	/* --control, or d->control */
	/* --pid-file; a hook may set it. Relative paths are made absolute
	 * at the start, as the daemon works from "/". */
	const char *pidfile;
	int config_given;
	int foreground;		/* -f; a daemon's alias (-i) sets it too */
	int check;		/* -n */
	int verbose;		/* -v count */

	struct loop *loop;
	struct xstore *xs;
	struct dom_tracker *doms;
	struct ctl *ctl;
	struct event *trim;	/* returns freed memory (skel.c) */
	int pid_fd;
	char *owned[3];		/* the skeleton's copies of paths */
};

/*
 * The daemon's main(): returns its exit status. arg is handed to every
 * callback, settings to the config callbacks.
 */
int xud_main(const struct xud_daemon *d, void *arg, void *settings,
	     int argc, char **argv);

/*
 * For a reload: reads the config file again into settings (which the
 * caller filled with defaults), by the rules of the start, conf_check
 * included; errors are logged as warnings, as stderr is /dev/null once
 * detached. Returns 0 if valid, -1 if not.
 */
int xud_conf_reload(struct xud *x, void *settings);

/* The event base of the skeleton's loop, for the hooks. */
struct event_base *xud_base(struct xud *x);

#endif
