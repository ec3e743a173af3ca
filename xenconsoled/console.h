/*
 * A guest console, as its files see it. Bytes flow one way:
 *
 *   ring.c (mapped ring) -> pump.c (read, pace) -> sink.c (format, queue)
 *     -> logqueue.c (writer threads) -> logfile.c or a socket
 *                       \-> pty.c (xl console)
 *
 * Each file owns one sub-struct of struct console and calls only the
 * files below it; what a lower file has to say goes up by return value or
 * by a callback the upper one registered. From the top:
 *
 *   table.c      the domain table: a domain's consoles come and go
 *   status.c     SIGUSR1 and --status lines
 *   secondary.c  secondary consoles, as xenbus backends
 *   attach.c     a console's xenstore keys; connecting its ring and pty
 *   console.c    one console's allocation, freeing and zombie life
 *   pump.c       reading the ring: batching, rate, draining, the trailer
 *   sink.c       the log: queueing formatted bytes or lines
 *   pty.c        the pty and its backlog
 *   ring.c       mapping and binding the ring
 */
#ifndef XCD_CONSOLE_H
#define XCD_CONSOLE_H

#include <stddef.h>
#include <stdint.h>
#include <event2/event.h>
#include <xenevtchn.h>

#include "consring.h"
#include "domlog.h"
#include "evtchn.h"
#include "linefmt.h"
#include "log.h"
#include "pvcons.h"
#include "ratelimit.h"
#include "xenconsoled.h"

/* Secondary consoles per domain; longest console name in a file name. */
#define CON_SEC_MAX 16
#define CON_CNAME_MAX 33
/* Formatted bytes queued per console log file. */
#define CON_QUEUE 32768
/*
 * A partial line waits this long for its end before a line sink gets it.
 * Long enough that a guest descheduled mid-line on a busy host does not
 * get its line split in two journal entries; short enough that a prompt
 * without a newline shows up soon.
 */
#define CON_PARTIAL_MS 2000
/* The most of xenstore's console/limit we keep for xl console. */
#define CON_PTY_LIMIT_MAX (16ULL << 20)

/* ring.c: the mapped ring and its event channel (lib/pvcons.h). */
struct con_ring {
	struct pvcons pc;	/* pc.page NULL: not attached */
	int held;		/* port left masked: the ring is read soon */
	struct consring out, in;
	int hostile;		/* the guest broke its indices */
};

/* pty.c: the pty, its backlog for xl console, and typed input. */
struct con_pty {
	int master, slave;
	struct event *ev_read, *ev_write;
	char *buf;			/* circular: head is the oldest byte */
	size_t head, len, cap;
	char inbuf[CONSRING_IN_SIZE];	/* typed, not yet in the ring */
	size_t in_len;
	uint64_t drops;
	/* Called with arg: room freed in the backlog; input arrived. */
	void (*on_room)(void *arg);
	void (*on_input)(void *arg);
	void *arg;
};

/* sink.c: the log, its queue and its formatter. */
struct con_sink {
	struct logfile log;	/* log and w_* belong to the writers once q is */
	char w_name[DOM_NAME_MAX];	/* a line sink's name and uuid */
	char w_uuid[37];
	struct lq *q;
	int log_err;			/* last write error, logged once */
	uint64_t q_dropped;		/* the queue's drop count, seen */
	struct linefmt fmt;
	uint64_t pending_drops;		/* not yet noted in the log */
	uint64_t lines, drops;
};

/* pump.c: reading the ring, pacing, and ending. */
struct con_pump {
	volatile uint32_t rd;		/* read and queued up to here */
	uint32_t cons;			/* our consumer index (see pump.c) */
	struct event *timer;
	uint64_t timer_at;	/* when the timer fires, if pending */
	struct rl_bucket rl;
	uint64_t limited_since;
	uint64_t partial_since;
	uint64_t batch_ns;		/* a read's wait below half a ring */
	uint32_t stop_prod;		/* our stop: drained once cons is here */
	/* the end of a console: drained, then the trailer */
	int shut;			/* shut down or crashed */
	int trailer;
	int ending;			/* draining for the trailer */
	int end_detach;			/* ... and then letting go of the ring */
	uint64_t end_deadline;		/* ns */
	char end_what[64];
	struct event *hostile_ev;	/* fired when the ring is found bad */
	/* stats */
	uint64_t bytes, limited_ns;
	uint64_t events, reads, notifies;	/* what the bytes cost */
};

/* secondary.c: device/console/<n>, served as a xenbus backend. */
struct con_sec {
	struct xbe_dev *be;
	/* primary: its backend/console/<domid> and device/console */
	struct xstore_watch *be_watch, *fe_watch;
	struct console *next;
	unsigned int n;
};

