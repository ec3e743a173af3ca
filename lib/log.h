/*
 * Logging for the daemons. lib/ never calls these: lib/ returns -errno
 * and the daemon logs once, where it decides what to do.
 *
 * In the foreground or under systemd, messages go to stderr; when stderr
 * is connected to journald (JOURNAL_STREAM), they go to the journal
 * directly so that structured fields such as XEN_DOMID survive.
 * Otherwise they go to syslog. Journal and syslog messages are sent
 * without ever blocking (logsock.h): those a full socket refuses are
 * counted and said with the next one that goes through.
 */
#ifndef XUD_LOG_H
#define XUD_LOG_H

#include <stdarg.h>
#include <syslog.h>
#include "compiler.h"

enum log_target { LOG_TO_SYSLOG, LOG_TO_STDERR };

void log_init(const char *ident, enum log_target target, int verbose);
void log_set_verbose(int verbose);
/* Other sockets than journald's and /dev/log, for the unit tests. */
void log_set_paths(const char *journal, const char *syslog_path);
int log_get_verbose(void);

/* log_warn and fatal append strerror(errno); the x variants do not. */
void log_warn(const char *fmt, ...) XUD_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) XUD_PRINTF(1, 2);
void log_info(const char *fmt, ...) XUD_PRINTF(1, 2);
void log_debug(const char *fmt, ...) XUD_PRINTF(1, 2);
void fatal(const char *fmt, ...) XUD_PRINTF(1, 2) XUD_NORETURN;
void fatalx(const char *fmt, ...) XUD_PRINTF(1, 2) XUD_NORETURN;
/* Append strerror(-err) for a lib/ return value. */
void log_warnc(int err, const char *fmt, ...) XUD_PRINTF(2, 3);

/*
 * A message about one domain: carries XEN_DOMID and XEN_DOMAIN_NAME to
 * the journal, and prefixes "dom<id>(<name>): " elsewhere. name may be NULL.
 */
void log_dom(int prio, unsigned int domid, const char *name,
	     const char *fmt, ...) XUD_PRINTF(4, 5);

/*
 * log_dom() for a line the guest can trigger: it goes out only when the
 * domain's limiter (domlog.h) allows it, and then says how many lines
 * were held back before it: " (N similar lines suppressed)". A debug
 * line that is not shown takes nothing from the limit.
 */
struct domlog;
void log_dom_rl(struct domlog *l, int prio, unsigned int domid,
		const char *name, const char *fmt, ...) XUD_PRINTF(5, 6);

void log_vmsg(int prio, const char *fields[], const char *fmt, va_list ap)
	XUD_PRINTF(3, 0);

#endif
