/*
 * A service's life, step by step: one boot for many queries, readiness,
 * the idle stop by each stop mode and the start that undoes it, boot
 * failures and timeouts, a query while stopping, a domain that goes away,
 * and adoption at restart.
 */
#include "config.h"

#include "check.h"
#include "lifecycle.h"

static struct lc_svc s;

static void
init(int mode)
{
	struct jc_service c = { .stop_mode = mode, .idle_ms = 1000,
		.boot_ms = 300 };

	lc_init(&s, &c);
}

static void
test_boot_idle_destroy(void)
{
	init(JC_STOP_DESTROY);
	CHECK_EQ(lc_dns_state(&s), JD_STOPPED);
	CHECK_EQ(lc_want(&s, 100), LC_CREATE);
	CHECK_EQ(lc_dns_state(&s), JD_BOOTING);
	CHECK_EQ(lc_want(&s, 110), LC_NONE);	/* one boot */
	CHECK_EQ(lc_want(&s, 120), LC_NONE);
	CHECK_EQ(s.boots, 1);
	lc_domain(&s, 7);
	CHECK_EQ(lc_tick(&s, 399), LC_NONE);
	lc_ready(&s, 250);
	CHECK_EQ(lc_dns_state(&s), JD_READY);
	CHECK_EQ(s.last_summon_ms, 150);
	CHECK_EQ(s.deadline, 1250);
	lc_used(&s, 900);	/* each answer pushes the idle time */
	CHECK_EQ(lc_tick(&s, 1250), LC_NONE);
	CHECK_EQ(lc_tick(&s, 1900), LC_DESTROY);
	CHECK_EQ(s.state, LC_STOPPING);
	CHECK_EQ(lc_dns_state(&s), JD_STOPPED);
	CHECK_EQ(lc_stopped(&s, LC_DESTROY, 2000), LC_NONE);
	CHECK_EQ(s.state, LC_STOPPED);
	CHECK(!s.has_domid);
	CHECK_EQ(lc_want(&s, 3000), LC_CREATE);
	CHECK_EQ(s.boots, 2);
}

static void
test_pause_and_suspend(void)
{
	init(JC_STOP_PAUSE);
	lc_want(&s, 0);
	lc_domain(&s, 9);
	lc_ready(&s, 10);
	CHECK_EQ(lc_tick(&s, 1010), LC_PAUSE);
	CHECK_EQ(lc_stopped(&s, LC_PAUSE, 1020), LC_NONE);
	CHECK_EQ(s.state, LC_PAUSED);
	CHECK(s.has_domid);
	CHECK_EQ(lc_want(&s, 2000), LC_UNPAUSE);
	CHECK(s.has_domid && s.domid == 9);	/* the same domain */
	lc_ready(&s, 2005);
	CHECK_EQ(s.last_summon_ms, 5);

	init(JC_STOP_SUSPEND);
	lc_want(&s, 0);
	lc_domain(&s, 10);
	lc_ready(&s, 10);
	CHECK_EQ(lc_tick(&s, 1010), LC_SAVE);
	CHECK_EQ(lc_stopped(&s, LC_SAVE, 1020), LC_NONE);
	CHECK_EQ(s.state, LC_SAVED);
	lc_gone(&s);	/* the saved domain is destroyed: still saved */
	CHECK_EQ(s.state, LC_SAVED);
	CHECK_EQ(lc_want(&s, 2000), LC_RESTORE);
	CHECK(!s.has_domid);

	/* at a restart, the save file alone: saved */
	init(JC_STOP_SUSPEND);
	lc_adopt_saved(&s);
	CHECK_EQ(s.state, LC_SAVED);
	CHECK_EQ(lc_want(&s, 100), LC_RESTORE);
	CHECK_EQ(s.boots, 1);

	/* shutdown: stopping until the guest is gone, then destroyed */
	init(JC_STOP_SHUTDOWN);
	lc_want(&s, 0);
	lc_domain(&s, 12);
	lc_ready(&s, 10);
	CHECK_EQ(lc_tick(&s, 1010), LC_SHUTDOWN);
	CHECK_EQ(lc_shut_down(&s), LC_NONE);	/* not asked yet */
	lc_shutdown_asked(&s, 1020);
	CHECK_EQ(s.state, LC_STOPPING);
	CHECK_EQ(lc_dns_state(&s), JD_STOPPED);
	CHECK_EQ(lc_shut_down(&s), LC_DESTROY);
	CHECK_EQ(lc_shut_down(&s), LC_NONE);	/* once */
	CHECK_EQ(lc_stopped(&s, LC_DESTROY, 1100), LC_NONE);
	CHECK_EQ(s.state, LC_STOPPED);
	/* a guest that ignores the request: destroyed after boot_ms */
	lc_want(&s, 2000);
	lc_ready(&s, 2010);
	CHECK_EQ(lc_tick(&s, 3010), LC_SHUTDOWN);
	lc_shutdown_asked(&s, 3020);
	CHECK_EQ(lc_tick(&s, 3319), LC_NONE);
	CHECK_EQ(lc_tick(&s, 3320), LC_DESTROY);
	CHECK_EQ(lc_tick(&s, 3400), LC_NONE);
	CHECK_EQ(lc_stopped(&s, LC_DESTROY, 3400), LC_NONE);
	CHECK_EQ(s.state, LC_STOPPED);
}

