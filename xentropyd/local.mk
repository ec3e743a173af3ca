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

# The protocol codec is pure: in lib/libxud.a and lib/libxudguest.a both.
lib_shared_sources += xentropyd/proto.c xentropyd/proto.h

# Guest side: the client library and xentropy-client, a static program for
# Linux guests (it runs from an initramfs).
bin_PROGRAMS += xentropyd/xentropy-client
xentropyd_xentropy_client_CFLAGS = $(XUD_GUEST_CFLAGS) -I$(top_srcdir)/lib
xentropyd_xentropy_client_SOURCES = xentropyd/xentropy-client.c \
	xentropyd/client.c xentropyd/client.h
xentropyd_xentropy_client_LDFLAGS = $(XUD_GUEST_STATIC)
xentropyd_xentropy_client_LDADD = $(XUD_GUEST_LIBS)

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

# The lab (tests/xenlab): guest programs, a dom0 helper for the cases.
xentropyd_guest_progs = xentropyd/xentropy-client xentropyd/xentropy-hostile \
	xentropyd/xentropy-bench xentropyd/xentropy-legacy
xentropyd_dom0_progs = xentropyd/xentropyd-lab.sh xentropyd/xentropy-bench
EXTRA_DIST += xentropyd/xentropyd-lab.sh
check_PROGRAMS += xentropyd/xentropy-hostile xentropyd/xentropy-bench \
	xentropyd/xentropy-legacy
xentropyd_xentropy_legacy_CFLAGS = $(XUD_GUEST_CFLAGS) -I$(top_srcdir)/lib
xentropyd_xentropy_legacy_SOURCES = xentropyd/xentropy-legacy.c \
	xentropyd/legacy-proto.h
xentropyd_xentropy_legacy_LDFLAGS = $(XUD_GUEST_STATIC)
xentropyd_xentropy_legacy_LDADD = $(XUD_GUEST_LIBS)
xentropyd_xentropy_hostile_CFLAGS = $(XUD_GUEST_CFLAGS) -I$(top_srcdir)/lib
xentropyd_xentropy_hostile_SOURCES = xentropyd/xentropy-hostile.c \
	xentropyd/client.c xentropyd/client.h
xentropyd_xentropy_hostile_LDFLAGS = $(XUD_GUEST_STATIC)
xentropyd_xentropy_hostile_LDADD = $(XUD_GUEST_LIBS)
xentropyd_xentropy_bench_CFLAGS = $(XUD_GUEST_CFLAGS) -I$(top_srcdir)/lib
xentropyd_xentropy_bench_SOURCES = xentropyd/xentropy-bench.c \
	xentropyd/client.c xentropyd/client.h
xentropyd_xentropy_bench_LDFLAGS = $(XUD_GUEST_STATIC)
xentropyd_xentropy_bench_LDADD = $(XUD_GUEST_LIBS)
