/* xenconsoled: the daemon's shared types. */
#ifndef XCD_XENCONSOLED_H
#define XCD_XENCONSOLED_H

#include <stdint.h>
#include <stdio.h>
#include <xenevtchn.h>

#include "consring.h"
#include "domains.h"
#include "hvlog.h"
#include "linefmt.h"
#include "logfile.h"
#include "logname.h"
#include "ratelimit.h"

enum xcd_which { XCD_NONE, XCD_GUEST, XCD_HV, XCD_ALL };
enum xcd_sink { XCD_SINK_FILE, XCD_SINK_JOURNALD, XCD_SINK_SYSLOG };
enum xcd_rate_mode { XCD_RATE_BYTES, XCD_RATE_XEN };

#define XCD_PATH_MAX 256
/* A log file: the directory, '/', and a name from logname.h */
#define XCD_LOGPATH_MAX (XCD_PATH_MAX + 1 + LOGNAME_MAX + 1)

struct xcd_settings {
	int log;			/* enum xcd_which */
	char log_dir[XCD_PATH_MAX];
	int timestamp;			/* enum xcd_which */
	int timestamp_format;		/* enum lf_stamp - 1 (iso, xen) */
	int overflow_keep;		/* overflow-data: 0 discard, 1 keep */
	int replace_escape;
	int notes;			/* [xenconsoled: ...] lines in logs */
	char pid_file[XCD_PATH_MAX];
	int sink;			/* enum xcd_sink */
	int rate_mode;			/* enum xcd_rate_mode */
	uint64_t rate;			/* bytes/s; 0 = unlimited */
	uint64_t burst;			/* bytes */
	uint64_t pty_buffer;		/* bytes buffered for the pty */
	uint64_t rotate_size;		/* bytes; 0 = no rotation */
	uint64_t rotate_keep;		/* rotated files kept */
	uint64_t retention_ms;		/* 0 = keep logs forever */
	uint64_t max_open_logs;		/* log files open at once */
};

struct xcd;
struct console;

/* Consoles (console.h): table.c */
int con_add(struct xcd *x, const struct dom_info *d);
void con_changed(struct xcd *x, const struct dom_info *d,
		 const struct dom_info *old);
void con_removed(struct xcd *x, const struct dom_info *d);
void con_drain_all(struct xcd *x);
uint64_t con_stop_pending(struct xcd *x);
void con_reopen_all(struct xcd *x);
void con_free_all(struct xcd *x);
/* console.c: a writer made progress on c's log (or failed). */
void con_progress(struct console *c);
/* status.c */
void con_dump_all(struct xcd *x);
void con_status(struct xcd *x, FILE *f);

/* The daemon. */
struct xcd {
	struct xcd_settings set;
	struct loop *loop;
	struct xstore *xs;
	uint32_t self;			/* our domid: 0, or a driver domain's */
	struct evtchn *ev;
	struct gnt *gnt;
	struct dom_tracker *doms;
	struct console **cons;		/* indexed by domid, grown */
	unsigned int ncons;
	struct console *zombies;	/* gone, log not yet written */
	struct lq_pool *pool;		/* log writers */
	int line_fd;			/* journald/syslog sink's socket */
	struct logfile_set *logs;	/* bounds the open log files */
	struct event *pool_ev;
	int stopping;			/* draining for our exit */
	int exiting;			/* past the loop: give up queues */
	struct event *stop_timer;
	struct hvlog hv;		/* hypervisor.log */
	struct event *retention_timer;
	struct retention *retention;	/* its thread */
	struct event *retention_ev;	/* its results */
};

#endif
