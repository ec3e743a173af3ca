/* SCHEDOP_shutdown(SHUTDOWN_suspend), and the runtime put back after it. */
#include "clock.h"
#include "console.h"
#include "evtchn.h"
#include "gnttab.h"
#include "hypercall.h"
#include "startinfo.h"
#include "suspend.h"
#include "xs_client.h"

int
uk_suspend(void)
{
	struct sched_shutdown op = { .reason = SHUTDOWN_suspend };
	xen_pfn_t si_mfn;
	long ret;
	int r;

	/* What was said before the suspend is read before it. */
	con_flush(tm_now() + TM_S);
	gnttab_suspend();
	si_mfn = si_suspend();
	/* No clock, no events from here to si_resume: shared_info is gone.
	 * start_info's MFN goes in the third argument (rdx). */
	ret = hc_op3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &op, si_mfn);
	si_resume(ret != 0);
	/* A new vCPU runs the 10 ms periodic timer again. */
	tm_init();
	if (ret != 0) {
		r = gnttab_resume(1);
		if (r < 0)
			return r;
		return ret < 0 ? (int)ret : 1;
	}
	ev_reset();
	con_init();
	r = xs_resume();
	if (r < 0)
		return r;
	return gnttab_resume(0);
}
