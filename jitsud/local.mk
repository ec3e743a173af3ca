sbin_PROGRAMS += jitsud/jitsud
jitsud_jitsud_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) $(KNOT_CFLAGS) \
	$(XENLIGHT_CFLAGS) $(XLUTIL_CFLAGS)
jitsud_server_sources = jitsud/answer.c jitsud/answer.h \
	jitsud/kept.c jitsud/kept.h \
	jitsud/settings.c jitsud/settings.h jitsud/client.h \
	jitsud/listen.c jitsud/listen.h jitsud/udp.c jitsud/udp.h \
	jitsud/tcp.c jitsud/tcp.h jitsud/server.c jitsud/server.h \
	jitsud/forward.c jitsud/forward.h jitsud/fwdio.c jitsud/fwdio.h \
	jitsud/hold.c jitsud/hold.h jitsud/deadline.c jitsud/deadline.h \
	jitsud/limits.c jitsud/limits.h jitsud/rrl.c jitsud/rrl.h
jitsud_jitsud_SOURCES = jitsud/jitsud.c $(jitsud_server_sources) \
	jitsud/summon.c jitsud/summon.h jitsud/lifecycle.c \
	jitsud/lifecycle.h jitsud/pool.c jitsud/pool.h jitsud/fill.c \
	jitsud/fill.h jitsud/ready.c jitsud/ready.h jitsud/backend.h jitsud/xl.c \
	jitsud/control.c jitsud/control.h $(jitsud_privsep_sources)
jitsud_privsep_sources = jitsud/privmsg.c jitsud/privmsg.h \
	jitsud/privsep.c jitsud/privsep.h jitsud/dnsproc.c jitsud/dnsproc.h
jitsud_jitsud_LDADD = $(XUD_LIBS) $(KNOT_LIBS) $(XENLIGHT_LIBS) \
	$(XLUTIL_LIBS) $(XENTOOLLOG_LIBS)
# The libvirt backend, when configure found libvirt.
if HAVE_LIBVIRT
jitsud_jitsud_SOURCES += jitsud/virt.c jitsud/vconn.c jitsud/vconn.h \
	jitsud/vretry.c jitsud/vretry.h
jitsud_jitsud_CFLAGS += $(LIBVIRT_CFLAGS)
jitsud_jitsud_LDADD += $(LIBVIRT_LIBS)
endif
dist_man_MANS += man/jitsud.8 man/jitsud.conf.5 man/jitsuctl.8

# jitsuctl: status, start and stop over jitsud's control socket.
sbin_PROGRAMS += jitsud/jitsuctl
jitsud_jitsuctl_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
jitsud_jitsuctl_SOURCES = jitsud/jitsuctl.c
jitsud_jitsuctl_LDADD = $(XUD_LIBS)
unit_files += units/jitsud.service.in units/jitsud.socket.in
units/jitsud.socket: units/jitsud.socket.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && sed -e 's|@sbindir[@]|$(sbindir)|g' \
		-e 's|@sysconfdir[@]|$(sysconfdir)|g' $< > $@
# The lab's dom0 runs the daemon: libknot's and libvirt's runtime libraries
# (jitsud links libvirt when configure found it); libvirtd with its libxl
# driver for jitsud-libvirt (started by the case; no unit of its own in the
# systemd boot).
jitsud_dom0_packages = libknot13 libvirt0 libvirt-daemon \
	libvirt-daemon-driver-xen

# The lab's DNS client (dom0 /xenlab/bin): static, no resolver tools needed.
check_PROGRAMS += jitsud/jd-dig
jitsud_jd_dig_CFLAGS = $(WARN_CFLAGS)
jitsud_jd_dig_LDFLAGS = -static
jitsud_dom0_progs = jitsud/jd-dig tests/xenlab/helpers/jd-lab.sh
EXTRA_DIST += tests/xenlab/helpers/jd-lab.sh
EXTRA_DIST += bench/jitsud bench/jitsud.lab.sh
jitsud_lab_cases = tests/xenlab/cases/jitsud-answers.sh \
	tests/xenlab/cases/jitsud-tcp.sh tests/xenlab/cases/jitsud-forward.sh \
	tests/xenlab/cases/jitsud-summon.sh tests/xenlab/cases/jitsud-suspend.sh \
	tests/xenlab/cases/jitsud-pool.sh tests/xenlab/cases/jitsud-e2e.sh \
	tests/xenlab/cases/jitsud-flood.sh tests/xenlab/cases/jitsud-libvirt.sh

# The answer logic, pure: a table of name x type x class x state.
check_PROGRAMS += tests/unit/test-jitsud-answer
TESTS += tests/unit/test-jitsud-answer
tests_unit_test_jitsud_answer_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	$(KNOT_CFLAGS) -I$(top_srcdir)/jitsud
tests_unit_test_jitsud_answer_SOURCES = tests/unit/test-jitsud-answer.c \
	jitsud/answer.c jitsud/answer.h jitsud/kept.c jitsud/kept.h
tests_unit_test_jitsud_answer_LDADD = $(XUD_LIBS) $(KNOT_LIBS)

