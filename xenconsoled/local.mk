# xenconsoled: a drop-in replacement for Xen's console daemon. A
# console's files are listed, top to bottom, in xenconsoled/console.h.
sbin_PROGRAMS += xenconsoled/xenconsoled
xenconsoled_xenconsoled_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
xenconsoled_xenconsoled_SOURCES = xenconsoled/xenconsoled.c \
	xenconsoled/xenconsoled.h xenconsoled/args.c xenconsoled/args.h \
	xenconsoled/console.h \
	xenconsoled/table.c xenconsoled/status.c xenconsoled/secondary.c \
	xenconsoled/attach.c xenconsoled/console.c xenconsoled/pump.c \
	xenconsoled/sink.c xenconsoled/pty.c xenconsoled/ring.c \
	xenconsoled/hvlog.c \
	xenconsoled/logfile.c xenconsoled/linefmt.c xenconsoled/linefmt.h \
	xenconsoled/logqueue.c xenconsoled/logqueue.h
xenconsoled_xenconsoled_LDADD = $(XUD_LIBS) -lutil -lpthread
dist_man_MANS += man/xenconsoled.8 man/xenconsoled.conf.5
unit_files += units/xenconsoled.service.in

# The console ring core is pure and shared (xentropyd's legacy mode).
lib_libxud_a_SOURCES += lib/consring.c lib/consring.h

# Unit tests.
xcd_unit_tests = tests/unit/test-consring tests/unit/test-linefmt \
	tests/unit/test-logfile tests/unit/test-logfile-queue \
	tests/unit/test-pump tests/unit/test-xcd-args
check_PROGRAMS += $(xcd_unit_tests)
TESTS += $(xcd_unit_tests)
tests_unit_test_consring_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
tests_unit_test_consring_LDADD = $(XUD_LIBS) -lpthread
tests_unit_test_linefmt_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) -I$(top_srcdir)/xenconsoled
tests_unit_test_linefmt_SOURCES = tests/unit/test-linefmt.c xenconsoled/linefmt.c
tests_unit_test_linefmt_LDADD = $(XUD_LIBS)
tests_unit_test_logfile_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) -I$(top_srcdir)/xenconsoled
tests_unit_test_logfile_SOURCES = tests/unit/test-logfile.c xenconsoled/logfile.c
tests_unit_test_logfile_LDADD = $(XUD_LIBS) -lpthread
tests_unit_test_logfile_queue_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/xenconsoled
tests_unit_test_logfile_queue_SOURCES = tests/unit/test-logfile-queue.c \
	xenconsoled/logqueue.c xenconsoled/logqueue.h xenconsoled/logfile.c
tests_unit_test_logfile_queue_LDADD = $(XUD_LIBS) -lpthread
# The pump in memory, with fakes of what it calls below it.
tests_unit_test_pump_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/xenconsoled
tests_unit_test_pump_SOURCES = tests/unit/test-pump.c xenconsoled/pump.c \
	xenconsoled/pty.c xenconsoled/console.h
tests_unit_test_pump_LDADD = $(XUD_LIBS) -lutil
tests_unit_test_xcd_args_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/xenconsoled
tests_unit_test_xcd_args_SOURCES = tests/unit/test-xcd-args.c \
	xenconsoled/args.c xenconsoled/args.h
tests_unit_test_xcd_args_LDADD = $(XUD_LIBS)

# libFuzzer: "make fuzz-xenconsoled" builds tests/fuzz/fuzz-consring;
# run it with e.g. "tests/fuzz/fuzz-consring -max_total_time=60".
FUZZ_XCD_SRCS = $(top_srcdir)/tests/unit/fuzz-consring.c \
	$(top_srcdir)/lib/consring.c $(top_srcdir)/xenconsoled/linefmt.c
EXTRA_DIST += tests/unit/fuzz-consring.c
fuzz-xenconsoled: tests/unit/fuzz-consring
tests/unit/fuzz-consring: $(FUZZ_XCD_SRCS)
	$(AM_V_CC)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-I$(top_builddir) -I$(top_srcdir)/lib \
		-I$(top_srcdir)/xenconsoled -o $@ $(FUZZ_XCD_SRCS)
fuzz: fuzz-xenconsoled
.PHONY: fuzz fuzz-xenconsoled
CLEANFILES += tests/unit/fuzz-consring

# The lab (tests/xenlab): cases, guest roles and the cases' shared steps.
xenconsoled_lab_cases = tests/xenlab/cases/xenconsoled-lines.sh \
	tests/xenlab/cases/xenconsoled-crash.sh \
	tests/xenlab/cases/xenconsoled-destroy.sh \
	tests/xenlab/cases/xenconsoled-restart.sh \
	tests/xenlab/cases/xenconsoled-console.sh \
	tests/xenlab/cases/xenconsoled-partial.sh \
	tests/xenlab/cases/xenconsoled-rotate.sh \
	tests/xenlab/cases/xenconsoled-syslog.sh \
	tests/xenlab/cases/xenconsoled-flood.sh \
	tests/xenlab/cases/xenconsoled-stall.sh \
	tests/xenlab/cases/xenconsoled-secondary.sh \
	tests/xenlab/cases/xenconsoled-journald.sh \
	tests/xenlab/cases/xenconsoled-journald-stall.sh \
	tests/xenlab/cases/xenconsoled-fds.sh \
	tests/xenlab/cases/xenconsoled-hostile.sh
xenconsoled_guest_roles = tests/xenlab/roles/xcd-lines \
	tests/xenlab/roles/xcd-crash tests/xenlab/roles/xcd-flood \
	tests/xenlab/roles/xcd-input tests/xenlab/roles/xcd-partial \
	tests/xenlab/roles/xcd-tick tests/xenlab/roles/xcd-burst \
	tests/xenlab/roles/xcd-sec tests/xenlab/roles/xcd-hostile
xenconsoled_dom0_progs = xenconsoled/xcd-lab.sh
# A hostile secondary console's frontend, from a guest's userspace.
xenconsoled_guest_progs = xenconsoled/xcd-hostile
check_PROGRAMS += xenconsoled/xcd-hostile
xenconsoled_xcd_hostile_CFLAGS = $(XUD_GUEST_CFLAGS) -I$(top_srcdir)/lib
xenconsoled_xcd_hostile_LDFLAGS = $(XUD_GUEST_STATIC)
xenconsoled_xcd_hostile_LDADD = $(XUD_GUEST_LIBS)
EXTRA_DIST += xenconsoled/xcd-lab.sh
