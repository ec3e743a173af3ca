/*
 * hypervisor.log (hvlog.h): Xen's console ring, read incrementally with
 * xc_readconsolering whenever VIRQ_CON_RING fires.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <event2/event.h>
#include <xenctrl.h>

#include "evtchn.h"
#include "hvlog.h"
#include "log.h"
#include "logqueue.h"
#include "loop.h"
#include "xenconsoled.h"

/* The writers' side of hypervisor.log (logqueue.h). */
static long
hv_lq_write(void *arg, const char *buf, size_t len)
{
	return logfile_append(arg, buf, len);
}

/* Opened at once, as Xen's daemon does, for its "opened" line. */
static void
hv_lq_reopen(void *arg, const char *path)
{
	/* A failure is the next write's to report. */
	(void)logfile_reopen(arg);
}

static const struct lq_ops hv_lq_ops = {
	.write = hv_lq_write, .reopen = hv_lq_reopen,
};

/*
 * Reads Xen's ring into raw and queues it formatted, as far as the
 * queue takes it; what it does not take waits in raw for the queue's
 * progress (hv_progress), so nothing read is lost.
 */
void
hv_pump(struct hvlog *h)
{
	static char out[32768];
	char stamp[LF_STAMP_MAX];

	if (!h->on)
		return;
	for (int rounds = 0; rounds < 64; rounds++) {
		size_t room, stamplen, used, outlen;
		uint64_t lines = 0;
		struct timespec ts;

		if (h->off == h->len) {
			unsigned int n = sizeof(h->raw);

			if (xc_readconsolering(h->xch, h->raw, &n, 0, 1,
			    &h->index) < 0) {
				log_warn("xc_readconsolering");
				return;
			}
			if (n == 0)
				return;
			h->off = 0;
			h->len = n;
		}
		room = XUD_MIN(lq_room(h->q), sizeof(out));
		clock_gettime(CLOCK_REALTIME, &ts);
		stamplen = lf_stamp(h->fmt.stamp, ts.tv_sec, ts.tv_nsec,
		    stamp);
		used = lf_fill(&h->fmt, h->raw + h->off, h->len - h->off,
		    stamp, stamplen, out, room, &outlen, &lines);
		if (used == 0 || lq_put(h->q, out, outlen, 0, 0) < 0)
			return;		/* full: hv_progress resumes */
		h->off += used;
	}
}

void
hv_progress(struct hvlog *h)
{
	struct lq_state st;

	if (h->q == NULL)
		return;
	lq_state(h->q, &st);
	if (st.err != h->err) {
		if (st.err)
			log_warnc(st.err, "cannot write %s", h->file.path);
		h->err = st.err;
	}
	hv_pump(h);
}

void
hv_status(struct hvlog *h, FILE *f)
{
	struct lq_state st;
	char line[1024];

	if (h->q == NULL)
		return;
	lq_state(h->q, &st);
	snprintf(line, sizeof(line), "hypervisor: file=%s sink=%s queued=%zu",
	    h->file.path, st.err ? strerror(-st.err) : st.busy_ms >= 1000 ?
	    "stalled" : "ok", st.queued);
	if (f)
		fprintf(f, "%s\n", line);
	else
		log_info("%s", line);
}

uint64_t
hv_stop_pending(struct hvlog *h)
{
	struct lq_state st;

	if (h->q == NULL)
		return 0;
	lq_state(h->q, &st);
	return st.queued + !st.idle + (h->len - h->off);
}

static void
hv_on_virq(evtchn_port_t port, void *arg)
{
	hv_pump(arg);
}

int
hv_open(struct hvlog *h, const struct xcd_settings *s,
	struct logfile_set *logs, struct lq_pool *pool, struct evtchn *ev)
{
	char path[XCD_PATH_MAX + 32];
	int r;

	h->ev = ev;
	h->xch = xc_interface_open(NULL, NULL, 0);
	if (h->xch == NULL)
		return errno ? -errno : -EACCES;
	snprintf(path, sizeof(path), "%s/hypervisor.log", s->log_dir);
	logfile_init(&h->file, path, s->rotate_size, s->rotate_keep,
	    logs);
	lf_init(&h->fmt, s->timestamp == XCD_HV ||
	    s->timestamp == XCD_ALL ? s->timestamp_format + 1 :
	    LF_STAMP_NONE, s->replace_escape);
	logfile_opened_line(&h->file, h->fmt.stamp);
	if ((r = logfile_open(&h->file)) < 0)
		return r;
	if ((r = lq_new(pool, 65536, &hv_lq_ops, &h->file, NULL,
	    !s->overflow_keep, &h->q)) < 0)
		return r;
	if ((r = evtchn_bind_virq(ev, VIRQ_CON_RING, hv_on_virq, h,
	    &h->port)) < 0)
		return r;
	h->on = 1;
	hv_pump(h);
	return 0;
}

void
hv_reopen(struct hvlog *h)
{
	if (h->q)
		lq_reopen(h->q, NULL);
}

void
hv_close(struct hvlog *h)
{
	if (h->on)
		evtchn_unbind(h->ev, h->port);
	/* The writers are done (or stuck, and then we leave it to them). */
	if (lq_free(h->q, 1) == 0) {
		h->q = NULL;
		logfile_close(&h->file);
	}
	if (h->xch)
		xc_interface_close(h->xch);
	h->xch = NULL;
	h->on = 0;
}
