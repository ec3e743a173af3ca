/*
 * hypervisor.log: Xen's console ring, read incrementally with
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
 * Reads Xen's ring into hv_raw and queues it formatted, as far as the
 * queue takes it; what it does not take waits in hv_raw for the queue's
 * progress (hv_progress), so nothing read is lost.
 */
void
hv_pump(struct xcd *x)
{
	static char out[32768];
	char stamp[LF_STAMP_MAX];

	if (!x->hv_on)
		return;
	for (int rounds = 0; rounds < 64; rounds++) {
		size_t room, stamplen, used, outlen;
		uint64_t lines = 0;
		struct timespec ts;

		if (x->hv_off == x->hv_len) {
			unsigned int n = sizeof(x->hv_raw);

			if (xc_readconsolering(x->xch, x->hv_raw, &n, 0, 1,
			    &x->hv_index) < 0) {
				log_warn("xc_readconsolering");
				return;
			}
			if (n == 0)
				return;
			x->hv_off = 0;
			x->hv_len = n;
		}
		room = XUD_MIN(lq_room(x->hvq), sizeof(out));
		clock_gettime(CLOCK_REALTIME, &ts);
		stamplen = lf_stamp(x->hvfmt.stamp, ts.tv_sec, ts.tv_nsec,
		    stamp);
		used = lf_fill(&x->hvfmt, x->hv_raw + x->hv_off,
		    x->hv_len - x->hv_off, stamp, stamplen, out, room, &outlen,
		    &lines);
		if (used == 0 || lq_put(x->hvq, out, outlen, 0, 0) < 0)
			return;		/* full: hv_progress resumes */
		x->hv_off += used;
	}
}

void
hv_progress(struct xcd *x)
{
	struct lq_state st;

	if (x->hvq == NULL)
		return;
	lq_state(x->hvq, &st);
	if (st.err != x->hv_err) {
		if (st.err)
			log_warnc(st.err, "cannot write %s", x->hvlog.path);
		x->hv_err = st.err;
	}
	hv_pump(x);
}

void
hv_status(struct xcd *x, FILE *f)
{
	struct lq_state st;
	char line[1024];

	if (x->hvq == NULL)
		return;
	lq_state(x->hvq, &st);
	snprintf(line, sizeof(line), "hypervisor: file=%s sink=%s queued=%zu",
	    x->hvlog.path, st.err ? strerror(-st.err) : st.busy_ms >= 1000 ?
	    "stalled" : "ok", st.queued);
	if (f)
		fprintf(f, "%s\n", line);
	else
		log_info("%s", line);
}

uint64_t
hv_stop_pending(struct xcd *x)
{
	struct lq_state st;

	if (x->hvq == NULL)
		return 0;
	lq_state(x->hvq, &st);
	return st.queued + !st.idle + (x->hv_len - x->hv_off);
}

static void
hv_on_virq(evtchn_port_t port, void *arg)
{
	hv_pump(arg);
}

int
hv_open(struct xcd *x)
{
	char path[XCD_PATH_MAX + 32];
	int r;

	x->xch = xc_interface_open(NULL, NULL, 0);
	if (x->xch == NULL)
		return errno ? -errno : -EACCES;
	snprintf(path, sizeof(path), "%s/hypervisor.log", x->set.log_dir);
	logfile_init(&x->hvlog, path, x->set.rotate_size, x->set.rotate_keep,
	    x->logs);
	lf_init(&x->hvfmt, x->set.timestamp == XCD_HV ||
	    x->set.timestamp == XCD_ALL ? x->set.timestamp_format + 1 :
	    LF_STAMP_NONE, x->set.replace_escape);
	logfile_opened_line(&x->hvlog, x->hvfmt.stamp);
	if ((r = logfile_open(&x->hvlog)) < 0)
		return r;
	if ((r = lq_new(x->pool, 65536, &hv_lq_ops, &x->hvlog, NULL,
	    !x->set.overflow_keep, &x->hvq)) < 0)
		return r;
	if ((r = evtchn_bind_virq(x->ev, VIRQ_CON_RING, hv_on_virq, x,
	    &x->hv_port)) < 0)
		return r;
	x->hv_on = 1;
	hv_pump(x);
	return 0;
}

void
hv_reopen(struct xcd *x)
{
	if (x->hvq)
		lq_reopen(x->hvq, NULL);
}

void
hv_close(struct xcd *x)
{
	if (x->hv_on)
		evtchn_unbind(x->ev, x->hv_port);
	/* The writers are done (or stuck, and then we leave it to them). */
	if (lq_free(x->hvq, 1) == 0) {
		x->hvq = NULL;
		logfile_close(&x->hvlog);
	}
	if (x->xch)
		xc_interface_close(x->xch);
	x->xch = NULL;
	x->hv_on = 0;
}
