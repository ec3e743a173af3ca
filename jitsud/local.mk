sbin_PROGRAMS += jitsud/jitsud
jitsud_jitsud_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) $(KNOT_CFLAGS)
jitsud_jitsud_SOURCES = jitsud/jitsud.c
jitsud_jitsud_LDADD = $(XUD_LIBS) $(KNOT_LIBS)
dist_man_MANS += man/jitsud.8
unit_files += units/jitsud.service.in

# libknot against ldns on one query and its answer (how the library was
# chosen); built only by "make bench-dns-codec", run by hand.
EXTRA_PROGRAMS = bench/dns-codec
bench_dns_codec_CFLAGS = $(AM_CFLAGS) -O2 $(KNOT_CFLAGS) $(LDNS_CFLAGS)
bench_dns_codec_LDADD = $(KNOT_LIBS) $(LDNS_LIBS)
bench-dns-codec: bench/dns-codec$(EXEEXT)
CLEANFILES += bench/dns-codec$(EXEEXT)
.PHONY: bench-dns-codec
