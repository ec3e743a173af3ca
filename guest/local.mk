# guest/: what runs inside a Linux guest. The library that guest programs
# are built from (the vchan client end, a userspace xenbus frontend, the
# xentropy client) and xentropy-client, the one guest program xud
# installs. Linked statically (guests run it from an initramfs), so it is
# built without sanitizers, which do not link statically.
noinst_LIBRARIES += guest/libxudguest.a
guest_libxudguest_a_CFLAGS = $(WARN_CFLAGS) $(XENVCHAN_CFLAGS) \
	$(XENSTORE_CFLAGS)
guest_libxudguest_a_SOURCES = \
	guest/gvchan.c guest/gvchan.h \
	guest/gfront.c guest/gfront.h \
	guest/xentropy.c guest/xentropy.h \
	$(lib_shared_sources)

# Static link line for guest programs, here and in tests/guest/.
XUD_GUEST_STATIC = -static
XUD_GUEST_LIBS = guest/libxudguest.a $(XUD_GUEST_STATIC_LIBS)
XUD_GUEST_CFLAGS = $(WARN_CFLAGS) -I$(top_srcdir)/guest $(XENVCHAN_CFLAGS) \
	$(XENSTORE_CFLAGS) $(XENEVTCHN_CFLAGS) $(XENGNTTAB_CFLAGS)

bin_PROGRAMS += guest/xentropy-client
guest_xentropy_client_CFLAGS = $(XUD_GUEST_CFLAGS)
guest_xentropy_client_SOURCES = guest/xentropy-client.c
guest_xentropy_client_LDFLAGS = $(XUD_GUEST_STATIC)
guest_xentropy_client_LDADD = $(XUD_GUEST_LIBS)
guest_guest_progs = guest/xentropy-client
