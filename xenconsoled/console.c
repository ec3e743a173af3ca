/*
 * Primary consoles: one per guest, found through its xenstore console/
 * keys, mapped through the reserved console grant (or foreign memory),
 * bound to its event channel, logged to a sink and connected to a pty.
 *
 * The ring itself is the first buffer: bytes are consumed only once the
 * log has them, so a slow sink leaves that guest's ring full (the guest
 * waits, nobody else does), a restart continues from the ring's consumer
 * index, and a rate-limited guest is simply read later.
 *
 * Logs (files, journald, syslog) are written by logqueue.c's threads,
 * never here: the loop reads the ring up to rd, formats and queues (bytes
 * for a file, one record per line for a line sink); a writer writes or
 * sends; and the ring is consumed (cons) up to what the queue reports
 * out. So cons <= rd <= prod, and [cons, rd) is in the queue.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <event2/event.h>
#include <xenctrl.h>
#include <xengnttab.h>

#include "evtchn.h"
#include "grant.h"
#include "log.h"
#include "logqueue.h"
#include "logsock.h"
#include "loop.h"
#include "xenbus_be.h"
#include "xenconsoled.h"
#include "xstore.h"

/* Longest line handed to journald or syslog. */
#define CON_LINE_MAX 1024
/*
 * A partial line waits this long for its end before a line sink gets it.
 * Long enough that a guest descheduled mid-line on a busy host does not
 * get its line split in two journal entries; short enough that a prompt
 * without a newline shows up soon.
 */
#define CON_PARTIAL_MS 2000
/* Retry interval when the sink failed; when it was busy (-EAGAIN). */
#define CON_RETRY_MS 1000
#define CON_BUSY_MS 20
/* Xen's own limit: 30 events per 200 ms. */
#define XEN_RATE_EVENTS 150
#define XEN_RATE_BURST 30
/* Ring reads per wakeup before others get their turn. */
#define CON_ROUNDS 64
/*
 * A guest that writes fast notifies once per tty write (twice a line),
 * and reading on each notification costs a ring read, a log write, a
 * consume and a notification back per 100 bytes or so. Below half a ring
 * the read waits this long for more to come, with the port held (see
 * con_on_evtchn); at half a ring, as an event or the writer's progress
 * finds it, it is read at once. 3 ms: in bench/xenconsoled that reads
 * ~1.4 KiB a time at 0.32 MB/s, as fast as the guest writes there, for
 * 0.97 CPU s/MiB; 1 ms was no faster and cost 1.20.
 */
#define CON_BATCH_MS 3
/* A held port's fallback while its bytes are with a stalled writer. */
#define CON_INFLIGHT_MS 100
/* Secondary consoles per domain; longest console name in a file name. */
#define CON_SEC_MAX 16
#define CON_CNAME_MAX 33
/* Formatted bytes queued per console log file. */
#define CON_QUEUE 32768
/* An ending console waits this long for its log to take the ring. */
#define CON_END_MS 10000
/*
 * Hostile-ring lines per domain: 3 at once, then one a minute (a token a
 * second, 60 a line), however often a guest resets its console and tries
 * again.
 */
#define CON_HOSTILE_COST 60
#define CON_HOSTILE_BURST (3 * CON_HOSTILE_COST)

struct console {
	struct xcd *x;
	uint32_t domid;
	char name[DOM_NAME_MAX];
	char uuid[37];
	char xspath[64];		/* console/ or device/console/<n> */
	struct xstore_watch *watch;

	/*
	 * Secondary consoles (device/console/<n>, devid n >= 1) hang off
	 * their domain's primary and are xenbus devices (be).
	 */
	unsigned int devid;
	char cname[CON_CNAME_MAX];	/* its name, or n */
	char label[CON_CNAME_MAX + 16];	/* "console", "console <cname>" */
	struct xbe_dev *be;
	struct xstore_watch *be_watch;	/* primary: backend/console/<domid> */
	struct xstore_watch *fe_watch;	/* and device/console */
	struct console *next_sec;
	unsigned int nsec;

	/* the ring */
	void *intf;
	int by_grant;
	uint64_t ring_ref;
	uint32_t remote_port;
	evtchn_port_t port;
	int bound;
	int held;		/* port left masked: the ring is read soon */
	uint64_t timer_at;	/* when the timer fires, if pending */
	struct consring out, in;
	volatile uint32_t rd;		/* read and queued up to here */
	uint32_t cons;			/* our consumer index (see top) */
	int hostile;
	struct event *fail_ev;		/* secondary: closes a hostile one */
	struct rl_bucket hostile_rl;	/* primary: the domain's lines */
	uint64_t hostile_quiet;		/* lines it held back */

	/* the log: log and w_* belong to the writer threads once q exists */
	struct logfile log;
	char w_name[DOM_NAME_MAX];	/* a line sink's name and uuid */
	char w_uuid[37];
	struct lq *q;
	int log_err;			/* last write error, logged once */
	uint64_t q_dropped;		/* the queue's drop count, seen */
	struct linefmt fmt;
	uint64_t pending_drops;		/* not yet noted in the log */

	/* the pty */
	int master, slave;
	struct event *ev_read, *ev_write;
	char *ptybuf;
	size_t pty_head, pty_len, pty_cap;
	char inbuf[CONSRING_IN_SIZE];
	size_t in_len;

	/* pacing */
	struct rl_bucket rl;
	struct event *timer;
	uint64_t limited_since;
	uint64_t partial_since;

	/* life */
	int shut;			/* shut down or crashed: drained, trailer */
	int trailer;
	int ending;			/* draining for the trailer */
	int end_detach;			/* ... and then letting go of the ring */
	uint64_t end_deadline;		/* ns */
	char end_what[64];
	uint32_t stop_prod;		/* our stop: drained once cons is here */
	int zombie;			/* gone, its queue not yet written */
	struct console *next_zombie;

	/* stats */
	uint64_t bytes, lines, drops, pty_drops, limited_ns;
	uint64_t events, reads, notifies;	/* what the bytes cost */
};

static void con_pump(struct console *c, int drain);
static void con_hostile(struct console *c, const char *ring);
static void con_arm(struct console *c, uint64_t ns);
static int con_connect(struct console *c, uint32_t gref, uint64_t ref,
		       uint32_t port);
static int con_read_uint(struct console *c, const char *key, uint64_t max,
			 uint64_t *v);

static struct timespec
now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

static size_t
con_stamp(struct console *c, char *buf, int force)
{
	struct timespec ts;
	enum lf_stamp s = c->fmt.stamp;

	if (s == LF_STAMP_NONE && force)
		s = c->x->set.timestamp_format + 1;
	if (s == LF_STAMP_NONE) {	/* no clock read: a syscall in PV */
		buf[0] = '\0';
		return 0;
	}
	ts = now_real();
	return lf_stamp(s, ts.tv_sec, ts.tv_nsec, buf);
}

static struct console *
con_find(struct xcd *x, uint32_t domid)
{
	return domid < x->ncons ? x->cons[domid] : NULL;
}

