/* Console output through the shared ring and its event channel. */
#include <errno.h>
#include <stdarg.h>

#include "consring.h"
#include "console.h"
#include "evtchn.h"
#include "fmt.h"
#include "startinfo.h"
#include "clock.h"

static struct consring con_out;
static evtchn_port_t con_port;
static int con_ready;
static uint64_t con_patience = TM_S;

void
con_init(void)
{
	const start_info_t *si = si_get();

	consring_out(&con_out, si_mfn_to_virt(si->console.domU.mfn));
	con_port = si->console.domU.evtchn;
	con_ready = 1;
}

/*
 * Waits on the console port itself, not through tm_wait: the panic path
 * must work whatever state the rest of the runtime is in.
 */
static int
con_wait_room(uint64_t deadline)
{
	uint64_t now = tm_now();

	if (now >= deadline)
		return -ETIMEDOUT;
	ev_test_and_clear(con_port);
	if (consring_pending(&con_out) < (int)con_out.size)
		return 0;
	/* Polled in 10 ms steps: a backend may read without notifying. */
	ev_block_port(con_port, now + 10 * TM_MS < deadline ?
		      now + 10 * TM_MS : deadline);
	return 0;
}

void
con_set_patience(uint64_t ns)
{
	con_patience = ns;
}

int
con_write(const void *buf, size_t len)
{
	const char *p = buf;
	uint64_t deadline = con_patience ? tm_now() + con_patience : UINT64_MAX;

	if (!con_ready)
		return -ENOSYS;
	while (len) {
		int n = consring_write(&con_out, p, len);

		if (n < 0)
			return n;
		if (n > 0) {
			ev_send(con_port);
			p += n;
			len -= (size_t)n;
			if (con_patience)
				deadline = tm_now() + con_patience;
			continue;
		}
		if (con_wait_room(deadline) < 0)
			return -ETIMEDOUT;
	}
	return 0;
}

int
con_flush(uint64_t deadline)
{
	int n;

	if (!con_ready)
		return -ENOSYS;
	while ((n = consring_pending(&con_out)) > 0) {
		uint64_t now = tm_now();

		if (now >= deadline)
			return -ETIMEDOUT;
		ev_test_and_clear(con_port);
		if (consring_pending(&con_out) == 0)
			break;
		ev_block_port(con_port, now + 10 * TM_MS < deadline ?
			      now + 10 * TM_MS : deadline);
	}
	return n < 0 ? n : 0;
}

int
uk_printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	return con_write(line, (size_t)n);
}
