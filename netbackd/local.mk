sbin_PROGRAMS += netbackd/netbackd
netbackd_netbackd_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
netbackd_netbackd_SOURCES = netbackd/netbackd.c netbackd/netbackd.h \
	netbackd/settings.c netbackd/settings.h \
	netbackd/scan.c netbackd/scan.h \
	netbackd/vif.c netbackd/vif.h \
	netbackd/fekeys.c netbackd/fekeys.h \
	netbackd/credit.c netbackd/credit.h \
	netbackd/queue.c netbackd/queue.h netbackd/counters.h \
	netbackd/qthread.c netbackd/qthread.h \
	netbackd/irqcpu.c netbackd/irqcpu.h \
	netbackd/ratebox.c netbackd/ratebox.h \
	netbackd/copier.c netbackd/copier.h \
	netbackd/tap.c netbackd/tap.h \
	netbackd/vnethdr.c netbackd/vnethdr.h \
	netbackd/spoof.c netbackd/spoof.h \
	netbackd/status.c netbackd/status.h
# evthread_use_pthreads: the queues' threads (qthread.c)
netbackd_netbackd_LDADD = $(XUD_LIBS) -levent_pthreads -lpthread
dist_man_MANS += man/netbackd.8
unit_files += units/netbackd.service.in

# The lab: a guest role that brings eth0 up and pings (netbackd-*.sh).
netbackd_guest_roles = netbackd/lab/nb-net netbackd/lab/nb-hostile-role \
	netbackd/lab/nb-driver
EXTRA_DIST += $(netbackd_guest_roles)
netbackd_dom0_progs = netbackd/lab/nb-lab.sh
# A hostile netfront from a guest's userspace (netbackd-hostile.sh).
check_PROGRAMS += netbackd/lab/nb-hostile
netbackd_lab_nb_hostile_SOURCES = netbackd/lab/nb-hostile.c
netbackd_lab_nb_hostile_CFLAGS = $(WARN_CFLAGS) $(XUD_CFLAGS)
netbackd_lab_nb_hostile_LDFLAGS = -static
netbackd_lab_nb_hostile_LDADD = $(xenlab_static_libs)
netbackd_guest_progs = netbackd/lab/nb-hostile
EXTRA_DIST += $(netbackd_dom0_progs)

# Unit tests of netbackd's pure parts.
netbackd_unit_tests = tests/unit/test-netbackd-vnethdr \
	tests/unit/test-netbackd-copier tests/unit/test-netbackd-tap \
	tests/unit/test-netbackd-spoof tests/unit/test-netbackd-fekeys \
	tests/unit/test-netbackd-credit tests/unit/test-netbackd-settings \
	tests/unit/test-netbackd-counters tests/unit/test-netbackd-qthread \
	tests/unit/test-netbackd-irqcpu
check_PROGRAMS += $(netbackd_unit_tests)
TESTS += $(netbackd_unit_tests)
tests_unit_test_netbackd_vnethdr_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_vnethdr_SOURCES = \
	tests/unit/test-netbackd-vnethdr.c netbackd/vnethdr.c netbackd/vnethdr.h
tests_unit_test_netbackd_vnethdr_LDADD = $(XUD_LIBS)
tests_unit_test_netbackd_copier_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_copier_SOURCES = \
	tests/unit/test-netbackd-copier.c netbackd/copier.c netbackd/copier.h
tests_unit_test_netbackd_copier_LDADD = $(XUD_LIBS)
tests_unit_test_netbackd_tap_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_tap_SOURCES = \
	tests/unit/test-netbackd-tap.c netbackd/tap.c netbackd/tap.h
tests_unit_test_netbackd_tap_LDADD = $(XUD_LIBS)
tests_unit_test_netbackd_spoof_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_spoof_SOURCES = \
	tests/unit/test-netbackd-spoof.c netbackd/spoof.c netbackd/spoof.h
tests_unit_test_netbackd_spoof_LDADD = $(XUD_LIBS)
tests_unit_test_netbackd_fekeys_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_fekeys_SOURCES = \
	tests/unit/test-netbackd-fekeys.c netbackd/fekeys.c netbackd/fekeys.h
tests_unit_test_netbackd_fekeys_LDADD = $(XUD_LIBS)
tests_unit_test_netbackd_credit_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_credit_SOURCES = \
	tests/unit/test-netbackd-credit.c netbackd/credit.c netbackd/credit.h
tests_unit_test_netbackd_credit_LDADD = $(XUD_LIBS)
tests_unit_test_netbackd_settings_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_settings_SOURCES = \
	tests/unit/test-netbackd-settings.c netbackd/settings.c \
	netbackd/settings.h
tests_unit_test_netbackd_settings_LDADD = $(XUD_LIBS)
tests_unit_test_netbackd_counters_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_counters_SOURCES = \
	tests/unit/test-netbackd-counters.c netbackd/counters.h
tests_unit_test_netbackd_counters_LDADD = $(XUD_LIBS) -lpthread
tests_unit_test_netbackd_qthread_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_qthread_SOURCES = \
	tests/unit/test-netbackd-qthread.c netbackd/qthread.c \
	netbackd/qthread.h netbackd/ratebox.c netbackd/ratebox.h \
	netbackd/credit.c netbackd/credit.h
tests_unit_test_netbackd_qthread_LDADD = $(XUD_LIBS) -levent_pthreads \
	-lpthread
tests_unit_test_netbackd_irqcpu_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_irqcpu_SOURCES = \
	tests/unit/test-netbackd-irqcpu.c netbackd/irqcpu.c netbackd/irqcpu.h
tests_unit_test_netbackd_irqcpu_LDADD = $(XUD_LIBS)