/* Every console: each domain's primary, then its secondaries. */
#define CON_EACH(x, i, c) \
	for (unsigned int i = 0; i < (x)->ncons; i++) \
		for (struct console *c = (x)->cons[i]; c; c = c->next_sec)

/* --- sinks ----------------------------------------------------------- */

static int
con_logs(const struct console *c)
{
	return c->x->set.log == XCD_GUEST || c->x->set.log == XCD_ALL;
}

/* guest-<name>.log; a name with '/' cannot escape the log directory. */
static void
con_log_path(struct console *c, char *path, size_t len)
{
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
	for (char *s = c->name; *s; s++)
		if (*s == '/')
			*s = '_';
	if (c->devid)
		snprintf(path, len, "%s/guest-%s-%s.log", c->x->set.log_dir,
		    c->name, c->cname);
	else
		snprintf(path, len, "%s/guest-%s.log", c->x->set.log_dir,
		    c->name);
}

/* The writer threads' side of a console's log (logqueue.h). */
static long
con_lq_write(void *arg, const char *buf, size_t len)
{
	struct console *c = arg;

	return logfile_append(&c->log, buf, len);
}

static void
con_lq_reopen(void *arg, const char *path)
{
	struct console *c = arg;

	logfile_close(&c->log);
	if (path)
		snprintf(c->log.path, sizeof(c->log.path), "%s", path);
	/* Opened by the next write, which reports a failure. */
}

static const struct lq_ops con_lq_ops = {
	.write = con_lq_write, .reopen = con_lq_reopen,
};

/*
 * The writer threads' side of a line sink: one line to journald or
 * syslog, with the name and uuid the writers keep (w_*), not the loop's.
 * A secondary console is told apart as its file is: by its name (or
 * number) after the domain's. Never blocks (logsock.h): a sink that does
 * not read is -EAGAIN, and the queue waits for con_written's retry.
 */
static int
con_lq_line(void *arg, int prio, const char *line, size_t len)
{
	struct console *c = arg;
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
			{ "XEN_DOMAIN_NAME", c->w_name, strlen(c->w_name) },
			{ "XEN_DOMAIN_UUID", c->w_uuid, strlen(c->w_uuid) },
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
		m = snprintf(msg, sizeof(msg), "guest-%s-%s: %s", c->w_name,
		    cname, line);
	else
		m = snprintf(msg, sizeof(msg), "guest-%s: %s", c->w_name, line);
	if (m < 0 || (size_t)m >= sizeof(msg) ||
	    (n = ls_syslog_encode(buf, sizeof(buf), LOG_DAEMON | (prio & 7),
	    "xenconsoled", (long)getpid(), time(NULL), msg, (size_t)m)) == 0)
		return -EMSGSIZE;
	return ls_send(c->x->line_fd, LS_SYSLOG_PATH, buf, n);
}

/* A line sink's "reopen" carries the domain's new name, if any. */
static void
con_lq_rename(void *arg, const char *name)
{
	struct console *c = arg;

	if (name)
		snprintf(c->w_name, sizeof(c->w_name), "%s", name);
}

static const struct lq_ops con_lq_line_ops = {
	.reopen = con_lq_rename, .line = con_lq_line,
};

static int
con_line_sink(const struct console *c)
{
	return c->x->set.sink != XCD_SINK_FILE;
}

/* What the log goes to, for the daemon's own messages. */
static const char *
con_sink_name(const struct console *c)
{
	if (!con_line_sink(c))
		return c->log.path;
	return c->x->set.sink == XCD_SINK_JOURNALD ? "journald" : "syslog";
}

/* Sets up the log's queue; a console that is logged has one. */
static int
con_log_init(struct console *c)
{
	char path[XCD_LOGPATH_MAX];

	if (c->q || !con_logs(c))
		return 0;
	con_log_path(c, path, sizeof(path));	/* finds the name too */
	if (con_line_sink(c)) {
		/* no writer yet: these are ours to set */
		snprintf(c->w_name, sizeof(c->w_name), "%s", c->name);
		snprintf(c->w_uuid, sizeof(c->w_uuid), "%s", c->uuid);
		return lq_new(c->x->pool, CON_QUEUE, &con_lq_line_ops, c, c,
		    !c->x->set.overflow_keep, &c->q);
	}
	logfile_init(&c->log, path, c->x->set.rotate_size,
	    c->x->set.rotate_keep, c->x->logs);
	return lq_new(c->x->pool, CON_QUEUE, &con_lq_ops, c, c,
	    !c->x->set.overflow_keep, &c->q);
}

/* The domain got a new name (c->name): the writer moves to it. */
static void
con_log_renamed(struct console *c)
{
	char path[XCD_LOGPATH_MAX];

	if (c->q == NULL)
		return;
	if (con_line_sink(c)) {
		lq_reopen(c->q, c->name);
		return;
	}
	con_log_path(c, path, sizeof(path));
	lq_reopen(c->q, path);
}

/*
 * A line of our own into the log: trailer, dropped-bytes note. It is
 * queued, so it comes after the guest's lines queued before it.
 */
static void
con_note(struct console *c, const char *msg)
{
	char stamp[LF_STAMP_MAX], out[512];
	size_t n;
	int r;

	if (!con_logs(c) || c->q == NULL)
		return;
	if (con_line_sink(c)) {
		r = lq_put_line(c->q, LOG_NOTICE, msg, strlen(msg), 1);
	} else {
		con_stamp(c, stamp, 1);
		n = lf_note(&c->fmt, stamp, msg, out, sizeof(out));
		r = lq_put_note(c->q, out, n);
	}
	if (r < 0)
		log_dom(LOG_WARNING, c->domid, c->name, "log stalled, note "
		    "not logged: %s", msg);
}

/*
 * Files: formats what fits into the console's queue, tagged with the ring
 * index it reaches (at + the bytes taken). Returns the bytes taken: 0
 * when the queue is full (its progress brings us back).
 */
static long
con_queue(struct console *c, const char *raw, size_t len, uint32_t at)
{
	static char out[CON_QUEUE];
	char stamp[LF_STAMP_MAX];
	struct linefmt save = c->fmt;
	uint64_t lines = c->lines;
	size_t room = XUD_MIN(lq_room(c->q), sizeof(out)), stamplen, used,
	    outlen;

	stamplen = con_stamp(c, stamp, 0);
	used = lf_fill(&c->fmt, raw, len, stamp, stamplen, out, room,
	    &outlen, &c->lines);
	if (used == 0)
		return 0;
	if (lq_put(c->q, out, outlen, 1, at + (uint32_t)used) < 0) {
		c->fmt = save;		/* cannot happen: room was checked */
		c->lines = lines;
		return 0;
	}
	return (long)used;
}

/*
 * journald, syslog: queues the complete lines of raw as records, only
 * complete ones unless flush is set (ring full, partial-line timeout,
 * drain), and marks the ring index they reach. Returns the bytes taken:
 * 0 when the queue is full (its progress brings us back) or only a
 * partial line is there (then the partial-line timer does).
 */
