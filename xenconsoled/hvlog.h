/*
 * hypervisor.log: Xen's own console ring, read whenever VIRQ_CON_RING
 * fires, formatted and queued to a log writer (logqueue.h). Its state is
 * its own; the daemon holds one and calls these.
 */
#ifndef XCD_HVLOG_H
#define XCD_HVLOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <xenevtchn.h>

#include "linefmt.h"
#include "logfile.h"

struct evtchn;
struct lq;
struct lq_pool;
struct xcd_settings;

struct hvlog {
	void *xch;
	struct evtchn *ev;
	struct logfile file;		/* the writers' */
	struct lq *q;
	int err;			/* the queue's, as last logged */
	char raw[16384];		/* read from Xen, not yet queued */
	size_t off, len;
	struct linefmt fmt;
	uint32_t index;			/* xc_readconsolering's position */
	evtchn_port_t port;
	int on;				/* bound: pumping */
};

/*
 * Opens hypervisor.log in s->log_dir (among logs, written by pool) and
 * binds the VIRQ on ev. 0 or -errno; hv_close() either way.
 */
int hv_open(struct hvlog *h, const struct xcd_settings *s,
	    struct logfile_set *logs, struct lq_pool *pool, struct evtchn *ev);
/* Reads the ring and queues it, as far as the queue takes. */
void hv_pump(struct hvlog *h);
/* The writers made progress: report a change of error, read on. */
void hv_progress(struct hvlog *h);
/* SIGHUP: the file is reopened by its writer. */
void hv_reopen(struct hvlog *h);
void hv_close(struct hvlog *h);
/* Writes hypervisor.log's status line to f, or logs it if f is NULL. */
void hv_status(struct hvlog *h, FILE *f);
/* Bytes read from Xen's ring but not yet written, for our stop. */
uint64_t hv_stop_pending(struct hvlog *h);

#endif
