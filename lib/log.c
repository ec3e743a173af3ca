/* Logging: stderr with priority prefixes, the journal, or syslog. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-journal.h>
#endif

#include "log.h"

static const char *log_ident = "xud";
static enum log_target log_target = LOG_TO_STDERR;
static int log_verbose;
static int log_journal;		/* stderr is journald's stream */
static int log_prefix;		/* under systemd: "<N>" prefixes */

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
	log_journal = 0;
	log_prefix = 0;
	if (target == LOG_TO_STDERR && stderr_is_journal()) {
#ifdef HAVE_SYSTEMD
		log_journal = 1;
#else
		log_prefix = 1;
#endif
	}
	if (target == LOG_TO_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
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

	if (log_target == LOG_TO_SYSLOG) {
		syslog(prio, "%s", msg);
	} else if (log_journal) {
#ifdef HAVE_SYSTEMD
		struct iovec iov[8];
		char mbuf[sizeof(msg) + 16], pbuf[32], ibuf[128];
		int n = 0;

		snprintf(mbuf, sizeof(mbuf), "MESSAGE=%s", msg);
		snprintf(pbuf, sizeof(pbuf), "PRIORITY=%d", prio);
		snprintf(ibuf, sizeof(ibuf), "SYSLOG_IDENTIFIER=%s", log_ident);
		iov[n++] = (struct iovec){ mbuf, strlen(mbuf) };
		iov[n++] = (struct iovec){ pbuf, strlen(pbuf) };
		iov[n++] = (struct iovec){ ibuf, strlen(ibuf) };
		for (int i = 0; fields && fields[i] && n < 8; i++)
			iov[n++] = (struct iovec){ (void *)fields[i],
			    strlen(fields[i]) };
		if (sd_journal_sendv(iov, n) < 0)
			fprintf(stderr, "<%d>%s\n", prio, msg);
#endif
	} else if (log_prefix) {
		fprintf(stderr, "<%d>%s\n", prio, msg);
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
