sbin_PROGRAMS += jitsud/jitsud
jitsud_jitsud_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS)
jitsud_jitsud_SOURCES = jitsud/jitsud.c
jitsud_jitsud_LDADD = $(XUD_LIBS)
dist_man_MANS += man/jitsud.8
unit_files += units/jitsud.service.in
