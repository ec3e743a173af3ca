# unikernel/: x86_64 PV guests built from the shared lib/ cores.
#   rt/     the freestanding runtime (one file per concern), libukrt.a
#   hello/  the first unikernel
#   burst/  bench/xenconsoled's console writer
# They are built freestanding with the system gcc: per-target CPPFLAGS and
# CFLAGS replace AM_CPPFLAGS/AM_CFLAGS, so neither the daemons' include
# path nor the sanitizer flags reach them. rt/include/ holds the few libc
# headers the runtime provides, and an empty config.h for the lib/ cores
# that include one: -iquote puts it before the daemons' config.h, which
# automake's DEFAULT_INCLUDES (-I.) would otherwise find first.
UK_CPPFLAGS = -iquote $(top_srcdir)/unikernel/rt/include \
	-I$(top_srcdir)/unikernel/rt/include -I$(top_srcdir)/unikernel/rt \
	-I$(top_srcdir)/lib -D__XEN_INTERFACE_VERSION__=0x00040e00
UK_CFLAGS = $(WARN_CFLAGS) -ffreestanding -fno-pie -fno-pic -mno-red-zone \
	-fno-stack-protector -nostdlib -mno-sse -mno-mmx \
	-fno-asynchronous-unwind-tables
UK_LDSCRIPT = $(top_srcdir)/unikernel/rt/uk.ld
UK_LINKFLAGS = -nostdlib -static -no-pie -Wl,-T,$(UK_LDSCRIPT) \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments
UK_LINKLIBS = unikernel/rt/libukrt.a -lgcc

noinst_LIBRARIES += unikernel/rt/libukrt.a
unikernel_rt_libukrt_a_CPPFLAGS = $(UK_CPPFLAGS)
unikernel_rt_libukrt_a_CFLAGS = $(UK_CFLAGS)
unikernel_rt_libukrt_a_SOURCES = \
	unikernel/rt/include/config.h unikernel/rt/include/errno.h \
	unikernel/rt/include/string.h \
	unikernel/rt/xen.h unikernel/rt/hypercall.h \
	unikernel/rt/entry.c unikernel/rt/entry.h \
	unikernel/rt/startinfo.c unikernel/rt/startinfo.h \
	unikernel/rt/traps.c unikernel/rt/traps.h \
	unikernel/rt/page.c unikernel/rt/page.h \
	unikernel/rt/heap.c unikernel/rt/heap.h \
	unikernel/rt/evtchn.c unikernel/rt/evtchn.h \
	unikernel/rt/clock.c unikernel/rt/clock.h \
	unikernel/rt/console.c unikernel/rt/console.h \
	unikernel/rt/xs_wire.c unikernel/rt/xs_wire.h \
	unikernel/rt/xs_client.c unikernel/rt/xs_client.h \
	unikernel/rt/shutdown.c unikernel/rt/shutdown.h \
	unikernel/rt/cmdline.c unikernel/rt/cmdline.h \
	unikernel/rt/fmt.c unikernel/rt/fmt.h \
	unikernel/rt/string.c \
	lib/consring.c lib/consring.h
EXTRA_DIST += unikernel/rt/uk.ld

noinst_PROGRAMS += unikernel/hello/uk-hello
unikernel_hello_uk_hello_SOURCES = unikernel/hello/hello.c
unikernel_hello_uk_hello_CPPFLAGS = $(UK_CPPFLAGS)
unikernel_hello_uk_hello_CFLAGS = $(UK_CFLAGS)
unikernel_hello_uk_hello_LDFLAGS = $(UK_LINKFLAGS)
unikernel_hello_uk_hello_LDADD = $(UK_LINKLIBS)
unikernel_hello_uk_hello_DEPENDENCIES = unikernel/rt/libukrt.a $(UK_LDSCRIPT)