static long
con_queue_lines(struct console *c, const char *raw, size_t len, uint32_t at,
		int flush)
{
	size_t done = 0, used;
	int full = 0;

	/* lq_room is 0 when the marks are out: then the mark would not fit */
	if (lq_room(c->q) == 0)
		return 0;
	while (done < len) {
		char line[CON_LINE_MAX];
		long n = lf_split(raw + done, len - done, CON_LINE_MAX, &used);

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
		if (lq_put_line(c->q, LOG_INFO, line, (size_t)n, 0) < 0) {
			full = 1;
			break;
		}
		c->lines++;
		done += used;
	}
	if (done > 0) {
		lq_mark(c->q, at + (uint32_t)done);	/* fits: room was > 0 */
	} else if (full) {
		/* the queue's progress brings us back */
	} else if (c->cons != c->rd) {
		/*
		 * Lines of ours are not sent yet: the guest may be unable to
		 * end its line only because they hold its ring full. The
		 * partial line's wait starts once they are out (their
		 * progress brings us back), or a slow sink would cut it.
		 */
		c->partial_since = 0;
	} else {
		/* a partial line waits for its end, but not forever */
		if (c->partial_since == 0)
			c->partial_since = rl_now_ns();
		con_arm(c, CON_PARTIAL_MS * 1000000ULL);
	}
	return (long)done;
}

/*
 * Hands raw ring bytes to the log sink's queue. Returns how many it took:
 * 0 when the queue is full or (line sinks) only a partial line is there.
 */
static long
con_sink(struct console *c, const char *raw, size_t len, uint32_t at,
	 int flush)
{
	if (!con_logs(c))
		return (long)len;
	if (con_line_sink(c))
		return con_queue_lines(c, raw, len, at, flush);
	return con_queue(c, raw, len, at);
}

/* --- pty ------------------------------------------------------------- */

/*
 * The pty buffer is circular: pty_head is where the oldest byte is.
 * Nothing is moved, so a pty nobody reads costs a copy per byte, no more.
 */
static void
con_pty_flush(struct console *c)
{
	ssize_t n;

	while (c->pty_len > 0) {
		size_t seg = XUD_MIN(c->pty_len, c->pty_cap - c->pty_head);

		n = write(c->master, c->ptybuf + c->pty_head, seg);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				c->pty_len = 0;	/* broken pty: nothing to keep */
			break;
		}
		c->pty_head = (c->pty_head + (size_t)n) % c->pty_cap;
		c->pty_len -= (size_t)n;
	}
	if (c->pty_len > 0) {
		if (!event_pending(c->ev_write, EV_WRITE, NULL))
			event_add(c->ev_write, NULL);
	} else {
		event_del(c->ev_write);
	}
}

/* Room for n more bytes without dropping? */
static size_t
con_pty_room(struct console *c)
{
	return c->master < 0 ? SIZE_MAX : c->pty_cap - c->pty_len;
}

static void
con_pty_put(struct console *c, const char *buf, size_t len)
{
	size_t tail;

	if (c->master < 0 || len == 0)
		return;
	if (len > c->pty_cap) {		/* keep the newest */
		c->pty_drops += len - c->pty_cap;
		buf += len - c->pty_cap;
		len = c->pty_cap;
	}
	if (c->pty_len + len > c->pty_cap) {	/* discard: oldest go */
		size_t drop = c->pty_len + len - c->pty_cap;

		c->pty_head = (c->pty_head + drop) % c->pty_cap;
		c->pty_len -= drop;
		c->pty_drops += drop;
	}
	tail = (c->pty_head + c->pty_len) % c->pty_cap;
	if (tail + len <= c->pty_cap) {
		memcpy(c->ptybuf + tail, buf, len);
	} else {
		size_t first = c->pty_cap - tail;

		memcpy(c->ptybuf + tail, buf, first);
		memcpy(c->ptybuf, buf + first, len - first);
	}
	c->pty_len += len;
	/* A pty already known full waits for its write event. */
	if (!event_pending(c->ev_write, EV_WRITE, NULL))
		con_pty_flush(c);
}

static void
con_on_pty_write(evutil_socket_t fd, short what, void *arg)
{
	struct console *c = arg;

	con_pty_flush(c);
	if (c->pty_len < c->pty_cap)
		con_pump(c, 0);		/* keep mode may have waited */
}

/* Typed input: pty -> the guest's "in" ring. */
static void
con_push_input(struct console *c)
{
	int n;

	if (c->in_len == 0 || c->intf == NULL || c->hostile)
		return;
	n = consring_write(&c->in, c->inbuf, c->in_len);
	if (n < 0) {
		con_hostile(c, "input ring");
		return;
	}
	if (n > 0) {
		memmove(c->inbuf, c->inbuf + n, c->in_len - (size_t)n);
		c->in_len -= (size_t)n;
		evtchn_notify(c->x->ev, c->port);
	}
	if (c->in_len == 0 && c->ev_read)
		event_add(c->ev_read, NULL);
}

static void
con_on_pty_read(evutil_socket_t fd, short what, void *arg)
{
	struct console *c = arg;
	ssize_t n;

	if (c->in_len > 0)
		return;
	n = read(c->master, c->inbuf, sizeof(c->inbuf));
	if (n <= 0)
		return;		/* EAGAIN, or no slave: we hold one open */
	c->in_len = (size_t)n;
	con_push_input(c);
	if (c->in_len > 0)	/* ring full: wait for the guest */
		event_del(c->ev_read);
}

static int
con_pty_open(struct console *c)
{
	struct termios t;
	char path[96];
	const char *name;
	uint64_t limit;
	int r;

	if (openpty(&c->master, &c->slave, NULL, NULL, NULL) < 0) {
		c->master = c->slave = -1;
		return -errno;
	}
	if (tcgetattr(c->slave, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(c->slave, TCSANOW, &t);
	}
	fcntl(c->master, F_SETFL, fcntl(c->master, F_GETFL) | O_NONBLOCK);
	fcntl(c->master, F_SETFD, FD_CLOEXEC);
	fcntl(c->slave, F_SETFD, FD_CLOEXEC);
	name = ptsname(c->master);
	c->pty_cap = c->x->set.pty_buffer;
	/* Xen's console/limit caps the buffer too (libxl writes 1 MiB). */
	if (con_read_uint(c, "limit", UINT64_MAX, &limit) == 0 &&
	    limit >= 1024 && limit < c->pty_cap)
		c->pty_cap = (size_t)limit;
	c->ptybuf = malloc(c->pty_cap ? c->pty_cap : 1);
	c->ev_read = event_new(loop_base(c->x->loop), c->master,
	    EV_READ | EV_PERSIST, con_on_pty_read, c);
	c->ev_write = event_new(loop_base(c->x->loop), c->master,
	    EV_WRITE | EV_PERSIST, con_on_pty_write, c);
	if (c->ptybuf == NULL || c->ev_read == NULL || c->ev_write == NULL ||
	    name == NULL)
		return -ENOMEM;
	event_add(c->ev_read, NULL);
	snprintf(path, sizeof(path), "%s/tty", c->xspath);
	if ((r = xstore_write(c->x->xs, XBT_NULL, path, name)) < 0)
		return r;
	return 0;
}

static void
con_pty_close(struct console *c)
{
	if (c->ev_read)
		event_free(c->ev_read);
	if (c->ev_write)
		event_free(c->ev_write);
	c->ev_read = c->ev_write = NULL;
	if (c->master >= 0)
		close(c->master);
	if (c->slave >= 0)
		close(c->slave);
	c->master = c->slave = -1;
	free(c->ptybuf);
	c->ptybuf = NULL;
	c->pty_head = c->pty_len = c->pty_cap = 0;
}

/* --- the ring -------------------------------------------------------- */

static void con_check_end(struct console *c);
static void con_unhold(struct console *c);
static void con_arm_inflight(struct console *c);

static void
con_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct console *c = arg;

	if (c->q)
		lq_kick(c->q);		/* a failed write is retried */
	con_push_input(c);	/* the port may be held */
	con_pump(c, 0);
	con_arm_inflight(c);
	con_unhold(c);
}