static void
test_failures(void)
{
	init(JC_STOP_PAUSE);
	/* the backend could not create anything */
	lc_want(&s, 0);
	CHECK_EQ(lc_failed(&s), LC_NONE);
	CHECK_EQ(s.state, LC_STOPPED);
	CHECK_EQ(s.failures, 1);
	/* a domain that does not get ready in time is destroyed, even with
	 * stop-mode pause */
	lc_want(&s, 1000);
	lc_domain(&s, 11);
	CHECK_EQ(lc_tick(&s, 1299), LC_NONE);
	CHECK_EQ(lc_tick(&s, 1300), LC_DESTROY);
	CHECK_EQ(s.boot_timeouts, 1);
	CHECK_EQ(s.failures, 2);
	CHECK_EQ(s.state, LC_STOPPING);
	lc_ready(&s, 1400);	/* too late: ignored */
	CHECK_EQ(s.state, LC_STOPPING);
	/* a query while it stops: started again once stopped */
	CHECK_EQ(lc_want(&s, 1500), LC_NONE);
	CHECK_EQ(lc_stopped(&s, LC_DESTROY, 1600), LC_CREATE);
	CHECK_EQ(s.state, LC_STARTING);
	CHECK_EQ(s.deadline, 1900);
	/* the domain dies by itself */
	lc_domain(&s, 12);
	lc_ready(&s, 1700);
	lc_gone(&s);
	CHECK_EQ(s.state, LC_STOPPED);
	CHECK_EQ(lc_tick(&s, 99999), LC_NONE);
	CHECK_EQ(lc_failed(&s), LC_NONE);	/* not starting: nothing */
}

static void
test_adopt(void)
{
	init(JC_STOP_DESTROY);
	lc_adopt(&s, 5, false, 100);
	CHECK_EQ(s.state, LC_READY);
	CHECK_EQ(s.boots, 0);
	CHECK_EQ(lc_want(&s, 200), LC_NONE);	/* not booted again */
	CHECK_EQ(s.deadline, 1100);
	init(JC_STOP_PAUSE);
	lc_adopt(&s, 6, true, 100);
	CHECK_EQ(lc_want(&s, 200), LC_UNPAUSE);
	/* no idle timeout: never stopped */
	init(JC_STOP_DESTROY);
	s.idle_ms = 0;
	lc_want(&s, 0);
	lc_ready(&s, 1);
	CHECK_EQ(s.deadline, LC_NEVER);
	CHECK_EQ(lc_tick(&s, UINT64_MAX - 1), LC_NONE);
	CHECK_STR(lc_state_name(LC_SAVED), "saved");
}

int
main(void)
{
	test_boot_idle_destroy();
	test_pause_and_suspend();
	test_failures();
	test_adopt();
	return CHECK_DONE();
}
