#!/bin/bash
# Runs in the lab's dom0 (lib.sh sourced): see bench/unikernel.
. /xenlab/bin/uk-lab.sh
RUNS=3
R=/tmp/xenlab/bench/uk
mkdir -p "$R"

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'; }

# _first_line LOG OUT: the time (ns) LOG first has bytes, into OUT. The
# console daemon (Xen's, as the lab runs it) creates and writes LOG.
_first_line() {
	local end=$(( $(date +%s) + 60 ))
	while [ ! -s "$1" ] && [ "$(date +%s)" -lt "$end" ]; do sleep 0.005; done
	[ -s "$1" ] && date +%s%N > "$2"
}

# one_uk WHAT IMAGE RUN [EXTRA]: one boot of a unikernel, figures to $R
one_uk() {
	local what=$1 image=$2 run=$3 extra=${4:-} name log w first boot
	name=$what$run
	log=$(guest_console "$name")
	rm -f "$log" "$R/first"
	_first_line "$log" "$R/first" &
	w=$!
	uk_start "$name" "$image" "$extra"
	uk_wait_ready "$name" 60
	wait "$w"
	first=$(cat "$R/first" 2>/dev/null || echo "$uk_t0")
	boot=$(guest_read "$name" data/boot-us)
	echo "$(uk_ms "$uk_t0" "$uk_t_ready")" >> "$R/$what.ready"
	echo "$(uk_ms "$uk_t0" "$first")" >> "$R/$what.first"
	echo "$boot" >> "$R/$what.boot"
	echo "$what run $run: ready $(uk_ms "$uk_t0" "$uk_t_ready") ms, first console line $(uk_ms "$uk_t0" "$first") ms, xl create returned $(uk_ms "$uk_t0" "$uk_t_created") ms, guest's own boot $boot us"
	guest_destroy "$name"
	uk_wait_gone "$name"
}

# min_mem WHAT IMAGE [EXTRA]: the least memory (MB) it becomes ready in
min_mem() {
	local m
	for m in 1 2 3 4 5 6 8 12 16 24 32; do
		# (their progress lines to a file: stdout is the answer)
		if uk_start --try --mem "$m" "$1m$m" "$2" "${3:-}" >> "$R/min-mem.log" 2>&1 &&
		    guest_wait "$1m$m" data/ready 1 30; then
			guest_destroy "$1m$m" >> "$R/min-mem.log" 2>&1
			echo "$m"
			return
		fi
		xl destroy "$XENLAB_CASE-$1m$m" >/dev/null 2>&1
		_uk_watch_stop "$1m$m"
	done
	echo "-"
}

# uk WHAT IMAGE [EXTRA]: RUNS boots and the minimum memory, printed
uk() {
	local i
	[ -f "$UK_BIN/$2" ] || { echo "$1: not built, skipped"; return; }
	for i in $(seq 1 $RUNS); do one_uk "$1" "$2" "$i" "${3:-}"; done
	echo "$(min_mem "$1" "$2" "${3:-}")" > "$R/$1.mem"
	echo "$1: ready $(median < "$R/$1.ready") ms, first console line $(median < "$R/$1.first") ms, guest's own boot $(median < "$R/$1.boot") us, least memory $(cat "$R/$1.mem") MB (medians of $RUNS: ready $(paste -sd, "$R/$1.ready"))"
}

echo "bench unikernel: $RUNS runs each, medians"
uk hello uk-hello
if [ -f "$UK_BIN/uk-entropy" ]; then
	daemon_start xentropyd
	uk entropy uk-entropy
	daemon_stop xentropyd
fi
uk httpd uk-httpd "ip=10.0.0.2"

# The lab's Linux PV guest: xl create to its own "booted" key
for i in $(seq 1 $RUNS); do
	log=$(guest_console lx$i)
	rm -f "$log" "$R/first"
	_first_line "$log" "$R/first" &
	w=$!
	t0=$(date +%s%N)
	guest_start lx$i idle
	t1=$(date +%s%N)
	wait "$w"
	echo $(( (t1 - t0) / 1000000 )) >> "$R/linux.ready"
	echo $(( ($(cat "$R/first" 2>/dev/null || echo "$t0") - t0) / 1000000 )) >> "$R/linux.first"
	echo "linux run $i: booted $(( (t1 - t0) / 1000000 )) ms, first console line $(tail -n 1 "$R/linux.first") ms"
	guest_destroy lx$i
done
echo "linux: booted $(median < "$R/linux.ready") ms, first console line $(median < "$R/linux.first") ms (medians of $RUNS; ${XENLAB_GUEST_MEM:-128} MB)"

# the toolstack's floor: xl create -p of hello, then destroy
cfg=/tmp/xenlab/bench/paused.cfg
printf 'name = "%s-paused"\ntype = "pv"\nkernel = "%s"\nmemory = 4\nvcpus = 1\n' \
	"$XENLAB_CASE" "$UK_BIN/uk-hello" > "$cfg"
for i in $(seq 1 $RUNS); do
	t0=$(date +%s%N)
	xl create -q -p "$cfg"
	t1=$(date +%s%N)
	xl destroy "$XENLAB_CASE-paused"
	echo $(( (t1 - t0) / 1000000 )) >> "$R/paused"
done
echo "xl create -p: $(median < "$R/paused") ms (median of $RUNS: $(paste -sd, "$R/paused"))"

# dom0 RSS per guest: xud's xenconsoled (logging every console) and
# xentropyd, before and with N entropy unikernels running (each fetched
# its entropy from xentropyd at boot and printed to its console)
N=${UK_BENCH_SCALE:-100}
if [ "$N" -gt 0 ] && [ -f "$UK_BIN/uk-entropy" ]; then
	xen_consoled_stop
	daemon_start xenconsoled --log=guest --log-dir=/var/log/xen/console
	daemon_start xentropyd
	cp=$(daemon_pid xenconsoled) ep=$(daemon_pid xentropyd)
	c0=$(proc_rss "$cp") e0=$(proc_rss "$ep")
	uk_many s uk-entropy "$N"
	wait_until 180 uk_many_ready s || fail "not every one of $N entropy unikernels got ready within 180 s"
	c1=$(proc_rss "$cp") e1=$(proc_rss "$ep")
	echo "$N entropy unikernels (4 MB each) created in $uk_many_ms ms, four xl creates at a time"
	echo "dom0 RSS with $N running: xenconsoled $c0 -> $c1 KiB ($(( (c1 - c0) / N )) KiB per guest)," \
		"xentropyd $e0 -> $e1 KiB ($(( (e1 - e0) / N )) KiB per guest)"
	echo "entropy results: $(for id in $(uk_many_ids s); do xenstore-read "/local/domain/$id/data/entropy" 2>/dev/null | cut -d' ' -f1; done |
		sort | uniq -c | awk '{ printf "%s%s x %s", (NR > 1 ? ", " : ""), $1, $2 }') (guests x data/entropy's first word: bytes, or why none)"
	uk_many_destroy s
	daemon_stop xentropyd
	daemon_stop xenconsoled
	xen_consoled_start
fi

hr=$(median < "$R/hello.ready") lr=$(median < "$R/linux.ready") hb=$(median < "$R/hello.boot")
awk -v h="$hr" -v l="$lr" -v b="$hb" 'BEGIN {
	printf "unikernel: ready_ratio=%.2f guest_boot_ms=%.1f\n", (l > 0 ? h / l : 0), b / 1000 }'