# bench/xenconsoled's writer (see its header).
noinst_PROGRAMS += unikernel/burst/uk-burst
unikernel_burst_uk_burst_SOURCES = unikernel/burst/burst.c
unikernel_burst_uk_burst_CPPFLAGS = $(UK_CPPFLAGS)
unikernel_burst_uk_burst_CFLAGS = $(UK_CFLAGS)
unikernel_burst_uk_burst_LDFLAGS = $(UK_LINKFLAGS)
unikernel_burst_uk_burst_LDADD = $(UK_LINKLIBS)
unikernel_burst_uk_burst_DEPENDENCIES = unikernel/rt/libukrt.a $(UK_LDSCRIPT)

# The lab puts the images in dom0's /xenlab/bin, where the cases find them.
unikernel_dom0_progs = unikernel/hello/uk-hello unikernel/burst/uk-burst
EXTRA_DIST += unikernel/README.md

# The pure runtime pieces, built for the host from the same sources (with
# the daemons' flags, sanitizers included).
uk_unit_tests = tests/unit/test-uk-xs-wire tests/unit/test-uk-xs-client \
	tests/unit/test-uk-cmdline tests/unit/test-uk-fmt
check_PROGRAMS += $(uk_unit_tests)
TESTS += $(uk_unit_tests)
UK_UNIT_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)
tests_unit_test_uk_xs_wire_SOURCES = tests/unit/test-uk-xs-wire.c \
	unikernel/rt/xs_wire.c
tests_unit_test_uk_xs_wire_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
# The client itself, with fakes of its neighbours in the test.
tests_unit_test_uk_xs_client_SOURCES = tests/unit/test-uk-xs-client.c \
	unikernel/rt/xs_client.c unikernel/rt/xs_wire.c lib/consring.c
tests_unit_test_uk_xs_client_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
tests_unit_test_uk_cmdline_SOURCES = tests/unit/test-uk-cmdline.c \
	unikernel/rt/cmdline.c
tests_unit_test_uk_cmdline_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
tests_unit_test_uk_fmt_SOURCES = tests/unit/test-uk-fmt.c \
	unikernel/rt/fmt.c
tests_unit_test_uk_fmt_CPPFLAGS = $(UK_UNIT_CPPFLAGS)

# --- unikernel/net/: the network stack (pure: frames in, frames out). ---
# Built freestanding into libuknet.a for the unikernels, and for the host
# into its unit tests and tests/fuzz/fuzz-uk-net.
uk_net_c = unikernel/net/net.c unikernel/net/eth.c unikernel/net/arp.c \
	unikernel/net/ip_out.c unikernel/net/ipv4.c unikernel/net/icmp.c \
	unikernel/net/udp.c unikernel/net/tcp_table.c unikernel/net/tcp_out.c \
	unikernel/net/tcp_in.c unikernel/net/tcp_timer.c unikernel/net/http.c \
	unikernel/net/cksum.c unikernel/net/siphash.c
uk_net_sources = $(uk_net_c) unikernel/net/net.h unikernel/net/stack.h \
	unikernel/net/wire.h unikernel/net/cksum.h unikernel/net/http.h \
	unikernel/net/siphash.h
noinst_LIBRARIES += unikernel/net/libuknet.a
unikernel_net_libuknet_a_CPPFLAGS = $(UK_CPPFLAGS)
unikernel_net_libuknet_a_CFLAGS = $(UK_CFLAGS)
unikernel_net_libuknet_a_SOURCES = $(uk_net_sources)

# The host build: one library for all the stack's unit tests (with the
# daemons' flags, sanitizers included).
check_LIBRARIES = tests/unit/libuknet-host.a
tests_unit_libuknet_host_a_SOURCES = $(uk_net_sources)
tests_unit_libuknet_host_a_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
uk_net_unit_tests = tests/unit/test-uk-net-arp tests/unit/test-uk-net-ip \
	tests/unit/test-uk-net-tcp tests/unit/test-uk-net-http