# The configuration: file, jitsu specs, resolv.conf (golden configs in
# tests/conf/jitsud too).
check_PROGRAMS += tests/unit/test-jitsud-settings
TESTS += tests/unit/test-jitsud-settings
tests_unit_test_jitsud_settings_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/jitsud
tests_unit_test_jitsud_settings_SOURCES = tests/unit/test-jitsud-settings.c \
	jitsud/settings.c jitsud/settings.h
tests_unit_test_jitsud_settings_LDADD = $(XUD_LIBS)

# Forwarding's state machine.
check_PROGRAMS += tests/unit/test-jitsud-forward
TESTS += tests/unit/test-jitsud-forward
tests_unit_test_jitsud_forward_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	$(KNOT_CFLAGS) -I$(top_srcdir)/jitsud
tests_unit_test_jitsud_forward_SOURCES = tests/unit/test-jitsud-forward.c \
	jitsud/forward.c jitsud/forward.h
tests_unit_test_jitsud_forward_LDADD = $(XUD_LIBS) $(KNOT_LIBS)

# The sockets: configured, or systemd's.
check_PROGRAMS += tests/unit/test-jitsud-listen
TESTS += tests/unit/test-jitsud-listen
tests_unit_test_jitsud_listen_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/jitsud
tests_unit_test_jitsud_listen_SOURCES = tests/unit/test-jitsud-listen.c \
	jitsud/listen.c jitsud/listen.h jitsud/settings.c jitsud/settings.h
tests_unit_test_jitsud_listen_LDADD = $(XUD_LIBS)

# A service's life: the summoning decisions.
check_PROGRAMS += tests/unit/test-jitsud-lifecycle
TESTS += tests/unit/test-jitsud-lifecycle
tests_unit_test_jitsud_lifecycle_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/jitsud
tests_unit_test_jitsud_lifecycle_SOURCES = \
	tests/unit/test-jitsud-lifecycle.c jitsud/lifecycle.c \
	jitsud/lifecycle.h
tests_unit_test_jitsud_lifecycle_LDADD = $(XUD_LIBS)

# Readiness checks (the TCP probe on loopback).
check_PROGRAMS += tests/unit/test-jitsud-ready
TESTS += tests/unit/test-jitsud-ready
tests_unit_test_jitsud_ready_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/jitsud
tests_unit_test_jitsud_ready_SOURCES = tests/unit/test-jitsud-ready.c tests/unit/jitsud-net.h \
	jitsud/ready.c jitsud/ready.h jitsud/deadline.c jitsud/deadline.h
tests_unit_test_jitsud_ready_LDADD = $(XUD_LIBS)

# A warm pool's slots.
check_PROGRAMS += tests/unit/test-jitsud-pool
TESTS += tests/unit/test-jitsud-pool
tests_unit_test_jitsud_pool_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/jitsud
tests_unit_test_jitsud_pool_SOURCES = tests/unit/test-jitsud-pool.c \
	jitsud/pool.c jitsud/pool.h
tests_unit_test_jitsud_pool_LDADD = $(XUD_LIBS)

# Held queries.
check_PROGRAMS += tests/unit/test-jitsud-hold
TESTS += tests/unit/test-jitsud-hold
tests_unit_test_jitsud_hold_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/jitsud
tests_unit_test_jitsud_hold_SOURCES = tests/unit/test-jitsud-hold.c \
	jitsud/hold.c jitsud/hold.h
tests_unit_test_jitsud_hold_LDADD = $(XUD_LIBS)

# The server on loopback: UDP, TCP framing and limits, forwarding.
check_PROGRAMS += tests/unit/test-jitsud-server
TESTS += tests/unit/test-jitsud-server
tests_unit_test_jitsud_server_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	$(KNOT_CFLAGS) -I$(top_srcdir)/jitsud
tests_unit_test_jitsud_server_SOURCES = tests/unit/test-jitsud-server.c \
	tests/unit/jitsud-net.h \
	$(jitsud_server_sources)
tests_unit_test_jitsud_server_LDADD = $(XUD_LIBS) $(KNOT_LIBS)

# The summoner between the server and a fake backend.
check_PROGRAMS += tests/unit/test-jitsud-summon
TESTS += tests/unit/test-jitsud-summon
tests_unit_test_jitsud_summon_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	$(KNOT_CFLAGS) -I$(top_srcdir)/jitsud
tests_unit_test_jitsud_summon_SOURCES = tests/unit/test-jitsud-summon.c \
	tests/unit/jitsud-net.h \
	$(jitsud_server_sources) jitsud/summon.c jitsud/summon.h \
	jitsud/lifecycle.c jitsud/lifecycle.h jitsud/pool.c jitsud/pool.h \
	jitsud/fill.c jitsud/fill.h jitsud/ready.c jitsud/ready.h \
	jitsud/backend.h
tests_unit_test_jitsud_summon_LDADD = $(XUD_LIBS) $(KNOT_LIBS)

