# lib/: built once, linked by every daemon.
noinst_LIBRARIES += lib/libxud.a
lib_libxud_a_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
lib_libxud_a_SOURCES = \
	lib/compiler.h \
	lib/conf.c lib/conf.h \
	lib/ctl.c lib/ctl.h \
	lib/daemon.c lib/daemon.h \
	lib/domains.c lib/domains.h \
	lib/domlog.c lib/domlog.h \
	lib/evtchn.c lib/evtchn.h \
	lib/gcopy.c lib/gcopy.h \
	lib/grant.c lib/grant.h \
	lib/log.c lib/log.h \
	lib/logsock.c lib/logsock.h \
	lib/loop.c lib/loop.h \
	lib/pvcons.c lib/pvcons.h \
	lib/ratelimit.c lib/ratelimit.h \
	lib/sdnotify.c lib/sdnotify.h \
	lib/skel.c lib/skel.h \
	lib/xenbus_be.c lib/xenbus_be.h \
	lib/xstore.c lib/xstore.h \
	$(lib_shared_sources)

# The pure protocol cores, free of I/O and of libc beyond a freestanding
# build's: the dom0 daemons, the guest-side library (guest/) and the
# fuzzers build the same files; they are listed here only.
lib_shared_sources = \
	lib/consring.c lib/consring.h \
	lib/xentropy_proto.c lib/xentropy_proto.h
lib_shared_sources += \
	lib/netring.c lib/netring.h \
	lib/netring_tx.c lib/netring_tx.h \
	lib/netring_rx.c lib/netring_rx.h
# the xenbus states, both ends (the unikernel's xenbus frontend)
lib_shared_sources += lib/xbstate.c lib/xbstate.h
# the frontend side of a netif ring (the unikernel's netfront)
lib_shared_sources += lib/netring_front.c lib/netring_front.h
