# tests/guest/: test programs that run inside the lab's Linux guests:
# hostile frontends, a bench reader, the legacy MirageOS client and a
# userspace frontend for lib/xenbus_be. Static, without sanitizers; built
# by make check so that they always compile.
tests_guest_progs = tests/guest/xud-fetest tests/guest/xentropy-hostile \
	tests/guest/xentropy-bench tests/guest/xentropy-legacy \
	tests/guest/xcd-hostile
check_PROGRAMS += $(tests_guest_progs)
tests_guest_xud_fetest_CFLAGS = $(XUD_GUEST_CFLAGS)
tests_guest_xud_fetest_LDFLAGS = $(XUD_GUEST_STATIC)
tests_guest_xud_fetest_LDADD = $(XUD_GUEST_LIBS)
tests_guest_xentropy_hostile_CFLAGS = $(XUD_GUEST_CFLAGS)
tests_guest_xentropy_hostile_LDFLAGS = $(XUD_GUEST_STATIC)
tests_guest_xentropy_hostile_LDADD = $(XUD_GUEST_LIBS)
tests_guest_xentropy_bench_CFLAGS = $(XUD_GUEST_CFLAGS)
tests_guest_xentropy_bench_LDFLAGS = $(XUD_GUEST_STATIC)
tests_guest_xentropy_bench_LDADD = $(XUD_GUEST_LIBS)
# It needs only the handshake's constants (xentropyd/legacy-proto.h).
tests_guest_xentropy_legacy_CFLAGS = $(XUD_GUEST_CFLAGS) \
	-I$(top_srcdir)/xentropyd
tests_guest_xentropy_legacy_LDFLAGS = $(XUD_GUEST_STATIC)
tests_guest_xentropy_legacy_LDADD = $(XUD_GUEST_LIBS)
# A hostile secondary console's frontend, from a guest's userspace.
tests_guest_xcd_hostile_CFLAGS = $(XUD_GUEST_CFLAGS)
tests_guest_xcd_hostile_LDFLAGS = $(XUD_GUEST_STATIC)
tests_guest_xcd_hostile_LDADD = $(XUD_GUEST_LIBS)
