# libFuzzer targets, one for each piece of code a guest's bytes reach.
# They need clang: "make fuzz" builds them, "make fuzz-smoke" runs each
# for FUZZ_SECONDS from its seeds in tests/fuzz/corpus/<target>/. For real
# fuzzing run one by hand, with a corpus directory of your own first (it
# gets the new inputs) and the seeds second, e.g.
#   tests/fuzz/fuzz-vring -max_total_time=600 my-corpus \
#     $(srcdir)/tests/fuzz/corpus/fuzz-vring
fuzz_programs = tests/fuzz/fuzz-proto tests/fuzz/fuzz-consring \
	tests/fuzz/fuzz-vring tests/fuzz/fuzz-legacy tests/fuzz/fuzz-linefmt \
	tests/fuzz/fuzz-logsock tests/fuzz/fuzz-xenbus-be tests/fuzz/fuzz-conf
fuzz_programs += tests/fuzz/fuzz-netring
fuzz_programs += tests/fuzz/fuzz-uk-net
fuzz_programs += tests/fuzz/fuzz-jitsud-answer tests/fuzz/fuzz-jitsud-forward
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined $(WARN_CFLAGS) -Wno-string-plus-int \
	-I$(top_builddir) -I$(top_srcdir)/lib -I$(top_srcdir)/xentropyd \
	-I$(top_srcdir)/xenconsoled $(XENVCHAN_CFLAGS) $(XENSTORE_CFLAGS)

# The code under test, compiled into each target with its instrumentation.
tests/fuzz/fuzz-proto: $(top_srcdir)/lib/xentropy_proto.c
tests/fuzz/fuzz-consring: $(top_srcdir)/lib/consring.c \
	$(top_srcdir)/xenconsoled/linefmt.c
tests/fuzz/fuzz-vring: $(top_srcdir)/xentropyd/vring.c
tests/fuzz/fuzz-legacy: $(top_srcdir)/xentropyd/legacy-proto.c $(top_srcdir)/lib/ratelimit.c
tests/fuzz/fuzz-linefmt: $(top_srcdir)/xenconsoled/linefmt.c
tests/fuzz/fuzz-logsock: $(top_srcdir)/lib/logsock.c
tests/fuzz/fuzz-xenbus-be: $(top_srcdir)/lib/xenbus_be.c
tests/fuzz/fuzz-conf: $(top_srcdir)/lib/conf.c
tests/fuzz/fuzz-netring: $(top_srcdir)/lib/netring.c \
	$(top_srcdir)/lib/netring_tx.c $(top_srcdir)/lib/netring_rx.c
tests/fuzz/fuzz-jitsud-answer: $(top_srcdir)/jitsud/answer.c \
	$(top_srcdir)/jitsud/kept.c $(top_srcdir)/jitsud/rrl.c $(top_srcdir)/lib/ratelimit.c
tests/fuzz/fuzz-jitsud-answer: FUZZ_LIBS = $(KNOT_LIBS)
tests/fuzz/fuzz-jitsud-answer: FUZZ_CFLAGS += -I$(top_srcdir)/jitsud $(KNOT_CFLAGS)
# the unikernel's network stack (uk_net_c: unikernel/local.mk)
tests/fuzz/fuzz-uk-net: $(uk_net_c:%=$(top_srcdir)/%)
tests/fuzz/fuzz-uk-net: FUZZ_CFLAGS += -I$(top_srcdir)
tests/fuzz/fuzz-jitsud-forward: $(top_srcdir)/jitsud/forward.c
tests/fuzz/fuzz-jitsud-forward: FUZZ_LIBS = $(KNOT_LIBS)
tests/fuzz/fuzz-jitsud-forward: FUZZ_CFLAGS += -I$(top_srcdir)/jitsud $(KNOT_CFLAGS)
# xenbus_be.c also holds the xenstore glue, which the target never calls
# but must link.
tests/fuzz/fuzz-xenbus-be: lib/libxud.a
tests/fuzz/fuzz-xenbus-be: FUZZ_LIBS = $(XUD_LIBS)
tests/fuzz/fuzz-%: $(top_srcdir)/tests/fuzz/fuzz-%.c \
	$(top_srcdir)/tests/fuzz/fuzz.h
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) -o $@ \
		$(filter %.c,$^) $(FUZZ_LIBS)

fuzz: $(fuzz_programs)

# A short run of each (./quickstart test runs it). New inputs go to a
# scratch directory, never into the source tree's seeds.
fuzz-smoke: fuzz
	@for f in $(fuzz_programs); do \
	  echo "fuzz: $$f for $(FUZZ_SECONDS) s"; \
	  rm -rf $$f.corpus && mkdir $$f.corpus || exit 1; \
	  ./$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$$f- $$f.corpus \
	    $(top_srcdir)/tests/fuzz/corpus/$${f##*/} \
	    > $$f.fuzz.log 2>&1; st=$$?; \
	  rm -rf $$f.corpus; \
	  grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' $$f.fuzz.log; \
	  test $$st = 0 || { tail -n 30 $$f.fuzz.log; exit 1; }; \
	done
FUZZ_SECONDS = 8
.PHONY: fuzz fuzz-smoke

EXTRA_DIST += tests/fuzz/fuzz.h $(fuzz_programs:=.c) tests/fuzz/corpus
CLEANFILES += $(fuzz_programs) $(fuzz_programs:=.fuzz.log)
