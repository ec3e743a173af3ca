/*
 * A console's log: the loop's side formats ring bytes into the console's
 * queue (bytes for a file, one record per line for journald or syslog);
 * the writer threads' side (the lq_ops here) writes the file or sends
 * the lines. The ring is consumed only once the queue reports the bytes
 * out (pump.c), so nothing here decides when the ring is read.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compiler.h"
#include "console.h"
#include "log.h"
#include "logname.h"
#include "logqueue.h"
#include "logsock.h"
#include "xstore.h"

/* Longest line handed to journald or syslog. */
#define SINK_LINE_MAX 1024

static size_t
sink_stamp(struct console *c, char *buf, int force)
{
	struct timespec ts;
	enum lf_stamp s = c->sink.fmt.stamp;

	if (s == LF_STAMP_NONE && force)
		s = c->x->set.timestamp_format + 1;
	if (s == LF_STAMP_NONE) {	/* no clock read: a syscall in PV */
		buf[0] = '\0';
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	return lf_stamp(s, ts.tv_sec, ts.tv_nsec, buf);
}

int
sink_logs(const struct console *c)
{
	return c->x->set.log == XCD_GUEST || c->x->set.log == XCD_ALL;
}

static int
sink_lines(const struct console *c)
{
	return c->x->set.sink != XCD_SINK_FILE;
}

const char *
sink_name(const struct console *c)
{
	if (!sink_lines(c))
		return c->sink.log.path;
	return c->x->set.sink == XCD_SINK_JOURNALD ? "journald" : "syslog";
}

/*
 * The log's path: <log-dir>/<logname_make's name>, one-to-one with the
 * domain's name and the console's (logname.h); escaping keeps a name
 * with '/' inside the log directory.
 */
static void
sink_path(struct console *c, char *path, size_t len)
{
	char file[LOGNAME_MAX + 1], id[16];
	const char *cname = c->devid ? c->cname : NULL;

	if (c->name[0] == '\0') {
		char p[64], *name;

		snprintf(p, sizeof(p), "/local/domain/%u/name", c->domid);
		if (xstore_read(c->x->xs, XBT_NULL, p, &name, NULL) == 0) {
			snprintf(c->name, sizeof(c->name), "%s", name);
			free(name);
		} else {
			snprintf(c->name, sizeof(c->name), "%u", c->domid);
		}
	}
	/* A name too long for a file name: the domid. */
	if (logname_make(file, sizeof(file), c->name, cname) < 0) {
		snprintf(id, sizeof(id), "%u", c->domid);
		logname_make(file, sizeof(file), id, cname);
	}
	snprintf(path, len, "%s/%s", c->x->set.log_dir, file);
}

/* The writer threads' side of a console's log (logqueue.h). */
static long
sink_lq_write(void *arg, const char *buf, size_t len)
{
	struct console *c = arg;

	return logfile_append(&c->sink.log, buf, len);
}

static void
sink_lq_reopen(void *arg, const char *path)
{
	struct console *c = arg;

	logfile_close(&c->sink.log);
	if (path)
		snprintf(c->sink.log.path, sizeof(c->sink.log.path), "%s",
		    path);
	/* Opened by the next write, which reports a failure. */
}

static const struct lq_ops sink_file_ops = {
	.write = sink_lq_write, .reopen = sink_lq_reopen,
};

/*
 * The writer threads' side of a line sink: one line to journald or
 * syslog, with the name and uuid the writers keep (w_*), not the loop's.
 * A secondary console is told apart as its file is: by its name (or
 * number) after the domain's. Never blocks (logsock.h): a sink that does
 * not read is -EAGAIN, and the queue waits for con_written's retry.
 */
static int
sink_lq_line(void *arg, int prio, const char *line, size_t len)
{
	struct console *c = arg;
	struct con_sink *s = &c->sink;
	const char *cname = c->devid ? c->cname : "0";
	char buf[LQ_LINE_MAX + 512], msg[LQ_LINE_MAX + 128], p[4], id[16];
	size_t n;
	int m;

	if (c->x->set.sink == XCD_SINK_JOURNALD) {
		struct ls_field f[] = {
			{ "MESSAGE", line, len },
			{ "PRIORITY", p, 0 },
			{ "SYSLOG_IDENTIFIER", "xenconsoled", 11 },
			{ "XEN_DOMID", id, 0 },
			{ "XEN_DOMAIN_NAME", s->w_name, strlen(s->w_name) },
			{ "XEN_DOMAIN_UUID", s->w_uuid, strlen(s->w_uuid) },
			{ "XEN_CONSOLE", cname, strlen(cname) },
		};

		f[1].len = (size_t)snprintf(p, sizeof(p), "%d", prio & 7);
		f[3].len = (size_t)snprintf(id, sizeof(id), "%u", c->domid);
		if ((n = ls_journal_encode(buf, sizeof(buf), f,
		    sizeof(f) / sizeof(f[0]))) == 0)
			return -EMSGSIZE;
		return ls_send(c->x->line_fd, LS_JOURNAL_PATH, buf, n);
	}
	if (c->devid)
		m = snprintf(msg, sizeof(msg), "guest-%s@%s: %s", s->w_name,
		    cname, line);
	else
		m = snprintf(msg, sizeof(msg), "guest-%s: %s", s->w_name, line);
	if (m < 0 || (size_t)m >= sizeof(msg) ||
	    (n = ls_syslog_encode(buf, sizeof(buf), LOG_DAEMON | (prio & 7),
	    "xenconsoled", (long)getpid(), time(NULL), msg, (size_t)m)) == 0)
		return -EMSGSIZE;
	return ls_send(c->x->line_fd, LS_SYSLOG_PATH, buf, n);
}

/* A line sink's "reopen" carries the domain's new name, if any. */
static void
sink_lq_rename(void *arg, const char *name)
{
	struct console *c = arg;

	if (name)
		snprintf(c->sink.w_name, sizeof(c->sink.w_name), "%s", name);
}

static const struct lq_ops sink_line_ops = {
	.reopen = sink_lq_rename, .line = sink_lq_line,
};

/* Sets up the log's queue; a console that is logged has one. */
int
sink_init(struct console *c)
{
	struct con_sink *s = &c->sink;
	char path[XCD_LOGPATH_MAX];

	if (s->q || !sink_logs(c))
		return 0;
	sink_path(c, path, sizeof(path));	/* finds the name too */
	if (sink_lines(c)) {
		/* no writer yet: these are ours to set */
		snprintf(s->w_name, sizeof(s->w_name), "%s", c->name);
		snprintf(s->w_uuid, sizeof(s->w_uuid), "%s", c->uuid);
		return lq_new(c->x->pool, CON_QUEUE, &sink_line_ops, c, c,
		    !c->x->set.overflow_keep, &s->q);
	}
	logfile_init(&s->log, path, c->x->set.rotate_size,
	    c->x->set.rotate_keep, c->x->logs);
	logfile_opened_line(&s->log, s->fmt.stamp);
	return lq_new(c->x->pool, CON_QUEUE, &sink_file_ops, c, c,
	    !c->x->set.overflow_keep, &s->q);
}

/* The domain got a new name (c->name): the writer moves to it. */
void
sink_renamed(struct console *c)
{
	char path[XCD_LOGPATH_MAX];

	if (c->sink.q == NULL)
		return;
	if (sink_lines(c)) {
		lq_reopen(c->sink.q, c->name);
		return;
	}
	sink_path(c, path, sizeof(path));
	lq_reopen(c->sink.q, path);
}

/*
 * A line of our own into the log: trailer, dropped-bytes note, unless
 * notes are off (the daemon's own log says the same). It is queued, so
 * it comes after the guest's lines queued before it.
 */
void
sink_note(struct console *c, const char *msg)
{
	struct con_sink *s = &c->sink;
	char stamp[LF_STAMP_MAX], out[512];
	size_t n;
	int r;

	if (!sink_logs(c) || s->q == NULL || !c->x->set.notes)
		return;
	if (sink_lines(c)) {
		r = lq_put_line(s->q, LOG_NOTICE, msg, strlen(msg), 1);
	} else {
		sink_stamp(c, stamp, 1);
		n = lf_note(&s->fmt, stamp, msg, out, sizeof(out));
		r = lq_put_note(s->q, out, n);
	}
	if (r < 0)
		con_log(c, LOG_WARNING, "log stalled, note "
		    "not logged: %s", msg);
}

/*
 * Files: formats what fits into the console's queue, tagged with the ring
 * index it reaches (at + the bytes taken). Returns the bytes taken: 0
 * when the queue is full (its progress brings the pump back).
 */
static size_t
sink_queue(struct console *c, const char *raw, size_t len, uint32_t at)
{
	static char out[CON_QUEUE];
	struct con_sink *s = &c->sink;
	char stamp[LF_STAMP_MAX];
	struct linefmt save = s->fmt;
	uint64_t lines = s->lines;
	size_t room = XUD_MIN(lq_room(s->q), sizeof(out)), stamplen, used,
	    outlen;

	stamplen = sink_stamp(c, stamp, 0);
	used = lf_fill(&s->fmt, raw, len, stamp, stamplen, out, room,
	    &outlen, &s->lines);
	if (used == 0)
		return 0;
	if (lq_put(s->q, out, outlen, 1, at + (uint32_t)used) < 0) {
		s->fmt = save;		/* cannot happen: room was checked */
		s->lines = lines;
		return 0;
	}
	return used;
}

/*
 * journald, syslog: queues the complete lines of raw as records, only
 * complete ones unless flush is set (ring full, partial-line timeout,
 * drain), and marks the ring index they reach. Returns the bytes taken;
 * none when the queue is full or only a partial line is there (*wait
 * says which).
 */
static size_t
sink_queue_lines(struct console *c, const char *raw, size_t len,
		 uint32_t at, int flush, enum sink_wait *wait)
{
	struct con_sink *s = &c->sink;
	size_t done = 0, used;
	int full = 0;

	/* lq_room is 0 when the marks are out: then the mark would not fit */
	if (lq_room(s->q) == 0) {
		*wait = SINK_FULL;
		return 0;
	}
	while (done < len) {
		char line[SINK_LINE_MAX];
		long n = lf_split(raw + done, len - done, SINK_LINE_MAX, &used);

		if (n < 0) {
			if (!flush)
				break;
			n = (long)(len - done);
			used = len - done;
		}
		memcpy(line, raw + done, (size_t)n);
		if (c->x->set.replace_escape)
			for (long i = 0; i < n; i++)
				if (line[i] == '\033')
					line[i] = '.';
		if (lq_put_line(s->q, LOG_INFO, line, (size_t)n, 0) < 0) {
			full = 1;
			break;
		}
		s->lines++;
		done += used;
	}
	if (done > 0)
		lq_mark(s->q, at + (uint32_t)done);	/* fits: room was > 0 */
	*wait = done > 0 ? SINK_TOOK : full ? SINK_FULL : SINK_PARTIAL;
	return done;
}

size_t
sink_put(struct console *c, const char *raw, size_t len, uint32_t at,
	 int flush, enum sink_wait *wait)
{
	size_t took;

	*wait = SINK_TOOK;
	if (!sink_logs(c))
		return len;
	if (sink_lines(c))
		return sink_queue_lines(c, raw, len, at, flush, wait);
	took = sink_queue(c, raw, len, at);
	if (took == 0)
		*wait = SINK_FULL;
	return took;
}

void
sink_progress(struct console *c, struct lq_state *st)
{
	struct con_sink *s = &c->sink;

	lq_state(s->q, st);
	if (st->err != s->log_err) {
		if (st->err == -EAGAIN)
			con_log(c, LOG_WARNING, "%s is not "
			    "taking lines; holding this console's output",
			    sink_name(c));
		else if (st->err)
			con_log(c, LOG_WARNING, "cannot write "
			    "%s: %s%s", sink_name(c), strerror(-st->err),
			    c->x->set.overflow_keep ? "; retrying" :
			    "; dropping output");
		else
			con_log(c, LOG_INFO, "log writes work "
			    "again");
		s->log_err = st->err;
	}
	if (st->dropped > s->q_dropped) {
		s->drops += st->dropped - s->q_dropped;
		s->pending_drops += st->dropped - s->q_dropped;
		s->q_dropped = st->dropped;
	}
	if (s->pending_drops && st->err == 0) {
		char msg[96];

		snprintf(msg, sizeof(msg), "[xenconsoled: %llu bytes dropped]",
		    (unsigned long long)s->pending_drops);
		s->pending_drops = 0;
		sink_note(c, msg);
	}
}

uint64_t
sink_pending(struct console *c)
{
	struct lq_state st;

	if (c->sink.q == NULL)
		return 0;
	lq_state(c->sink.q, &st);
	return st.queued + !st.idle;
}
