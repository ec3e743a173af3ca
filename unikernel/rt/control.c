/* control/shutdown, acknowledged and obeyed. */
#include <string.h>

#include "console.h"
#include "control.h"
#include "shutdown.h"
#include "xs_client.h"

#define CTL_NODE "control/shutdown"
#define CTL_TOKEN "ctl-shutdown"

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