check_PROGRAMS += $(uk_net_unit_tests)
TESTS += $(uk_net_unit_tests)
tests_unit_test_uk_net_arp_SOURCES = tests/unit/test-uk-net-arp.c \
	tests/unit/uk-net-peer.h
tests_unit_test_uk_net_arp_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
tests_unit_test_uk_net_arp_LDADD = tests/unit/libuknet-host.a
tests_unit_test_uk_net_ip_SOURCES = tests/unit/test-uk-net-ip.c \
	tests/unit/uk-net-peer.h
tests_unit_test_uk_net_ip_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
tests_unit_test_uk_net_ip_LDADD = tests/unit/libuknet-host.a
tests_unit_test_uk_net_tcp_SOURCES = tests/unit/test-uk-net-tcp.c \
	tests/unit/uk-net-peer.h
tests_unit_test_uk_net_tcp_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
tests_unit_test_uk_net_tcp_LDADD = tests/unit/libuknet-host.a
tests_unit_test_uk_net_http_SOURCES = tests/unit/test-uk-net-http.c
tests_unit_test_uk_net_http_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
tests_unit_test_uk_net_http_LDADD = tests/unit/libuknet-host.a

# --- grant table, xenbus frontend, vchan client, the entropy unikernel ---
unikernel_rt_libukrt_a_SOURCES += \
	unikernel/rt/gntref.c unikernel/rt/gntref.h \
	unikernel/rt/gnttab.c unikernel/rt/gnttab.h \
	unikernel/rt/num.c unikernel/rt/num.h \
	unikernel/rt/xenbus_front.c unikernel/rt/xenbus_front.h \
	unikernel/rt/vchan_ring.c unikernel/rt/vchan_ring.h \
	unikernel/rt/vchan.c unikernel/rt/vchan.h \
	unikernel/rt/control.c unikernel/rt/control.h \
	lib/xbstate.c lib/xbstate.h \
	lib/xentropy_proto.c lib/xentropy_proto.h
uk_unit_tests += tests/unit/test-uk-gntref
tests_unit_test_uk_gntref_SOURCES = tests/unit/test-uk-gntref.c \
	unikernel/rt/gntref.c
tests_unit_test_uk_gntref_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
uk_unit_tests += tests/unit/test-uk-num tests/unit/test-uk-xenbus-front
tests_unit_test_uk_num_SOURCES = tests/unit/test-uk-num.c unikernel/rt/num.c
tests_unit_test_uk_num_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
# The frontend with a fake xenstore and backend in the test.
tests_unit_test_uk_xenbus_front_SOURCES = tests/unit/test-uk-xenbus-front.c \
	unikernel/rt/xenbus_front.c unikernel/rt/num.c unikernel/rt/fmt.c \
	lib/xbstate.c
tests_unit_test_uk_xenbus_front_CPPFLAGS = $(UK_UNIT_CPPFLAGS)
uk_unit_tests += tests/unit/test-uk-vchan-ring
tests_unit_test_uk_vchan_ring_SOURCES = tests/unit/test-uk-vchan-ring.c \
	unikernel/rt/vchan_ring.c
tests_unit_test_uk_vchan_ring_CPPFLAGS = $(UK_UNIT_CPPFLAGS)

noinst_PROGRAMS += unikernel/entropy/uk-entropy
unikernel_entropy_uk_entropy_SOURCES = unikernel/entropy/entropy.c \
	unikernel/entropy/xent.c unikernel/entropy/xent.h
unikernel_entropy_uk_entropy_CPPFLAGS = $(UK_CPPFLAGS)
unikernel_entropy_uk_entropy_CFLAGS = $(UK_CFLAGS)
unikernel_entropy_uk_entropy_LDFLAGS = $(UK_LINKFLAGS)
unikernel_entropy_uk_entropy_LDADD = $(UK_LINKLIBS)
unikernel_entropy_uk_entropy_DEPENDENCIES = unikernel/rt/libukrt.a $(UK_LDSCRIPT)
unikernel_dom0_progs += unikernel/entropy/uk-entropy
# The xentropyd client with fakes of xenstore, the vchan and the clock.
uk_unit_tests += tests/unit/test-uk-xent
tests_unit_test_uk_xent_SOURCES = tests/unit/test-uk-xent.c \
	unikernel/entropy/xent.c unikernel/rt/num.c unikernel/rt/fmt.c \
	lib/xentropy_proto.c
