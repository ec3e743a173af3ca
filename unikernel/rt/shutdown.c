/* SCHEDOP_shutdown, and the panic that precedes a crash. */
#include <stdarg.h>

#include "console.h"
#include "fmt.h"
#include "hypercall.h"
#include "shutdown.h"
#include "clock.h"

static void __attribute__((noreturn))
uk_shutdown(unsigned reason)
{
	struct sched_shutdown op = { .reason = reason };

	/* Whatever is still in the console ring should reach the log. */
	con_flush(tm_now() + TM_S);
	for (;;) {
		hc_sched_op(SCHEDOP_shutdown, &op);
		/* Only a suspend returns; anything else means Xen refused:
		 * crash, which it never refuses. */
		op.reason = SHUTDOWN_crash;
	}
}

void
uk_poweroff(void)
{
	uk_shutdown(SHUTDOWN_poweroff);
}

void
uk_reboot(void)
{
	uk_shutdown(SHUTDOWN_reboot);
}

void
uk_panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uk_printf("PANIC: %s\n", msg);
	uk_shutdown(SHUTDOWN_crash);
}
