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
	xenconsoled/hvlog.c xenconsoled/hvlog.h \
	xenconsoled/logfile.c xenconsoled/logfile.h xenconsoled/linefmt.c \
	xenconsoled/linefmt.h xenconsoled/logqueue.c xenconsoled/logqueue.h \
	xenconsoled/logname.c xenconsoled/logname.h xenconsoled/retention.c \
	xenconsoled/retention.h
xenconsoled_xenconsoled_LDADD = $(XUD_LIBS) -lutil -lpthread
dist_man_MANS += man/xenconsoled.8 man/xenconsoled.conf.5
unit_files += units/xenconsoled.service.in

# Unit tests.
xcd_unit_tests = tests/unit/test-consring tests/unit/test-linefmt \
	tests/unit/test-logfile tests/unit/test-logfile-queue \
	tests/unit/test-logname tests/unit/test-retention \
	tests/unit/test-pump tests/unit/test-xcd-args
check_PROGRAMS += $(xcd_unit_tests)
TESTS += $(xcd_unit_tests)
tests_unit_test_consring_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
tests_unit_test_consring_LDADD = $(XUD_LIBS) -lpthread
tests_unit_test_linefmt_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) -I$(top_srcdir)/xenconsoled
tests_unit_test_linefmt_SOURCES = tests/unit/test-linefmt.c xenconsoled/linefmt.c
tests_unit_test_linefmt_LDADD = $(XUD_LIBS)
tests_unit_test_logfile_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) -I$(top_srcdir)/xenconsoled
tests_unit_test_logfile_SOURCES = tests/unit/test-logfile.c \
	xenconsoled/logfile.c xenconsoled/linefmt.c
tests_unit_test_logfile_LDADD = $(XUD_LIBS) -lpthread
tests_unit_test_logfile_queue_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/xenconsoled
tests_unit_test_logfile_queue_SOURCES = tests/unit/test-logfile-queue.c \
	xenconsoled/logqueue.c xenconsoled/logqueue.h xenconsoled/logfile.c \
	xenconsoled/linefmt.c
tests_unit_test_logfile_queue_LDADD = $(XUD_LIBS) -lpthread
tests_unit_test_logname_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) -I$(top_srcdir)/xenconsoled
tests_unit_test_logname_SOURCES = tests/unit/test-logname.c xenconsoled/logname.c
tests_unit_test_logname_LDADD = $(XUD_LIBS)
tests_unit_test_retention_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) -I$(top_srcdir)/xenconsoled
tests_unit_test_retention_SOURCES = tests/unit/test-retention.c \
	xenconsoled/retention.c xenconsoled/logname.c
tests_unit_test_retention_LDADD = $(XUD_LIBS) -lpthread
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

# The lab (tests/xenlab): cases and guest roles.
xenconsoled_lab_cases = tests/xenlab/cases/xenconsoled-lines.sh \
	tests/xenlab/cases/xenconsoled-crash.sh \
	tests/xenlab/cases/xenconsoled-destroy.sh \
	tests/xenlab/cases/xenconsoled-dying.sh \
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
	tests/xenlab/cases/xenconsoled-hostile.sh \
	tests/xenlab/cases/xenconsoled-pty-limit.sh
xenconsoled_guest_roles = tests/xenlab/roles/xcd-lines \
	tests/xenlab/roles/xcd-crash tests/xenlab/roles/xcd-flood \
	tests/xenlab/roles/xcd-input tests/xenlab/roles/xcd-partial \
	tests/xenlab/roles/xcd-tick tests/xenlab/roles/xcd-burst \
	tests/xenlab/roles/xcd-sec tests/xenlab/roles/xcd-hostile
