/* control/shutdown, acknowledged and obeyed. */
#include <string.h>

#include "console.h"
#include "control.h"
#include "shutdown.h"
#include "suspend.h"
#include "xs_client.h"

#define CTL_NODE "control/shutdown"
#define CTL_TOKEN "ctl-shutdown"

static ctl_resume_fn *ctl_resume;
static void *ctl_resume_arg;

void
ctl_on_resume(ctl_resume_fn *fn, void *arg)
{
	ctl_resume = fn;
	ctl_resume_arg = arg;
}

int
ctl_watch(void)
{
	return xs_watch(CTL_NODE, CTL_TOKEN);
}

void
ctl_features(void)
{
	xs_write(0, "control/feature-poweroff", "1");
	xs_write(0, "control/feature-reboot", "1");
}

static void
ctl_suspend(const char *who)
{
	int r;

	uk_printf("%s: suspending\n", who);
	r = uk_suspend();
	if (r < 0)
		uk_panic("%s: cannot resume: error %d", who, -r);
	/* A restored domain's xenstore connection has no watch. */
	if (r == 0 && (r = ctl_watch()) < 0)
		uk_panic("%s: cannot watch control/shutdown after resume: "
			 "error %d", who, -r);
	uk_printf("%s: %s\n", who, r == 1 ? "suspend cancelled" : "resumed");
	if (ctl_resume)
		ctl_resume(r == 1, ctl_resume_arg);
}

static void
ctl_check(const char *who)
{
	char val[32];
	int r = xs_read(0, CTL_NODE, val, sizeof(val));

	if (r <= 0)
		return;		/* the watch's first event, or our own reset */
	/* Acknowledge, as the toolstack expects of a PV guest. */
	xs_write(0, CTL_NODE, "");
	if (strcmp(val, "poweroff") == 0 || strcmp(val, "halt") == 0) {
		uk_printf("%s: powering off\n", who);
		uk_poweroff();
	}
	if (strcmp(val, "reboot") == 0) {
		uk_printf("%s: rebooting\n", who);
		uk_reboot();
	}
	if (strcmp(val, "suspend") == 0) {
		ctl_suspend(who);
		return;
	}
	uk_printf("%s: ignoring control/shutdown '%s'\n", who, val);
}

void
ctl_serve(const char *who)
{
	char path[64];

	for (;;)
		if (xs_watch_take(CTL_TOKEN, path, sizeof(path), 0) == 0)
			ctl_check(who);
}