struct console {
	struct xcd *x;
	uint32_t domid;
	char name[DOM_NAME_MAX];
	char uuid[37];
	char xspath[64];		/* console/ or device/console/<n> */
	struct xstore_watch *watch;	/* primary: its console/ keys */
	unsigned int devid;		/* 0: the primary */
	char cname[CON_CNAME_MAX];	/* its name, or n */
	char label[CON_CNAME_MAX + 16];	/* "console", "console <cname>" */
	struct console *primary;	/* itself, or its domain's primary */
	struct domlog domlog;		/* a primary's: see con_log */
	int zombie;			/* gone, its queue not yet written */
	struct console *next_zombie;

	struct con_ring ring;
	struct con_pty pty;
	struct con_sink sink;
	struct con_pump pump;
	struct con_sec sec;
};

/*
 * A line the guest can trigger (attached, disconnected, bad keys, a
 * broken ring, its log's troubles), limited per domain: a domain's
 * consoles share the limiter its primary holds, so more consoles buy no
 * more lines.
 */
#define con_log(c, prio, ...) \
	log_dom_rl(&(c)->primary->domlog, (prio), (c)->domid, (c)->name, \
	    __VA_ARGS__)

/* Every console: each domain's primary, then its secondaries. */
#define CON_EACH(x, i, c) \
	for (unsigned int i = 0; i < (x)->ncons; i++) \
		for (struct console *c = (x)->cons[i]; c; c = c->sec.next)

/* ring.c */
/* Maps and binds the ring (notifications: cb with c); 0 or -errno. */
int ring_connect(struct console *c, enum pvcons_kind kind,
		 const struct pvcons_keys *k, evtchn_cb *cb);
/* Unbinds and unmaps; the console is no longer hostile. */
void ring_detach(struct console *c);

/* pty.c */
void pty_init(struct con_pty *p, void (*on_room)(void *),
	      void (*on_input)(void *), void *arg);
/* Opens a raw pty with a backlog of cap bytes; *name: the slave's path. */
int pty_open(struct con_pty *p, struct event_base *base, size_t cap,
	     const char **name);
void pty_close(struct con_pty *p);
/* Bytes the backlog takes without dropping any. */
size_t pty_room(const struct con_pty *p);
/* To the pty; a full backlog drops its oldest bytes. */
void pty_put(struct con_pty *p, const char *buf, size_t len);
/* n bytes of inbuf are in the guest's ring now. */
void pty_input_taken(struct con_pty *p, size_t n);

/* sink.c */
int sink_logs(const struct console *c);
/* What the log goes to, for the daemon's own messages. */
const char *sink_name(const struct console *c);
int sink_init(struct console *c);
void sink_renamed(struct console *c);
void sink_note(struct console *c, const char *msg);
enum sink_wait {
	SINK_TOOK,		/* took something (or everything) */
	SINK_FULL,		/* queue full: its progress resumes us */
	SINK_PARTIAL,		/* a line sink waits for a line's end */
};
/*
 * Hands raw ring bytes (from ring index at) to the log's queue. Returns
 * how many it took, and in *wait why it took none.
 */
size_t sink_put(struct console *c, const char *raw, size_t len, uint32_t at,
		int flush, enum sink_wait *wait);
struct lq_state;
/*
 * The writers made progress (or failed): says when the log's state
 * changes, counts and notes drops; *st is the queue's state.
 */
void sink_progress(struct console *c, struct lq_state *st);
/* Bytes queued or being written: what our stop waits for. */
uint64_t sink_pending(struct console *c);

/* pump.c */
/* Sets up pacing and the pty's callbacks; 0 or -ENOMEM. */
int con_pump_init(struct console *c);
void con_pump_free(struct console *c);
void con_pump(struct console *c, int drain);
void con_on_evtchn(evtchn_port_t port, void *arg);
/* A writer made progress on this console's log (or failed). */
void con_written(struct console *c);
/* Our stop: drain what the ring holds now; what is left of it. */
void con_drain_for_stop(struct console *c);
uint64_t con_stop_left(struct console *c);
/* Shut down or crashed: drain (detach: then let go of the ring). */
void con_end(struct console *c, const char *what, int detach);
/* The end may not wait for the log any longer: the domain is gone. */
void con_end_now(struct console *c);

/* console.c */
struct console *con_new(struct xcd *x, struct console *primary,
			uint32_t domid, const char *name, const char *uuid,
			unsigned int devid, const char *cname,
			const char *xspath);
void con_free(struct console *c);

/* attach.c */
/* Connects the ring (mapped as pvcons.h says for kind), log and pty. */
int con_connect(struct console *c, enum pvcons_kind kind,
		const struct pvcons_keys *k);
void con_on_watch(struct xstore *xs, const char *path, void *arg);

/* secondary.c */
/* Watches for p's domain's secondary consoles and serves them. */
void sec_watch(struct console *p);
/* Stops watching and frees p's secondaries. */
void sec_stop(struct console *p);

/* status.c: declared in xenconsoled.h */

#endif