static void
con_arm(struct console *c, uint64_t ns)
{
	struct timeval tv = { (time_t)(ns / 1000000000),
	    (suseconds_t)(ns % 1000000000 / 1000) };

	uint64_t at = rl_now_ns() + ns;

	/* The earliest wins: a 2 s partial-line wait must not delay a batch. */
	if (evtimer_pending(c->timer, NULL) && c->timer_at <= at)
		return;
	c->timer_at = at;
	evtimer_add(c->timer, &tv);
}

static void
con_limited(struct console *c, int on)
{
	uint64_t now;

	if (!on && c->limited_since == 0)
		return;		/* the common case, without a clock read */
	now = rl_now_ns();
	if (on && c->limited_since == 0)
		c->limited_since = now;
	else if (!on && c->limited_since) {
		c->limited_ns += now - c->limited_since;
		c->limited_since = 0;
	}
}

/* n more bytes are in the log: give the guest its ring space. */
static void
con_consume(struct console *c, uint32_t n)
{
	if (n == 0)
		return;
	consring_consume(&c->out, c->cons, n);
	c->cons += n;
	c->bytes += n;
	c->notifies++;
	evtchn_notify(c->x->ev, c->port);
}

/*
 * Moves what the ring holds into the sink and the pty. drain ignores the
 * rate limit and flushes partial lines: for a dying domain and our stop.
 */
static void
con_pump(struct console *c, int drain)
{
	char buf[CONSRING_OUT_SIZE];
	struct consring view;
	int keep = c->x->set.overflow_keep;
	int rounds;

	if (c->intf == NULL || c->hostile) {
		con_check_end(c);
		return;
	}
	drain |= c->ending;
	/* The ring as seen from our read index, not the consumer's. */
	view = c->out;
	view.cons = &c->rd;
	for (rounds = 0; drain || rounds < CON_ROUNDS; rounds++) {
		int pend = consring_pending(&view), n;
		uint32_t at;
		size_t want;
		long took;
		int flush;

		if (pend < 0)
			goto hostile;
		if (c->x->stopping) {
			/* our stop drains what is there, not what comes */
			int32_t left = (int32_t)(c->stop_prod - c->rd);

			pend = left > 0 ? XUD_MIN(pend, left) : 0;
		}
		if (pend == 0)
			break;
		want = (size_t)pend;
		if (!drain && keep && con_pty_room(c) < want) {
			want = con_pty_room(c);
			if (want == 0)
				break;	/* con_on_pty_write resumes us */
		}
		if (!drain && c->rl.rate) {
			uint64_t now = rl_now_ns(), got;
			/*
			 * A limited guest is read in chunks of 512 bytes (or
			 * all it has), not in the few bytes each of its
			 * notifications brings tokens for: a flood costs a
			 * read per chunk, not per notification.
			 */
			uint64_t chunk = XUD_MIN(want, 512);

			if (c->x->set.rate_mode == XCD_RATE_XEN)
				got = rl_take(&c->rl, 1, now) ? want : 0;
			else if (rl_avail(&c->rl, now) < chunk)
				got = 0;
			else
				got = rl_take(&c->rl, want, now);
			if (got == 0) {
				con_limited(c, 1);
				con_arm(c, rl_wait_ns(&c->rl,
				    c->x->set.rate_mode == XCD_RATE_XEN ? 1 :
				    XUD_MIN(want, 512), now));
				break;
			}
			want = got;
		}
		con_limited(c, 0);
		n = consring_peek(&view, buf, want, &at);
		if (n < 0)
			goto hostile;
		if (n == 0)
			break;
		flush = drain || (c->partial_since && rl_now_ns() -
		    c->partial_since >= CON_PARTIAL_MS * 1000000ULL);
		took = con_sink(c, buf, (size_t)n, at, flush);
		/*
		 * A full ring without a newline can only be cut: the guest
		 * cannot end its line until we make room. A full ring with
		 * lines in it gives those, and the partial one waits.
		 */
		if (took == 0 && (uint32_t)pend == c->out.size)
			took = con_sink(c, buf, (size_t)n, at, 1);
		if (took < 0) {
			if (!keep) {
				/* discard: the log lost these, say so later */
				c->drops += (uint64_t)n;
				c->pending_drops += (uint64_t)n;
				took = n;
			} else {
				con_arm(c, CON_RETRY_MS * 1000000ULL);
				break;
			}
		} else if (c->pending_drops && c->q == NULL) {
			char msg[96];
			uint64_t d = c->pending_drops;

			c->pending_drops = 0;
			snprintf(msg, sizeof(msg), "[xenconsoled: %llu bytes "
			    "dropped]", (unsigned long long)d);
			con_note(c, msg);
		}
		if (took == 0) {
			if (c->q)
				break;	/* queue full: its progress resumes us */
			/* a partial line waits for its end, but not forever */
			if (c->partial_since == 0)
				c->partial_since = rl_now_ns();
			con_arm(c, CON_PARTIAL_MS * 1000000ULL);
			break;
		}
		c->partial_since = 0;
		c->reads++;
		con_pty_put(c, buf, (size_t)took);
		c->rd += (uint32_t)took;
		if (c->q == NULL)	/* the sink has them already */
			con_consume(c, (uint32_t)took);
		/*
		 * What the queue did not take (full, or a line sink's
		 * partial line) waits for the queue's progress, which
		 * resumes us. Without logging everything is taken.
		 */
		if (took < n && c->q != NULL)
			break;
	}
	if (rounds == CON_ROUNDS)	/* fair to the others: go on later */
		con_arm(c, 0);
	con_check_end(c);
	return;
hostile:
	con_hostile(c, "ring");
	con_check_end(c);
}

/* Reads the ring now if it is half full (or must be), else soon. */
static void
con_wake(struct console *c)
{
	struct consring view;
	int pend;

	if (c->intf == NULL)
		return;
	view = c->out;
	view.cons = &c->rd;
	pend = consring_pending(&view);
	if (pend >= 0 && (uint32_t)pend < c->out.size / 2 && !c->ending &&
	    !c->x->stopping)
		con_arm(c, CON_BATCH_MS * 1000000ULL);
	else
		con_pump(c, 0);
}

