sbin_PROGRAMS += netbackd/netbackd
netbackd_netbackd_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
netbackd_netbackd_SOURCES = netbackd/netbackd.c
netbackd_netbackd_LDADD = $(XUD_LIBS)
dist_man_MANS += man/netbackd.8
unit_files += units/netbackd.service.in
