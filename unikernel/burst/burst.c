/*
 * burst: bench/xenconsoled's console writer. A Linux guest's console
 * path (tty, hvc_xen) writes only so fast under the lab's emulation, and
 * a daemon that keeps up with it measures the guest; this one writes
 * straight into its ring, so the daemon's reading is what the time says.
 *
 * Command line: tag=T lines=N [now]. After its boot lines it writes
 * data/made, waits for data/go (not with "now"), then writes N lines "T <8 digits> ....", 64 bytes
 * each, one console write (and so one notification) per line, as a
 * guest's logger would, and "T end", and writes data/ready. A full ring
 * waits for the backend, up to a minute. The lab's scale case runs it by the hundred.
 */
#include <stdint.h>
#include <string.h>

#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "entry.h"
#include "fmt.h"
#include "num.h"
#include "shutdown.h"
#include "xs_client.h"

#define LINE 64

/* Waits until data/go exists (the watch fires once at once, too). */
static void
wait_go(void)
{
	char path[64], token[8], val[8];
	int r;

	if ((r = xs_watch("data/go", "go")) < 0)
		uk_panic("burst: cannot watch data/go: error %d", -r);
	while (xs_read(0, "data/go", val, sizeof(val)) < 0)
		xs_watch_wait(path, sizeof(path), token, sizeof(token), 0);
	xs_unwatch("data/go", "go");
}

int
uk_main(const char *cmdline)
{
	char tag[16], val[24], line[LINE + 1];
	unsigned long lines, i;
	uint32_t n32;
	size_t n;
	int r;

	/* a loaded dom0 (a hundred of us booting) may not read for a while */
	con_set_patience(60 * TM_S);
	if (cmdline_get(cmdline, "tag", tag, sizeof(tag)) <= 0)
		memcpy(tag, "BURST", sizeof("BURST"));
	lines = 1000;
	if (cmdline_get(cmdline, "lines", val, sizeof(val)) > 0) {
		if (num_parse_u32(val, UINT32_MAX, &n32) < 0)
			uk_panic("burst: bad lines= on the command line");
		lines = n32;
	}
	uk_printf("burst: %lu lines of %d bytes tagged %s after data/go\n",
		  lines, LINE, tag);
	xs_write(0, "data/made", "1");
	if (!cmdline_has(cmdline, "now"))
		wait_go();
	for (i = 1; i <= lines; i++) {
		n = (size_t)fmt_snprintf(line, sizeof(line), "%s %08lu ", tag,
					 i);
		if (n >= LINE)
			uk_panic("burst: tag '%s' too long", tag);
		memset(line + n, '.', LINE - 1 - n);
		line[LINE - 1] = '\n';
		if ((r = con_write(line, LINE)) < 0)
			uk_panic("burst: line %lu not written: error %d", i, -r);
	}
	uk_printf("%s end\n", tag);
	xs_write(0, "data/ready", "1");
	for (;;)
		tm_wait(NULL, NULL, 0);
}
