# lib/: built once, linked by every daemon.
noinst_LIBRARIES += lib/libxud.a lib/libxudguest.a
lib_libxud_a_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
lib_libxud_a_SOURCES = \
	lib/compiler.h \
	lib/conf.c lib/conf.h \
	lib/ctl.c lib/ctl.h \
	lib/daemon.c lib/daemon.h \
	lib/domains.c lib/domains.h \
	lib/domlog.c lib/domlog.h \
	lib/evtchn.c lib/evtchn.h \
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

# Pure code that both dom0 daemons and static guest programs use;
# daemons' local.mk files add their I/O-free codecs here.
lib_shared_sources =

# Guest side: linked statically into test-guest programs, so it is built
# without sanitizers (they do not link statically).
lib_libxudguest_a_CFLAGS = $(WARN_CFLAGS) $(XENVCHAN_CFLAGS) $(XENSTORE_CFLAGS)
lib_libxudguest_a_SOURCES = \
	lib/gvchan.c lib/gvchan.h \
	lib/gfront.c lib/gfront.h \
	$(lib_shared_sources)

# Static link line for guest programs.
XUD_GUEST_STATIC = -static
XUD_GUEST_LIBS = lib/libxudguest.a $(XUD_GUEST_STATIC_LIBS)
XUD_GUEST_CFLAGS = $(WARN_CFLAGS) $(XENVCHAN_CFLAGS) $(XENSTORE_CFLAGS) \
	$(XENEVTCHN_CFLAGS) $(XENGNTTAB_CFLAGS)
