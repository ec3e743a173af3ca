# make bench: run every benchmark, bench/<name> (an executable that is not
# a *.sh helper), one after the other, and print their summary lines (the
# last line each prints).  Benchmarks are never part of pass/fail tests.
#
# A benchmark runs on the host.  When it needs Xen it boots the lab with
#   "$XENLAB_RUN" --bench "$srcdir/bench/<name>.lab.sh"
# which runs that script in the lab's dom0 (with tests/xenlab/lib.sh
# sourced), prints its output as it comes, and exits with its status.
# Environment given to each benchmark: srcdir, builddir, XENLAB_RUN,
# XENLAB_STAGE, BENCH_RESULTS (a directory for its files).
bench_results = $(abs_top_builddir)/bench/results

bench: xenlab-stage
	@$(MKDIR_P) $(bench_results); \
	summary=$(bench_results)/summary.txt; : > $$summary; st=0; n=0; \
	for b in $(abs_top_srcdir)/bench/*; do \
	  case $$b in *.sh|*.mk|*.md|*.txt|*.conf|*~) continue ;; esac; \
	  test -f "$$b" && test -x "$$b" || continue; \
	  name=`basename $$b`; n=`expr $$n + 1`; \
	  echo "bench: running $$name"; \
	  { srcdir='$(abs_top_srcdir)' builddir='$(abs_top_builddir)' \
	    XENLAB_RUN='$(xenlab_run) --results $(bench_results)' \
	    XENLAB_STAGE='$(xenlab_stage)' BENCH_RESULTS=$(bench_results)/$$name \
	    "$$b" 2>&1; echo $$? > $(bench_results)/$$name.rc; } | tee $(bench_results)/$$name.log; \
	  rc=`cat $(bench_results)/$$name.rc`; \
	  last=`grep -v '^xenlab: ' $(bench_results)/$$name.log | tail -n 1`; \
	  if test "$$rc" = 0; then echo "$$name: $$last" >> $$summary; \
	  else st=1; echo "$$name: FAILED (exit $$rc): $$last" >> $$summary; fi; \
	done; \
	echo; echo "bench summary ($$n benchmarks; logs in $(bench_results)):"; \
	cat $$summary; \
	test $$n -gt 0 || { echo "bench: no benchmarks in $(abs_top_srcdir)/bench"; exit 1; }; \
	exit $$st

.PHONY: bench

# bench/netbackd's throughput tool, static so it runs in the guests and in
# dom0 (see the top of tests/xenlab/guest/xlab-tput.c for why not iperf3).
xenlab_own_guest_progs += tests/xenlab/guest/xlab-tput
check_PROGRAMS += tests/xenlab/guest/xlab-tput
tests_xenlab_guest_xlab_tput_SOURCES = tests/xenlab/guest/xlab-tput.c
tests_xenlab_guest_xlab_tput_CFLAGS = $(WARN_CFLAGS)
tests_xenlab_guest_xlab_tput_LDFLAGS = -static

EXTRA_DIST += bench/xenconsoled bench/xenconsoled.lab.sh \
	bench/xentropyd bench/xentropyd.lab.sh \
	bench/unikernel bench/unikernel.lab.sh \
	bench/netbackd bench/netbackd.lab.sh \
	bench/netbackd-copies bench/netbackd-copies.lab.sh \
	bench/hostshare.sh bench/nb-bench.sh

# bench/jitsud-qps.sh's jitsud: the real DNS process with a stand-in for
# the privileged one, on a host without Xen (see its top). In bench/bin/
# so that "make bench" (bench/*) does not take it for a benchmark.
noinst_PROGRAMS += bench/bin/jitsud-dnsproc
bench_bin_jitsud_dnsproc_CFLAGS = $(AM_CFLAGS) $(XUD_CFLAGS) \
	$(KNOT_CFLAGS) -I$(top_srcdir)/jitsud
bench_bin_jitsud_dnsproc_SOURCES = bench/jitsud-dnsproc.c \
	$(jitsud_server_sources) $(jitsud_privsep_sources)
bench_bin_jitsud_dnsproc_LDADD = $(XUD_LIBS) $(KNOT_LIBS)
EXTRA_DIST += bench/jitsud-qps.sh
