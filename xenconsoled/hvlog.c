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
#include "loop.h"
#include "xenconsoled.h"

#define HV_CHUNK 16384

void
hv_pump(struct xcd *x)
{
	static char buf[HV_CHUNK];
	char stamp[LF_STAMP_MAX], out[LF_STAMP_MAX + HV_CHUNK];

	if (!x->hv_on)
		return;
	for (int rounds = 0; rounds < 64; rounds++) {
		unsigned int n = sizeof(buf);
		struct timespec ts;
		size_t done = 0, stamplen;

		if (xc_readconsolering(x->xch, buf, &n, 0, 1,
		    &x->hv_index) < 0) {
			log_warn("xc_readconsolering");
			return;
		}
		if (n == 0)
			return;
		clock_gettime(CLOCK_REALTIME, &ts);
		stamplen = lf_stamp(x->hvfmt.stamp, ts.tv_sec, ts.tv_nsec,
		    stamp);
		while (done < n) {
			int bol = x->hvfmt.at_bol;
			size_t outlen;

			done += lf_segment(&x->hvfmt, buf + done, n - done,
			    stamp, stamplen, out, &outlen);
			if (logfile_write(&x->hvlog, out, outlen, bol) < 0)
				break;	/* Xen's own ring keeps it */
		}
	}
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
	logfile_init(&x->hvlog, path, x->set.rotate_size, x->set.rotate_keep);
	lf_init(&x->hvfmt, x->set.timestamp == XCD_HV ||
	    x->set.timestamp == XCD_ALL ? x->set.timestamp_format + 1 :
	    LF_STAMP_NONE, 0);
	if ((r = logfile_open(&x->hvlog)) < 0)
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
	if (x->hv_on)
		logfile_reopen(&x->hvlog);
}

void
hv_close(struct xcd *x)
{
	if (x->hv_on) {
		hv_pump(x);
		evtchn_unbind(x->ev, x->hv_port);
	}
	logfile_close(&x->hvlog);
	if (x->xch)
		xc_interface_close(x->xch);
	x->xch = NULL;
	x->hv_on = 0;
}
