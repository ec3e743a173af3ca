/*
 * entropy: at boot, fetches entropy from xentropyd over vchan (the
 * protocol and lib/ codec of xentropy-client) and says how many bytes
 * came and how long it took, in Xen system time. With no daemon it says
 * so within 1 s of its boot instead of waiting. Then, like hello, it
 * writes data/ready and obeys control/shutdown.
 *
 * After `xl restore` it fetches again: the saved image holds the bytes it
 * had, so whoever has the file (or restores it twice) knows them. A
 * restored domain is a new one to xentropyd, and is served as such.
 *
 * xenstore (under its home): data/entropy "<bytes> <us>" after a fetch,
 * "absent <ms>" or "error <errno> <ms>" otherwise; data/boot-us; data/ready;
 * data/resumed, the number of restores (each with its fetch done).
 * Command line: bytes=N (1..65536, default 4096).
 */
#include <errno.h>
#include <stdint.h>

#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "control.h"
#include "entry.h"
#include "fmt.h"
#include "num.h"
#include "page.h"
#include "shutdown.h"
#include "xent.h"
#include "xs_client.h"

#define ENTROPY_DEFAULT 4096
#define ENTROPY_MAX 65536
/*
 * How long after boot a missing presence key means no daemon: xentropyd
 * writes it when the domain appears, usually before we run, but it may
 * lose that race. Half the 1 s in which an absent daemon is reported.
 */
#define ENTROPY_ABSENT_BY (500 * TM_MS)
/* A daemon that is there gets this long to serve us. */
#define ENTROPY_TIMEOUT (10 * TM_S)

static uint8_t entropy_buf[ENTROPY_MAX];
static struct xent entropy_x;
static uint32_t entropy_bytes = ENTROPY_DEFAULT;
static unsigned entropy_resumes;

static unsigned long
entropy_us(uint64_t from, uint64_t to)
{
	/* Xen keeps pCPUs' clocks close, not exact: never report a wrap. */
	return to > from ? (unsigned long)((to - from) / 1000) : 0;
}

/* Every byte the same is no entropy, whatever the daemon says. */
static int
entropy_plausible(const uint8_t *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (p[i] != p[0])
			return 1;
	return n < 2;
}

/* since: the boot or the resume, from which the daemon's absence counts */
static void
entropy_fetch(size_t n, uint64_t since, const char *since_what)
{
	uint64_t t0 = tm_now(), t_open, t_done;
	size_t got = 0, pages = page_free_count();
	char val[48];
	int r;

	r = xent_open(&entropy_x, since + ENTROPY_ABSENT_BY,
		      t0 + ENTROPY_TIMEOUT);
	t_open = tm_now();
	if (r == -ENOENT) {
		uk_printf("entropy: no entropy daemon (checked %lu ms after "
			  "%s)\n", entropy_us(since, t_open) / 1000, since_what);
		fmt_snprintf(val, sizeof(val), "absent %lu",
			     entropy_us(since, t_open) / 1000);
		xs_write(0, "data/entropy", val);
		return;
	}
	if (r == 0) {
		r = xent_read(&entropy_x, entropy_buf, n, t0 + ENTROPY_TIMEOUT,
			      &got);
		xent_close(&entropy_x);
		/* Every page the ring was mapped over came back. */
		if (r == 0 && page_free_count() != pages)
			r = -EBUSY;
	}
	t_done = tm_now();
	if (r == 0 && !entropy_plausible(entropy_buf, got))
		r = -EPROTO;
	if (r < 0) {
		uk_printf("entropy: fetch failed, error %d, %zu bytes, after "
			  "%lu ms\n", -r, got, entropy_us(t0, t_done) / 1000);
		fmt_snprintf(val, sizeof(val), "error %d %lu", -r,
			     entropy_us(t0, t_done) / 1000);
		xs_write(0, "data/entropy", val);
		return;
	}
	uk_printf("entropy: %zu bytes from xentropyd (dom%u) in %lu us "
		  "(channel after %lu us, %u requests)\n", got,
		  (unsigned)entropy_x.server, entropy_us(t0, t_done),
		  entropy_us(t0, t_open), entropy_x.requests);
	fmt_snprintf(val, sizeof(val), "%zu %lu", got,
		     entropy_us(t0, t_done));
	xs_write(0, "data/entropy", val);
}

static void
entropy_resumed(int cancelled, void *arg)
{
	char val[24];

	(void)arg;
	if (cancelled)
		return;		/* the same domain runs on: nothing was copied */
	entropy_fetch(entropy_bytes, tm_now(), "resume");
	entropy_resumes++;
	fmt_snprintf(val, sizeof(val), "%u", entropy_resumes);
	xs_write(0, "data/resumed", val);
	xs_write(0, "data/ready", "1");
	uk_printf("entropy: resumed (%u)\n", entropy_resumes);
}

int
uk_main(const char *cmdline)
{
	char arg[16];
	uint32_t n = ENTROPY_DEFAULT;
	int r;

	uk_printf("entropy: xud unikernel running, cmdline '%s'\n", cmdline);
	r = cmdline_get(cmdline, "bytes", arg, sizeof(arg));
	if (r >= 0 && (num_parse_u32(arg, ENTROPY_MAX, &n) < 0 || n == 0))
		uk_panic("entropy: bad bytes=%s (1..%d)", arg, ENTROPY_MAX);
	r = ctl_watch();
	if (r < 0)
		uk_panic("entropy: cannot watch control/shutdown: error %d", -r);

	entropy_bytes = n;
	entropy_fetch(n, uk_boot_ns, "boot");

	fmt_snprintf(arg, sizeof(arg), "%lu", entropy_us(uk_boot_ns, tm_now()));
	xs_write(0, "data/boot-us", arg);
	r = xs_write(0, "data/ready", "1");
	if (r < 0)
		uk_panic("entropy: cannot write data/ready: error %d", -r);
	uk_printf("entropy: ready %s us after boot\n", arg);
	ctl_features();
	ctl_on_resume(entropy_resumed, NULL);
	ctl_serve("entropy");
}