# Privilege separation: the messages, a forked DNS process, a hostile one.
check_PROGRAMS += tests/unit/test-jitsud-privsep
TESTS += tests/unit/test-jitsud-privsep
tests_unit_test_jitsud_privsep_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	$(KNOT_CFLAGS) -I$(top_srcdir)/jitsud
tests_unit_test_jitsud_privsep_SOURCES = tests/unit/test-jitsud-privsep.c \
	tests/unit/jitsud-net.h $(jitsud_server_sources) \
	$(jitsud_privsep_sources)
tests_unit_test_jitsud_privsep_LDADD = $(XUD_LIBS) $(KNOT_LIBS)

# libknot against ldns on one query and its answer (how the library was
# chosen); built only by "make bench-dns-codec", run by hand.
EXTRA_PROGRAMS = bench/dns-codec
bench_dns_codec_CFLAGS = $(AM_CFLAGS) -O2 $(KNOT_CFLAGS) $(LDNS_CFLAGS)
bench_dns_codec_LDADD = $(KNOT_LIBS) $(LDNS_LIBS)
bench-dns-codec: bench/dns-codec$(EXEEXT)
CLEANFILES += bench/dns-codec$(EXEEXT)
.PHONY: bench-dns-codec

# Response rate limiting: the bounded table.
check_PROGRAMS += tests/unit/test-jitsud-rrl
TESTS += tests/unit/test-jitsud-rrl
tests_unit_test_jitsud_rrl_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/jitsud
tests_unit_test_jitsud_rrl_SOURCES = tests/unit/test-jitsud-rrl.c \
	jitsud/rrl.c jitsud/rrl.h
tests_unit_test_jitsud_rrl_LDADD = $(XUD_LIBS)

# The summon limits: max-running and the summon rate.
check_PROGRAMS += tests/unit/test-jitsud-limits
TESTS += tests/unit/test-jitsud-limits
tests_unit_test_jitsud_limits_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/jitsud
tests_unit_test_jitsud_limits_SOURCES = tests/unit/test-jitsud-limits.c \
	jitsud/limits.c jitsud/limits.h jitsud/settings.c jitsud/settings.h
tests_unit_test_jitsud_limits_LDADD = $(XUD_LIBS)

# jitsuctl's requests: parsed and answered through fake operations, and
# jitsuctl itself against them.
check_PROGRAMS += tests/unit/test-jitsud-control
TESTS += tests/unit/test-jitsud-control
tests_unit_test_jitsud_control_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/jitsud
tests_unit_test_jitsud_control_SOURCES = tests/unit/test-jitsud-control.c \
	jitsud/control.c jitsud/control.h
tests_unit_test_jitsud_control_LDADD = $(XUD_LIBS)

# The libvirt connection's reconnecting: lost, the backoff, up again.
check_PROGRAMS += tests/unit/test-jitsud-vretry
TESTS += tests/unit/test-jitsud-vretry
tests_unit_test_jitsud_vretry_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	-I$(top_srcdir)/jitsud
tests_unit_test_jitsud_vretry_SOURCES = tests/unit/test-jitsud-vretry.c \
	jitsud/vretry.c jitsud/vretry.h
tests_unit_test_jitsud_vretry_LDADD = $(XUD_LIBS)

# The libvirt backend against libvirt's test driver, in process (no
# daemon, no Xen).
if HAVE_LIBVIRT
check_PROGRAMS += tests/unit/test-jitsud-virt
TESTS += tests/unit/test-jitsud-virt
endif
tests_unit_test_jitsud_virt_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	$(LIBVIRT_CFLAGS) -I$(top_srcdir)/jitsud
tests_unit_test_jitsud_virt_SOURCES = tests/unit/test-jitsud-virt.c \
	jitsud/virt.c jitsud/backend.h jitsud/vconn.c jitsud/vconn.h \
	jitsud/vretry.c jitsud/vretry.h
tests_unit_test_jitsud_virt_LDADD = $(XUD_LIBS) $(LIBVIRT_LIBS)

# The summoner's adoption through the libvirt backend (test driver):
# without libvirt at the start, and a summon before the adoption has run.
if HAVE_LIBVIRT
check_PROGRAMS += tests/unit/test-jitsud-virt-adopt
TESTS += tests/unit/test-jitsud-virt-adopt
endif
tests_unit_test_jitsud_virt_adopt_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	$(KNOT_CFLAGS) $(LIBVIRT_CFLAGS) -I$(top_srcdir)/jitsud
tests_unit_test_jitsud_virt_adopt_SOURCES = \
	tests/unit/test-jitsud-virt-adopt.c jitsud/summon.c jitsud/summon.h \
	jitsud/lifecycle.c jitsud/lifecycle.h jitsud/pool.c jitsud/pool.h \
	jitsud/fill.c jitsud/fill.h jitsud/ready.c jitsud/ready.h \
	jitsud/deadline.c jitsud/deadline.h jitsud/settings.c \
	jitsud/settings.h jitsud/virt.c jitsud/backend.h jitsud/vconn.c \
	jitsud/vconn.h jitsud/vretry.c jitsud/vretry.h
tests_unit_test_jitsud_virt_adopt_LDADD = $(XUD_LIBS) $(KNOT_LIBS) \
	$(LIBVIRT_LIBS)
