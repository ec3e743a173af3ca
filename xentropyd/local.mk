# xentropyd: entropy for guests over vchan (issue 3).
sbin_PROGRAMS += xentropyd/xentropyd
xentropyd_xentropyd_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
xentropyd_xentropyd_SOURCES = xentropyd/xentropyd.c \
	xentropyd/guest.c xentropyd/guest.h \
	xentropyd/status.c xentropyd/status.h \
	xentropyd/chan.c xentropyd/chan.h \
	xentropyd/vchan417.c xentropyd/vchan417.h \
	xentropyd/vring.c xentropyd/vring.h \
	xentropyd/entropy.c xentropyd/entropy.h xentropyd/counts.h \
	xentropyd/legacy.c xentropyd/legacy.h \
	xentropyd/legacy-proto.c xentropyd/legacy-proto.h \
	xentropyd/policy.c xentropyd/policy.h
xentropyd_xentropyd_LDADD = $(XUD_LIBS)
dist_man_MANS += man/xentropyd.8 man/xentropy-protocol.7 man/xentropyd.conf.5
unit_files += units/xentropyd.service.in

# Unit tests: the codec, and the policy (config, serving, grants).
xentropy_unit_tests = tests/unit/test-xentropy-proto \
	tests/unit/test-xentropy-policy tests/unit/test-xentropy-legacy \
	tests/unit/test-xentropy-vring
check_PROGRAMS += $(xentropy_unit_tests)
TESTS += $(xentropy_unit_tests)
tests_unit_test_xentropy_proto_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/xentropyd
tests_unit_test_xentropy_proto_LDADD = $(XUD_LIBS)
tests_unit_test_xentropy_policy_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/xentropyd
tests_unit_test_xentropy_policy_SOURCES = tests/unit/test-xentropy-policy.c \
	xentropyd/policy.c xentropyd/policy.h
tests_unit_test_xentropy_policy_LDADD = $(XUD_LIBS)
tests_unit_test_xentropy_vring_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/xentropyd
tests_unit_test_xentropy_vring_SOURCES = \
	tests/unit/test-xentropy-vring.c xentropyd/vring.c \
	xentropyd/vring.h
tests_unit_test_xentropy_vring_LDADD = $(XUD_LIBS)
tests_unit_test_xentropy_legacy_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/xentropyd
tests_unit_test_xentropy_legacy_SOURCES = tests/unit/test-xentropy-legacy.c \
	xentropyd/legacy-proto.c xentropyd/legacy-proto.h
tests_unit_test_xentropy_legacy_LDADD = $(XUD_LIBS)

# The lab: its dom0 helper and the bench's reader, in dom0's /xenlab/bin.
xentropyd_dom0_progs = tests/guest/xentropy-bench
