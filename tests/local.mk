# Unit tests (one per lib/ module) and golden config tests.
unit_tests = tests/unit/test-ratelimit tests/unit/test-conf \
	tests/unit/test-domains tests/unit/test-xenbus-be \
	tests/unit/test-loop tests/unit/test-log tests/unit/test-ctl \
	tests/unit/test-evtchn tests/unit/test-logsock \
	tests/unit/test-domlog tests/unit/test-pvcons tests/unit/test-daemon \
	tests/unit/test-skel tests/unit/test-gcopy
check_PROGRAMS += $(unit_tests) tests/unit/conf-dump \
	tests/unit/test-daemon-helper
TESTS += $(unit_tests) tests/conf-golden.sh
dist_noinst_SCRIPTS += tests/conf-golden.sh
EXTRA_DIST += tests/unit/check.h tests/unit/capture.h tests/conf
TESTS_ENVIRONMENT = srcdir='$(srcdir)'; export srcdir;

UNIT_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
UNIT_LDADD = $(XUD_LIBS)
tests_unit_test_gcopy_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_gcopy_LDADD = $(UNIT_LDADD)
tests_unit_test_ratelimit_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ratelimit_LDADD = $(UNIT_LDADD)
tests_unit_test_conf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_conf_LDADD = $(UNIT_LDADD)
tests_unit_test_domains_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_domains_LDADD = $(UNIT_LDADD)
tests_unit_test_xenbus_be_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_xenbus_be_LDADD = $(UNIT_LDADD)
tests_unit_conf_dump_CFLAGS = $(UNIT_CFLAGS)
tests_unit_conf_dump_LDADD = $(UNIT_LDADD)
tests_unit_test_loop_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_loop_LDADD = $(UNIT_LDADD)
tests_unit_test_log_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_log_LDADD = $(UNIT_LDADD)
tests_unit_test_ctl_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ctl_LDADD = $(UNIT_LDADD)
# link a fake xenevtchn (fake-evtchn.c), which lib/evtchn.o binds to first
tests_unit_test_evtchn_SOURCES = tests/unit/test-evtchn.c tests/unit/fake-evtchn.c \
	tests/unit/fake-evtchn.h
tests_unit_test_evtchn_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_evtchn_LDADD = $(UNIT_LDADD)
tests_unit_test_logsock_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_logsock_LDADD = $(UNIT_LDADD)
tests_unit_test_domlog_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_domlog_LDADD = $(UNIT_LDADD)
# and fake gnttab and foreignmemory drivers of its own
tests_unit_test_pvcons_SOURCES = tests/unit/test-pvcons.c tests/unit/fake-evtchn.c \
	tests/unit/fake-evtchn.h
tests_unit_test_pvcons_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pvcons_LDADD = $(UNIT_LDADD)
tests_unit_test_daemon_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_daemon_LDADD = $(UNIT_LDADD)
tests_unit_test_skel_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_skel_LDADD = $(UNIT_LDADD)
# the daemon that test-daemon starts
tests_unit_test_daemon_helper_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_daemon_helper_LDADD = $(UNIT_LDADD)

# dom0 test tools for the lab's cases (not installed).
noinst_PROGRAMS += tests/tools/xud-domwatch
tests_tools_xud_domwatch_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
tests_tools_xud_domwatch_LDADD = $(XUD_LIBS)
tests_dom0_progs = tests/tools/xud-domwatch tests/tools/xud-betest
noinst_PROGRAMS += tests/tools/xud-betest
tests_tools_xud_betest_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
tests_tools_xud_betest_LDADD = $(XUD_LIBS)

# the netif ring engines (netbackd's data path)
unit_tests += tests/unit/test-netring
tests_unit_test_netring_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_netring_LDADD = $(UNIT_LDADD)

# the xenbus states (lib/xbstate.c)
unit_tests += tests/unit/test-xbstate
tests_unit_test_xbstate_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_xbstate_LDADD = $(UNIT_LDADD)