/* A writer made progress on this console's log (or failed). */
static void
con_written(struct console *c)
{
	struct lq_state st;

	lq_state(c->q, &st);
	if (c->intf && st.raw_valid) {
		uint32_t n = st.raw - c->cons;

		/* Only [cons, rd) is queued; anything else is not ours. */
		if (n <= c->rd - c->cons)
			con_consume(c, n);
	}
	if (st.err != c->log_err) {
		if (st.err == -EAGAIN)
			log_dom(LOG_WARNING, c->domid, c->name, "%s is not "
			    "taking lines; holding this console's output",
			    con_sink_name(c));
		else if (st.err)
			log_dom(LOG_WARNING, c->domid, c->name, "cannot write "
			    "%s: %s%s", con_sink_name(c), strerror(-st.err),
			    c->x->set.overflow_keep ? "; retrying" :
			    "; dropping output");
		else
			log_dom(LOG_INFO, c->domid, c->name, "log writes work "
			    "again");
		c->log_err = st.err;
	}
	if (st.err == -EAGAIN)
		con_arm(c, CON_BUSY_MS * 1000000ULL);
	else if (st.err && c->x->set.overflow_keep)
		con_arm(c, CON_RETRY_MS * 1000000ULL);
	if (st.dropped > c->q_dropped) {
		c->drops += st.dropped - c->q_dropped;
		c->pending_drops += st.dropped - c->q_dropped;
		c->q_dropped = st.dropped;
	}
	if (c->pending_drops && st.err == 0) {
		char msg[96];

		snprintf(msg, sizeof(msg), "[xenconsoled: %llu bytes dropped]",
		    (unsigned long long)c->pending_drops);
		c->pending_drops = 0;
		con_note(c, msg);
	}
	/* what came meanwhile waits for its batch too */
	con_wake(c);
	con_arm_inflight(c);
	con_unhold(c);
}

/* Is the ring read again soon without an event (see con_on_evtchn)? */
static int
con_may_hold(struct console *c)
{
	return c->q && c->bound && !c->ending && c->partial_since == 0 &&
	    evtimer_pending(c->timer, NULL);
}

/*
 * Bytes in flight to the writer: its progress reads the ring again. If
 * the sink is stalled, the timer still does, now and then, so that what
 * the queue has room for reaches the pty.
 */
static void
con_arm_inflight(struct console *c)
{
	if (c->q && c->rd != c->cons)
		con_arm(c, CON_INFLIGHT_MS * 1000000ULL);
}

static void
con_on_evtchn(evtchn_port_t port, void *arg)
{
	struct console *c = arg;

	c->events++;
	con_push_input(c);
	con_wake(c);
	con_arm_inflight(c);
	/*
	 * The ring is read again soon anyway: when the writer has the bytes
	 * read so far (con_written), or when the batch timer fires. Till
	 * then the guest's notifications, one or two per line from Linux's
	 * hvc_xen, need not wake us (one system call each, and as many
	 * upcalls): what the guest writes meanwhile is read in one go. Not
	 * while a partial line waits for the guest's next bytes.
	 */
	if (con_may_hold(c)) {
		evtchn_hold(c->x->ev, port);
		c->held = 1;
	}
}

/*
 * After a read: a held port stays masked while the ring will be read again
 * anyway (so a busy guest costs no event per batch); else it is unmasked,
 * and a notification that came meanwhile arrives now.
 */
static void
con_unhold(struct console *c)
{
	if (!c->held || con_may_hold(c))
		return;
	c->held = 0;
	if (c->bound)
		evtchn_unmask(c->x->ev, c->port);
}

static void
con_detach(struct console *c)
{
	if (c->bound)
		evtchn_unbind(c->x->ev, c->port);
	c->bound = 0;
	c->held = 0;
	if (c->intf) {
		if (c->by_grant)
			gnt_unmap(c->x->gnt, c->intf, 1);
		else
			gnt_foreign_unmap(c->x->gnt, c->intf, 1);
	}
	c->intf = NULL;
	c->hostile = 0;
}

/* Reads uint key under the console's xenstore directory. */
static int
con_read_uint(struct console *c, const char *key, uint64_t max, uint64_t *v)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/%s", c->xspath, key);
	return xstore_read_uint(c->x->xs, XBT_NULL, path, max, v);
}

/* (Re)connects when the guest's console keys are there or changed. */
static int
con_attach(struct console *c)
{
	uint64_t ref, port;
	uint32_t gref = 0;	/* GNTTAB_RESERVED_CONSOLE */
	char path[96], *type;

	if (c->shut)
		return 0;
	snprintf(path, sizeof(path), "%s/type", c->xspath);
	if (xstore_read(c->x->xs, XBT_NULL, path, &type, NULL) == 0) {
		int ours = strcmp(type, "xenconsoled") == 0;

		free(type);
		if (!ours)
			return 0;	/* qemu's or another backend's */
	}
	if (con_read_uint(c, "ring-ref", UINT64_MAX, &ref) < 0 ||
	    con_read_uint(c, "port", UINT32_MAX, &port) < 0)
		return 0;		/* not yet */
	if (c->intf && ref == c->ring_ref && port == c->remote_port)
		return 0;
	return con_connect(c, gref, ref, (uint32_t)port);
}

/*
 * Maps the ring through grant gref, else as frame ref (foreign memory),
 * binds port, and sets up the log and the pty; a ring already mapped is
 * drained and let go first.
 */
static int
con_connect(struct console *c, uint32_t gref, uint64_t ref, uint32_t port)
{
	int r;

	if (c->intf) {
		con_pump(c, 1);
		con_detach(c);
	}
	if ((r = con_log_init(c)) < 0) {
		log_dom(LOG_WARNING, c->domid, c->name, "cannot set up the "
		    "log: %s", strerror(-r));
		return r;
	}
	r = gnt_map(c->x->gnt, c->domid, &gref, 1, PROT_READ | PROT_WRITE,
	    &c->intf);
	c->by_grant = r == 0;
	if (r < 0 && (r = gnt_foreign_map(c->x->gnt, c->domid,
	    (xen_pfn_t)ref, PROT_READ | PROT_WRITE, &c->intf)) < 0) {
		c->intf = NULL;
		log_dom(LOG_WARNING, c->domid, c->name,
		    "cannot map console ring: %s", strerror(-r));
		return r;
	}
	c->ring_ref = ref;
	c->remote_port = port;
	if ((r = evtchn_bind_interdomain(c->x->ev, c->domid, port,
	    con_on_evtchn, c, &c->port)) < 0) {
		log_dom(LOG_WARNING, c->domid, c->name,
		    "cannot bind %s event channel %u: %s", c->label, port,
		    strerror(-r));
		con_detach(c);
		return r;
	}
	c->bound = 1;
	consring_out(&c->out, c->intf);
	consring_in(&c->in, c->intf);
	/* A restart continues where the last reader stopped. */
	c->cons = *c->out.cons;
	c->rd = c->cons;
	if (c->q)
		lq_forget_raw(c->q);	/* a former ring's indices */
	if (c->master < 0 && (r = con_pty_open(c)) < 0) {
		log_dom(LOG_WARNING, c->domid, c->name,
		    "cannot set up the console pty: %s", strerror(-r));
		con_pty_close(c);
	}
	log_dom(LOG_INFO, c->domid, c->name, "%s attached (%s, port %u)",
	    c->label, c->by_grant ? "grant" : "foreign map", c->remote_port);
	con_pump(c, 0);
	evtchn_notify(c->x->ev, c->port);
	return 0;
}

