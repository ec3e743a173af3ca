#!/bin/bash
# Runs in the lab's dom0 (lib.sh sourced): see bench/xentropyd.
. /xenlab/lib.sh
. /xenlab/bin/xentropyd-lab.sh
BYTES=${XENTROPYD_BENCH_BYTES:-33554432}	# 32 MiB
# 16 guests of 128 MB do not fit next to the lab's 1 GB dom0; as many as do
GUESTS=${XENTROPYD_BENCH_GUESTS:-6}

kv() { tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }

echo "bench xentropyd: $BYTES bytes to one guest; memory with $GUESTS guests"
g=$(xentropy-bench getrandom "$BYTES" 2>&1)
echo "dom0 $g"
grmb=$(echo "$g" | kv mbps)

conf=$(xe_conf "rate = 0")
daemon_start xentropyd -c "$conf"
guest_start t xentropyd
xe_run t 900 xentropy-bench fetch "$BYTES"
[ "$XE_RC" = 0 ] || { echo "fetch failed: $(xe_field err)"; exit 1; }
f=$(xe_field err)
echo "guest $f"
mb=$(echo "$f" | kv mbps)
echo "time from connecting to the first 32 bytes: $(echo "$f" | kv first_ms) ms (connect: $(echo "$f" | kv connect_ms) ms)"
echo "throughput: xentropyd $mb MB/s, getrandom $grmb MB/s"
guest_destroy t
daemon_stop xentropyd

conf=$(xe_conf "serve-all = yes" "rate = 0")
daemon_start xentropyd -c "$conf"
pid=$(daemon_pid xentropyd)
r0=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
for i in $(seq 1 $GUESTS); do
	guest_start --no-wait m$i idle
done
for i in $(seq 1 $GUESTS); do
	d=$(guest_domid m$i)
	wait_until 60 sh -c "xenstore-read /local/domain/$d/data/xentropy/server | grep -q '^1 0 ready '" ||
		echo "guest m$i: no channel"
done
r1=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
pages=$(grep -c gntalloc "/proc/$pid/maps")
fds=$(ls "/proc/$pid/fd" | wc -l)
awk -v a="$r0" -v b="$r1" -v n="$GUESTS" -v p="$pages" -v f="$fds" 'BEGIN {
	printf "dom0 memory per served guest: %.1f KiB RSS (%d KiB for %d guests; %d gntalloc mappings, %d fds in all)\n",
	    (b - a) / n, b - a, n, p, f }'
for i in $(seq 1 $GUESTS); do
	guest_destroy m$i
done
daemon_stop xentropyd
awk -v a="$mb" -v b="$grmb" 'BEGIN { printf "xentropyd: ratio=%.3f\n", (b > 0 ? a / b : 0) }'
