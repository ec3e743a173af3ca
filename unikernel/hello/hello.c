/*
 * hello: the smallest useful unikernel. It prints a line, writes its
 * readiness key (data/ready) and the guest's own boot time (data/boot-us,
 * from its first hypercall, in Xen system time), then waits for the
 * toolstack: control/shutdown "poweroff"/"halt" or "reboot" stop it, so
 * `xl shutdown` and `xl reboot` work; "suspend" (`xl save`) suspends
 * it, and after `xl restore` it says so, counts the resumes in
 * data/resumed and writes data/ready again (the new domain's xenstore
 * area starts empty). With "crash" on its command line
 * it panics instead of getting ready; with "fault" it writes to an
 * unmapped address (the trap handler's panic).
 */
#include <stdint.h>
#include <string.h>

#include "cmdline.h"
#include "console.h"
#include "control.h"
#include "entry.h"
#include "fmt.h"
#include "heap.h"
#include "page.h"
#include "shutdown.h"
#include "clock.h"
#include "xs_client.h"

/*
 * After readiness, so that it costs the boot nothing: takes every free
 * page (page_alloc zeroes each, so every page the mapping walk counted is
 * written once) and gives them back, then exercises each malloc class.
 * Its result, data/pages, shows the lab the whole 4 MB was usable.
 */
static void
hello_check_memory(void)
{
	void **chain = NULL, **p;
	size_t n = 0;
	char val[24];

	while ((p = page_alloc()) != NULL) {
		*p = chain;
		chain = p;
		n++;
	}
	while (chain) {
		p = *chain;
		page_free(chain);
		chain = p;
	}
	if (page_free_count() != n)
		uk_panic("hello: %zu pages free after the check, not %zu",
			 page_free_count(), n);
	/* (size classes keep their pages once carved) */
	for (size_t sz = 1; sz <= 4080; sz = sz * 3 + 1) {
		unsigned char *m = uk_malloc(sz);

		if (m == NULL)
			uk_panic("hello: malloc(%zu) failed", sz);
		memset(m, 0x5a, sz);
		uk_free(m);
	}
	fmt_snprintf(val, sizeof(val), "%zu", n);
	xs_write(0, "data/pages", val);
}

static unsigned hello_resumes;

static void
hello_resumed(int cancelled, void *arg)
{
	char val[24];

	if (cancelled)
		return;
	hello_resumes++;
	fmt_snprintf(val, sizeof(val), "%u", hello_resumes);
	xs_write(0, "data/resumed", val);
	xs_write(0, "data/ready", "1");
	uk_printf("hello: resumed (%u), %zu pages free\n", hello_resumes,
		  page_free_count());
}

int
uk_main(const char *cmdline)
{
	uint64_t now, us;
	char val[24];
	int r;

	uk_printf("hello: xud unikernel running, %zu of %zu pages free, "
		  "cmdline '%s'\n", page_free_count(), page_total(), cmdline);
	if (cmdline_has(cmdline, "crash"))
		uk_panic("hello: crash requested on the command line");
	if (cmdline_has(cmdline, "fault"))	/* a bug, as the lab makes one */
		*(volatile int *)(1ul << 40) = 1;

	r = ctl_watch();
	if (r < 0)
		uk_panic("hello: cannot watch control/shutdown: error %d", -r);

	now = tm_now();
	/* Xen keeps pCPUs' clocks close, not exact: never report a wrap. */
	us = now > uk_boot_ns ? (now - uk_boot_ns) / 1000 : 0;
	fmt_snprintf(val, sizeof(val), "%lu", (unsigned long)us);
	xs_write(0, "data/boot-us", val);
	r = xs_write(0, "data/ready", "1");
	if (r < 0)
		uk_panic("hello: cannot write data/ready: error %d", -r);
	uk_printf("hello: ready %lu us after boot\n",
		  (unsigned long)us);
	/* Toolstacks that look for these before using control/shutdown do
	 * so later than this; they are not worth delaying readiness for. */
	ctl_features();
	ctl_on_resume(hello_resumed, NULL);
	hello_check_memory();
	ctl_serve("hello");
}