static void
con_on_watch(struct xstore *xs, const char *path, void *arg)
{
	con_attach(arg);
}

static struct console *
con_new(struct xcd *x, uint32_t domid, const char *name, const char *uuid,
	unsigned int devid, const char *cname, const char *xspath)
{
	struct console *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->x = x;
	c->domid = domid;
	c->devid = devid;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->uuid, sizeof(c->uuid), "%s", uuid);
	snprintf(c->cname, sizeof(c->cname), "%s", cname);
	snprintf(c->label, sizeof(c->label), devid ? "console %s" :
	    "console", cname);
	snprintf(c->xspath, sizeof(c->xspath), "%s", xspath);
	c->master = c->slave = -1;
	c->log.fd = -1;
	lf_init(&c->fmt, x->set.timestamp == XCD_GUEST ||
	    x->set.timestamp == XCD_ALL ? x->set.timestamp_format + 1 :
	    LF_STAMP_NONE, x->set.replace_escape);
	if (x->set.rate_mode == XCD_RATE_XEN)
		rl_init(&c->rl, XEN_RATE_EVENTS, XEN_RATE_BURST, rl_now_ns());
	else
		rl_init(&c->rl, x->set.rate, x->set.burst, rl_now_ns());
	c->timer = evtimer_new(loop_base(x->loop), con_on_timer, c);
	if (c->timer == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

/* --- secondary consoles ---------------------------------------------- */

/*
 * A toolstack marks a console for xenconsoled with type=xenconsoled in
 * the frontend's read-only nodes (libxl writes "ioemu" for qemu's, which
 * is what xl's channel= gives). The guest writes ring-ref (a grant) and
 * port, goes Initialised; we map and bind, and go Connected.
 */
static int
con_be_connect(struct xbe_dev *d, void *arg)
{
	struct console *c = arg;
	uint64_t ref, port;

	if (con_read_uint(c, "ring-ref", UINT32_MAX, &ref) < 0 ||
	    con_read_uint(c, "port", UINT32_MAX, &port) < 0) {
		log_dom(LOG_WARNING, c->domid, c->name, "%s: no ring-ref or "
		    "port from the guest", c->label);
		return -EPROTO;
	}
	c->shut = c->trailer = 0;	/* a reconnect starts afresh */
	return con_connect(c, (uint32_t)ref, ref, (uint32_t)port);
}

static void
con_be_disconnect(struct xbe_dev *d, void *arg)
{
	struct console *c = arg;
	int hostile = c->hostile;	/* then its one line said it all */

	con_pump(c, 1);
	con_detach(c);
	if (!hostile)
		log_dom(LOG_INFO, c->domid, c->name, "%s disconnected",
		    c->label);
}

/*
 * A secondary console found hostile is closed through xenbus, from an
 * event of its own: the ring is found bad deep inside con_pump, even
 * inside con_be_connect, where closing it would pull the ring from under
 * the caller. Closing unmaps and unbinds (con_be_disconnect); the
 * console is served again once its frontend resets (xenbus_be.h).
 */
static void
con_sec_on_fail(evutil_socket_t fd, short what, void *arg)
{
	struct console *c = arg;

	if (c->hostile && c->be)
		xbe_dev_fail(c->be);	/* c may be gone now (removed) */
}

/*
 * The guest broke its ring's indices. One line per domain, rate-limited;
 * a primary stops (not a xenbus device: it stays mapped, unread, until
 * the guest gives it a new ring), a secondary is closed.
 */
static void
con_hostile(struct console *c, const char *ring)
{
	struct console *p = con_find(c->x, c->domid);
	uint64_t now = rl_now_ns();
	char quiet[64] = "";

	c->hostile = 1;
	if (c->fail_ev)
		event_active(c->fail_ev, EV_TIMEOUT, 0);
	if (p == NULL)
		p = c;
	if (p->hostile_rl.burst == 0)
		rl_init(&p->hostile_rl, 1, CON_HOSTILE_BURST, now);
	if (!rl_take_all(&p->hostile_rl, CON_HOSTILE_COST, now)) {
		p->hostile_quiet++;
		return;
	}
	if (p->hostile_quiet)
		snprintf(quiet, sizeof(quiet), " (%llu more not logged)",
		    (unsigned long long)p->hostile_quiet);
	p->hostile_quiet = 0;
	if (c->fail_ev)
		log_dom(LOG_WARNING, c->domid, c->name, "%s: hostile %s "
		    "indices; closing it until its frontend resets%s",
		    c->label, ring, quiet);
	else
		log_dom(LOG_WARNING, c->domid, c->name, "hostile console %s "
		    "indices; console stopped%s", ring, quiet);
}

static void con_free(struct console *c);

/* Takes c out of its primary's list and frees it. */
static void
con_sec_free(struct console *c, struct console *primary)
{
	for (struct console **pp = &primary->next_sec; *pp;
	    pp = &(*pp)->next_sec)
		if (*pp == c) {
			*pp = c->next_sec;
			primary->nsec--;
			break;
		}
	/* not a primary: con_free must not take its siblings along */
	c->next_sec = NULL;
	xbe_dev_free(c->be);
	c->be = NULL;
	if (c->fail_ev)
		event_free(c->fail_ev);
	c->fail_ev = NULL;
	con_free(c);
}

static void
con_be_removed(struct xbe_dev *d, void *arg)
{
	struct console *c = arg, *p = con_find(c->x, c->domid);

	log_dom(LOG_INFO, c->domid, c->name, "%s removed", c->label);
	if (p)
		con_sec_free(c, p);
}

static const struct xbe_ops con_be_ops = {
	NULL, con_be_connect, con_be_disconnect, con_be_removed,
};

/* A console name fit for a file name: [A-Za-z0-9._-], else '_'. */
static void
con_cname(char *out, size_t len, const char *in)
{
	size_t i;

	for (i = 0; i + 1 < len && in[i]; i++)
		out[i] = (isalnum((unsigned char)in[i]) || in[i] == '.' ||
		    in[i] == '_' || in[i] == '-') ? in[i] : '_';
	out[i] = '\0';
	if (out[0] == '.')
		out[0] = '_';
}

/* backend/console/<domid>/<n> appeared (or changed): serve new ones. */
static void
con_sec_scan(struct xstore *xs, const char *path, void *arg)
{
	struct console *p = arg, *c;
	struct xcd *x = p->x;
	char dir[64], be[96], fe[96], key[128], want[96], cname[CON_CNAME_MAX];
	char **names, *v;
	unsigned int n;

	snprintf(dir, sizeof(dir), "/local/domain/%u/backend/console/%u",
	    x->self, p->domid);
	if (p->shut || xstore_ls(xs, XBT_NULL, dir, &names, &n) < 0)
		return;
	for (unsigned int i = 0; i < n; i++) {
		char *end;
		unsigned long devid = strtoul(names[i], &end, 10);
		int ours, r;

		if (*end || devid == 0 || devid > 1024)
			continue;	/* 0 is the primary's: console/ */
		for (c = p->next_sec; c; c = c->next_sec)
			if (c->devid == devid)
				break;
		if (c)
			continue;
		snprintf(be, sizeof(be), "%s/%lu", dir, devid);
		snprintf(want, sizeof(want),
		    "/local/domain/%u/device/console/%lu", p->domid, devid);
		snprintf(key, sizeof(key), "%s/frontend", be);
		if (xstore_read(xs, XBT_NULL, key, &v, NULL) < 0)
			continue;
		ours = strcmp(v, want) == 0;
		free(v);
		snprintf(fe, sizeof(fe), "%s", want);
		snprintf(key, sizeof(key), "%s/type", fe);
		if (!ours || xstore_read(xs, XBT_NULL, key, &v, NULL) < 0)
			continue;
		ours = strcmp(v, "xenconsoled") == 0;
		free(v);
		if (!ours)
			continue;	/* qemu's (type=ioemu) */
		if (p->nsec >= CON_SEC_MAX) {
			log_dom(LOG_WARNING, p->domid, p->name, "more than %d "
			    "secondary consoles; ignoring %lu", CON_SEC_MAX,
			    devid);
			continue;
		}
		snprintf(cname, sizeof(cname), "%lu", devid);
		snprintf(key, sizeof(key), "%s/name", be);
		if (xstore_read(xs, XBT_NULL, key, &v, NULL) == 0) {
			if (v[0])
				con_cname(cname, sizeof(cname), v);
			free(v);
		}
		c = con_new(x, p->domid, p->name, p->uuid, (unsigned)devid,
		    cname, fe);
		if (c == NULL)
			break;
		c->next_sec = p->next_sec;
		p->next_sec = c;
		p->nsec++;
		log_dom(LOG_INFO, c->domid, c->name, "%s found (%s)", c->label,
		    be);
		c->fail_ev = event_new(loop_base(x->loop), -1, 0,
		    con_sec_on_fail, c);
		r = c->fail_ev ? 0 : -ENOMEM;
		if (r < 0 ||
		    (r = xbe_dev_new(xs, be, 0, &con_be_ops, c, &c->be)) < 0) {
			log_dom(LOG_WARNING, c->domid, c->name, "%s: cannot "
			    "serve %s: %s", c->label, be, strerror(-r));
			con_sec_free(c, p);
		}
	}
	free(names);
}

int
con_add(struct xcd *x, const struct dom_info *d)
{
	struct console *c;
	char path[64];
	int r;

	if (d->domid == 0)
		return 0;	/* dom0's console is the hypervisor's */
	if (d->domid >= x->ncons) {
		unsigned int n = x->ncons ? x->ncons : 64;
		struct console **v;

		while (n <= d->domid)
			n *= 2;
		v = realloc(x->cons, n * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		memset(v + x->ncons, 0, (n - x->ncons) * sizeof(*v));
		x->cons = v;
		x->ncons = n;
	}
	if (x->cons[d->domid])
		return 0;
	snprintf(path, sizeof(path), "/local/domain/%u/console", d->domid);
	c = con_new(x, d->domid, d->name, d->uuid, 0, "0", path);
	if (c == NULL)
		return -ENOMEM;
	x->cons[d->domid] = c;
	if ((r = xstore_watch(x->xs, c->xspath, con_on_watch, c,
	    &c->watch)) < 0)
		log_dom(LOG_WARNING, c->domid, c->name,
		    "cannot watch %s: %s", c->xspath, strerror(-r));
	snprintf(path, sizeof(path), "/local/domain/%u/backend/console/%u",
	    x->self, d->domid);
	if ((r = xstore_watch(x->xs, path, con_sec_scan, c,
	    &c->be_watch)) < 0)
		log_dom(LOG_WARNING, c->domid, c->name,
		    "cannot watch %s: %s", path, strerror(-r));
	/* The frontend's nodes may come after the backend's. */
	snprintf(path, sizeof(path), "/local/domain/%u/device/console",
	    d->domid);
	if ((r = xstore_watch(x->xs, path, con_sec_scan, c,
	    &c->fe_watch)) < 0)
		log_dom(LOG_WARNING, c->domid, c->name,
		    "cannot watch %s: %s", path, strerror(-r));
	return 0;
}

static void
con_trailer(struct console *c, const char *what, uint32_t lost)
{
	char msg[256], extra[64] = "";
	uint32_t prod = 0, cons = 0;

	if (c->trailer)
		return;
	c->trailer = 1;
	if (c->intf) {
		prod = *c->out.prod;
		cons = c->rd;		/* read; the log has it all or soon */
	}
	if (lost)
		snprintf(extra, sizeof(extra), "; %u bytes not logged "
		    "(log stalled)", lost);
	snprintf(msg, sizeof(msg), "[xenconsoled: domain %u (%s) %s; ring "
	    "out_prod=%u out_cons=%u%s]", c->domid, c->name, what, prod, cons,
	    extra);
	con_note(c, msg);
	log_dom(lost ? LOG_WARNING : LOG_INFO, c->domid, c->name,
	    "console closed: %s%s", what, extra);
}

/*
 * An ending console drains its ring (ignoring the rate limit) into its
 * log, then gets its trailer and, if the domain is going, lets go of the
 * ring. A log that does not take the ring within CON_END_MS (a stalled
 * disk) is given up on, and the trailer says how much was lost.
 */
static void
con_check_end(struct console *c)
{
	uint32_t lost = 0;

	if (!c->ending)
		return;
	if (c->intf && !c->hostile) {
		int32_t left = (int32_t)(*c->out.prod - c->rd);
		uint64_t now = rl_now_ns();

		if (left > 0 && now < c->end_deadline) {
			con_arm(c, XUD_MIN(c->end_deadline - now,
			    CON_RETRY_MS * 1000000ULL));
			return;
		}
		if (left > 0)
			lost = (uint32_t)left;
	}
	c->ending = 0;
	con_trailer(c, c->end_what, lost);
	con_limited(c, 0);
	if (c->end_detach)
		con_detach(c);
}

static void
con_end(struct console *c, const char *what, int detach)
{
	if (!c->ending && !c->trailer) {
		snprintf(c->end_what, sizeof(c->end_what), "%s", what);
		c->end_deadline = rl_now_ns() + CON_END_MS * 1000000ULL;
	}
	c->end_detach |= detach;
	c->ending = 1;
	c->shut = 1;
	con_pump(c, 1);
}

/* Frees c once no writer needs it; until then it waits as a zombie. */
static void
con_free(struct console *c)
{
	struct xcd *x = c->x;

	while (c->next_sec)
		con_sec_free(c->next_sec, c);
	if (c->be_watch)
		xstore_unwatch(c->be_watch);
	if (c->fe_watch)
		xstore_unwatch(c->fe_watch);
	c->be_watch = c->fe_watch = NULL;
	con_detach(c);
	con_pty_close(c);
	if (c->watch)
		xstore_unwatch(c->watch);
	c->watch = NULL;
	if (c->timer)
		event_free(c->timer);
	c->timer = NULL;
	if (c->domid < x->ncons && x->cons[c->domid] == c)
		x->cons[c->domid] = NULL;
	if (lq_free(c->q, x->exiting) < 0) {
		if (!c->zombie) {
			c->zombie = 1;
			c->next_zombie = x->zombies;
			x->zombies = c;
		}
		return;
	}
	if (c->zombie) {
		struct console **pp;

		for (pp = &x->zombies; *pp; pp = &(*pp)->next_zombie)
			if (*pp == c) {
				*pp = c->next_zombie;
				break;
			}
	}
	logfile_close(&c->log);
	free(c);
}

/* A writer made progress on this console's log (or failed). */
void
con_progress(struct console *c)
{
	if (c->zombie)
		con_free(c);
	else
		con_written(c);
}

/* The end of a domain: drain all, say what happened, let go of the ring. */
static void
con_finish(struct console *c, const struct dom_info *d)
{
	/* Xen keeps the shutdown reason while the domain dies. */
	if (d->state == DOM_CRASHED ||
	    (d->state == DOM_DYING && d->shutdown_reason == SHUTDOWN_crash))
		con_end(c, "crashed", 1);
	else
		con_end(c, "destroyed", 1);
}

static void con_changed_one(struct console *c, const struct dom_info *d);

void
con_changed(struct xcd *x, const struct dom_info *d,
	    const struct dom_info *old)
{
	struct console *c = con_find(x, d->domid);

	if (c == NULL)
		return;
	for (struct console *s = c; s; s = s->next_sec)
		con_changed_one(s, d);
}

static void
con_changed_one(struct console *c, const struct dom_info *d)
{
	char what[64];

	if (strcmp(c->name, d->name) != 0 && d->name[0]) {
		snprintf(c->name, sizeof(c->name), "%s", d->name);
		con_log_renamed(c);
	}
	snprintf(c->uuid, sizeof(c->uuid), "%s", d->uuid);
	switch (d->state) {
	case DOM_SHUTDOWN:
		/* suspend and soft reset come back: not an end */
		if (d->shutdown_reason == 2 || d->shutdown_reason == 5)
			break;
		snprintf(what, sizeof(what), "shut down (%s)",
		    dom_shutdown_reason_name(d->shutdown_reason));
		con_end(c, what, 0);
		break;
	case DOM_CRASHED:
		con_end(c, "crashed", 0);
		break;
	case DOM_DYING:
		con_finish(c, d);
		break;
	default:
		break;
	}
}

void
con_removed(struct xcd *x, const struct dom_info *d)
{
	struct console *c = con_find(x, d->domid);

	if (c == NULL)
		return;
	for (struct console *s = c; s; s = s->next_sec) {
		con_finish(s, d);
		if (s->ending) {	/* gone: no more waiting for the log */
			s->end_deadline = 0;
			con_check_end(s);
		}
	}
	con_free(c);
}

/* Our stop: drain what every ring holds now into its log. */
void
con_drain_all(struct xcd *x)
{
	CON_EACH(x, i, c) {
		if (c->intf)
			c->stop_prod = *c->out.prod;
		con_pump(c, 1);
	}
}

/* Bytes our stop still waits for: unlogged ring bytes, queued bytes. */
uint64_t
con_stop_pending(struct xcd *x)
{
	uint64_t left = 0;
	struct lq_state st;

	CON_EACH(x, i, c) {
		if (c->intf && !c->hostile &&
		    (int32_t)(c->stop_prod - c->cons) > 0)
			left += (uint32_t)(c->stop_prod - c->cons);
		if (c->q) {
			lq_state(c->q, &st);
			left += st.queued + !st.idle;
		}
	}
	for (struct console *c = x->zombies; c; c = c->next_zombie) {
		lq_state(c->q, &st);
		left += st.queued + !st.idle;
	}
	return left;
}

void
con_reopen_all(struct xcd *x)
{
	CON_EACH(x, i, c)
		if (c->q)
			lq_reopen(c->q, NULL);
}

/* One console's status: the same text for SIGUSR1 and --status. */
static void
con_status_line(struct console *c, char *buf, size_t len)
{
	uint64_t lim = c->limited_ns + (c->limited_since ? rl_now_ns() -
	    c->limited_since : 0);
	char sink[96] = "none";
	struct lq_state st;

	if (c->q) {
		lq_state(c->q, &st);
		if (st.err == -EAGAIN)
			snprintf(sink, sizeof(sink), "busy");
		else if (st.err)
			snprintf(sink, sizeof(sink), "error(%s)",
			    strerror(-st.err));
		else if (st.busy_ms >= 1000)
			snprintf(sink, sizeof(sink), "stalled(%llums)",
			    (unsigned long long)st.busy_ms);
		else
			snprintf(sink, sizeof(sink), "ok");
		snprintf(sink + strlen(sink), sizeof(sink) - strlen(sink),
		    " queued=%zu", st.queued);
	} else if (con_logs(c)) {
		snprintf(sink, sizeof(sink), "%s", c->x->set.sink ==
		    XCD_SINK_JOURNALD ? "journald" : "syslog");
	}
	snprintf(buf, len, "domid=%u name=%s console=%s state=%s bytes=%llu "
	    "lines=%llu drops=%llu pty_drops=%llu limited_ms=%llu sink=%s "
	    "events=%llu reads=%llu notifies=%llu",
	    c->domid, c->name, c->cname, c->intf ? (c->hostile ? "stopped" :
	    "attached") : "detached", (unsigned long long)c->bytes,
	    (unsigned long long)c->lines, (unsigned long long)c->drops,
	    (unsigned long long)c->pty_drops,
	    (unsigned long long)(lim / 1000000), sink,
	    (unsigned long long)c->events, (unsigned long long)c->reads,
	    (unsigned long long)c->notifies);
}

void
con_dump_all(struct xcd *x)
{
	char line[512];

	CON_EACH(x, i, c) {
		con_status_line(c, line, sizeof(line));
		log_dom(LOG_INFO, c->domid, c->name, "console: %s", line);
	}
}

void
con_status(struct xcd *x, FILE *f)
{
	char line[512];

	CON_EACH(x, i, c) {
		con_status_line(c, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
}

void
con_free_all(struct xcd *x)
{
	x->exiting = 1;		/* what the writers did not write is lost */
	for (unsigned int i = 0; i < x->ncons; i++)
		if (x->cons[i])
			con_free(x->cons[i]);
	while (x->zombies) {
		struct console *c = x->zombies;

		con_free(c);
		if (x->zombies == c)
			break;	/* a writer stuck in write(): exit takes it */
	}
	free(x->cons);
	x->cons = NULL;
	x->ncons = 0;
}