tests_unit_test_uk_xent_CPPFLAGS = $(UK_UNIT_CPPFLAGS) \
	-I$(top_srcdir)/unikernel/rt

# --- netfront, lib/netring_front, the httpd unikernel ---
unikernel_rt_libukrt_a_SOURCES += \
	unikernel/rt/netfront.c unikernel/rt/netfront.h unikernel/rt/netfront_io.c \
	lib/netring.h lib/netring_front.c lib/netring_front.h
noinst_PROGRAMS += unikernel/httpd/uk-httpd
unikernel_httpd_uk_httpd_SOURCES = unikernel/httpd/httpd.c
unikernel_httpd_uk_httpd_CPPFLAGS = $(UK_CPPFLAGS) \
	-I$(top_srcdir)/unikernel/net
unikernel_httpd_uk_httpd_CFLAGS = $(UK_CFLAGS)
unikernel_httpd_uk_httpd_LDFLAGS = $(UK_LINKFLAGS)
# the stack before the runtime: it uses rt's string functions
unikernel_httpd_uk_httpd_LDADD = unikernel/net/libuknet.a $(UK_LINKLIBS)
unikernel_httpd_uk_httpd_DEPENDENCIES = unikernel/rt/libukrt.a \
	unikernel/net/libuknet.a $(UK_LDSCRIPT)
unikernel_dom0_progs += unikernel/httpd/uk-httpd
# lib/netring_front with the daemons' flags (sanitizers included).
uk_unit_tests += tests/unit/test-netring-front
tests_unit_test_netring_front_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_netring_front_LDADD = $(UNIT_LDADD)
# netfront's data path over rings in memory, a fake backend in the test.
uk_unit_tests += tests/unit/test-uk-netfront
tests_unit_test_uk_netfront_SOURCES = tests/unit/test-uk-netfront.c \
	unikernel/rt/netfront_io.c lib/netring_front.c
tests_unit_test_uk_netfront_CPPFLAGS = $(UK_UNIT_CPPFLAGS) \
	-I$(top_srcdir)/unikernel/rt

# The clock on a vcpu_time_info in memory and the host's TSC.
uk_unit_tests += tests/unit/test-uk-clock
tests_unit_test_uk_clock_SOURCES = tests/unit/test-uk-clock.c \
	unikernel/rt/clock.c
tests_unit_test_uk_clock_CPPFLAGS = $(UK_UNIT_CPPFLAGS)

# xbtest: the frontend of xud-betest's "xudtest" device, for the lab case
# that proves gnttab.c and xenbus_front.c on real Xen.
noinst_PROGRAMS += unikernel/xbtest/uk-xbtest
unikernel_xbtest_uk_xbtest_SOURCES = unikernel/xbtest/xbtest.c
unikernel_xbtest_uk_xbtest_CPPFLAGS = $(UK_CPPFLAGS)
unikernel_xbtest_uk_xbtest_CFLAGS = $(UK_CFLAGS)
unikernel_xbtest_uk_xbtest_LDFLAGS = $(UK_LINKFLAGS)
unikernel_xbtest_uk_xbtest_LDADD = $(UK_LINKLIBS)
unikernel_xbtest_uk_xbtest_DEPENDENCIES = unikernel/rt/libukrt.a $(UK_LDSCRIPT)
unikernel_dom0_progs += unikernel/xbtest/uk-xbtest
dist_man_MANS += man/xud-unikernel.7

# --- suspend and resume (xl save / xl restore) ---
unikernel_rt_libukrt_a_SOURCES += \
	unikernel/rt/suspend.c unikernel/rt/suspend.h
