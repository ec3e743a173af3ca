sbin_PROGRAMS += netbackd/netbackd
netbackd_netbackd_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
netbackd_netbackd_SOURCES = netbackd/netbackd.c netbackd/netbackd.h \
	netbackd/scan.c netbackd/scan.h \
	netbackd/vif.c netbackd/vif.h \
	netbackd/queue.c netbackd/queue.h netbackd/counters.h \
	netbackd/copier.c netbackd/copier.h \
	netbackd/tap.c netbackd/tap.h \
	netbackd/vnethdr.c netbackd/vnethdr.h \
	netbackd/status.c netbackd/status.h
netbackd_netbackd_LDADD = $(XUD_LIBS)
dist_man_MANS += man/netbackd.8
unit_files += units/netbackd.service.in

# Unit tests of netbackd's pure parts.
netbackd_unit_tests = tests/unit/test-netbackd-vnethdr
check_PROGRAMS += $(netbackd_unit_tests)
TESTS += $(netbackd_unit_tests)
tests_unit_test_netbackd_vnethdr_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/netbackd -I$(top_srcdir)/tests/unit
tests_unit_test_netbackd_vnethdr_SOURCES = \
	tests/unit/test-netbackd-vnethdr.c netbackd/vnethdr.c netbackd/vnethdr.h
tests_unit_test_netbackd_vnethdr_LDADD = $(XUD_LIBS)
