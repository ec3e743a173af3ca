/*
 * Logging: stderr with priority prefixes, the journal, or syslog. The
 * journal and syslog get datagrams on a non-blocking socket (logsock.h):
 * a journald that stops reading must not stop the daemon's loop with it.
 * What it refuses meanwhile is counted, and said with the next message
 * that goes through.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domlog.h"
#include "log.h"
#include "logsock.h"

static const char *log_ident = "xud";
static enum log_target log_target = LOG_TO_STDERR;
static int log_verbose;
static int log_journal;		/* stderr is journald's stream */
static int log_sock = -1;	/* for the journal and syslog */
static const char *log_journal_path = LS_JOURNAL_PATH;
static const char *log_syslog_path = LS_SYSLOG_PATH;
static unsigned long log_dropped;	/* refused by a full socket */

/* JOURNAL_STREAM is "dev:ino" of the stream systemd gave us. */
static int
stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (e == NULL || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) < 0)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *ident, enum log_target target, int verbose)
{
	log_ident = ident;
	log_target = target;
	log_verbose = verbose;
	log_journal = target == LOG_TO_STDERR && stderr_is_journal();
	if ((log_journal || target == LOG_TO_SYSLOG) && log_sock < 0)
		log_sock = ls_socket();	/* < 0: stderr, as a last resort */
	log_dropped = 0;
	tzset();
}

void
log_set_paths(const char *journal, const char *syslog_path)
{
	log_journal_path = journal;
	log_syslog_path = syslog_path;
}

/* One message (fields: NULL-terminated "KEY=value", or NULL) as a datagram. */
static int
log_send(int prio, const char *fields[], const char *msg)
{
	char buf[4096];
	size_t n;

	if (log_target == LOG_TO_SYSLOG) {
		n = ls_syslog_encode(buf, sizeof(buf), LOG_DAEMON | (prio & 7),
		    log_ident, (long)getpid(), time(NULL), msg, strlen(msg));
		return n ? ls_send(log_sock, log_syslog_path, buf, n) :
		    -EMSGSIZE;
	} else {
		struct ls_field f[8];
		char p[4], names[5][32];
		size_t k = 0;

		f[k++] = (struct ls_field){ "MESSAGE", msg, strlen(msg) };
		f[k++] = (struct ls_field){ "PRIORITY", p, (size_t)snprintf(p,
		    sizeof(p), "%d", prio & 7) };
		f[k++] = (struct ls_field){ "SYSLOG_IDENTIFIER", log_ident,
		    strlen(log_ident) };
		/* "KEY=value": the name is cut at '=' into a copy */
		for (int i = 0; fields && fields[i] && k < 8; i++) {
			const char *eq = strchr(fields[i], '=');
			size_t nl = eq ? (size_t)(eq - fields[i]) : 0;

			if (nl == 0 || nl >= sizeof(names[0]))
				continue;
			memcpy(names[k - 3], fields[i], nl);
			names[k - 3][nl] = '\0';
			f[k].name = names[k - 3];
			f[k].val = eq + 1;
			f[k].len = strlen(eq + 1);
			k++;
		}
		n = ls_journal_encode(buf, sizeof(buf), f, k);
		return n ? ls_send(log_sock, log_journal_path, buf, n) :
		    -EMSGSIZE;
	}
}

void
log_set_verbose(int verbose)
{
	log_verbose = verbose;
}

int
log_get_verbose(void)
{
	return log_verbose;
}

static const char *
prio_name(int prio)
{
	switch (prio) {
	case LOG_EMERG: case LOG_ALERT: case LOG_CRIT: return "fatal";
	case LOG_ERR: return "error";
	case LOG_WARNING: return "warning";
	case LOG_DEBUG: return "debug";
	default: return NULL;
	}
}

/* fields: NULL-terminated "KEY=value" strings for the journal, or NULL. */
void
log_vmsg(int prio, const char *fields[], const char *fmt, va_list ap)
{
	char msg[2048];
	int saved = errno;

	if (prio == LOG_DEBUG && log_verbose < 1) {
		errno = saved;
		return;
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);

	if ((log_target == LOG_TO_SYSLOG || log_journal) && log_sock >= 0) {
		int r = 0;

		if (log_dropped) {
			char note[96];

			snprintf(note, sizeof(note), "%lu log messages dropped: "
			    "the %s was not reading", log_dropped,
			    log_journal ? "journal" : "syslog daemon");
			if ((r = log_send(LOG_WARNING, NULL, note)) == 0)
				log_dropped = 0;
		}
		if (r == 0)
			r = log_send(prio, fields, msg);
		if (r == -EAGAIN)
			log_dropped++;
		else if (r < 0 && log_journal)	/* journald gone: its stream */
			fprintf(stderr, "<%d>%s\n", prio & 7, msg);
	} else if (log_journal) {
		fprintf(stderr, "<%d>%s\n", prio & 7, msg);
	} else {
		const char *p = prio_name(prio);

		if (p)
			fprintf(stderr, "%s: %s: %s\n", log_ident, p, msg);
		else
			fprintf(stderr, "%s: %s\n", log_ident, msg);
	}
	errno = saved;
}

static void
log_msg(int prio, const char *fmt, ...) XUD_PRINTF(2, 3);
static void
log_fields(int prio, const char *fields[], const char *fmt, ...)
    XUD_PRINTF(3, 4);

static void
log_fields(int prio, const char *fields[], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, fields, fmt, ap);
	va_end(ap);
}

static void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, NULL, fmt, ap);
	va_end(ap);
}

/* Formats fmt and appends ": strerror(err)". */
static void
log_vmsg_err(int prio, int err, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	log_msg(prio, "%s: %s", buf, strerror(err));
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vmsg_err(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnc(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg_err(LOG_WARNING, err < 0 ? -err : err, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vmsg_err(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_dom(int prio, unsigned int domid, const char *name, const char *fmt, ...)
{
	char f_id[32], f_name[96], body[1536];
	const char *fields[3] = { f_id, NULL, NULL };
	va_list ap;

	snprintf(f_id, sizeof(f_id), "XEN_DOMID=%u", domid);
	if (name) {
		snprintf(f_name, sizeof(f_name), "XEN_DOMAIN_NAME=%s", name);
		fields[1] = f_name;
	}
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	log_fields(prio, fields, "dom%u%s%s%s: %s", domid, name ? "(" : "",
	    name ? name : "", name ? ")" : "", body);
}

/*
 * Here rather than in domlog.c: log.c is the one lib/ file that logs, and
 * keeping domlog.c free of I/O lets its tests run on a fake clock. The
 * calls go one way, log.c -> domlog.c -> ratelimit.c.
 */
void
log_dom_rl(struct domlog *l, int prio, unsigned int domid, const char *name,
	   const char *fmt, ...)
{
	char body[1400], supp[64] = "";
	uint64_t n;
	va_list ap;
	int saved = errno;

	if ((prio == LOG_DEBUG && log_verbose < 1) ||
	    !domlog_allow(l, rl_now_ns(), &n)) {
		errno = saved;
		return;
	}
	if (n)
		snprintf(supp, sizeof(supp), " (%llu similar lines suppressed)",
		    (unsigned long long)n);
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	log_dom(prio, domid, name, "%s%s", body, supp);
	errno = saved;
}
