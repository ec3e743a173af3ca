#!/bin/bash
# Runs in the lab's dom0 (lib.sh sourced): see bench/xenconsoled.
LINES=131072		# of 64 bytes: 8 MiB
TAG=XCDBENCH
logdir=/var/log/xen/console
hz=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# user and system ticks of PID, threads included
cpu_split() { awk '{ print "user " $14 " sys " $15 }' "/proc/$1/stat"; }

# measure WHO PID: one guest's 8 MiB burst, logged by the daemon PID
measure() {
	local who=$1 pid=$2 name log id t0 t1 c0 c1 got secs
	name=$who
	guest_start "$name" xcd-burst $TAG $LINES
	log=$logdir/guest-$XENLAB_CASE-$name.log
	id=$(guest_domid "$name")
	# the boot output is in; measure the burst alone
	c0=$(cpu_ticks "$pid")
	t0=$(date +%s.%N)
	xenstore-write "/local/domain/$id/data/go" 1
	xenstore-chmod "/local/domain/$id/data/go" "n$id"
	wait_until 900 grep -q "^$TAG end" "$log" || echo "$who: timed out"
	t1=$(date +%s.%N)
	c1=$(cpu_ticks "$pid")
	echo "$who: CPU ticks ($hz/s) at the end: $(cpu_split "$pid")"
	[ "$who" = xud ] && /usr/sbin/xenconsoled --status | grep "name=$XENLAB_CASE-$name "
	got=$(tr -d '\r' < "$log" | grep -c "^$TAG [0-9]\{8\} \.*$")
	guest_destroy "$name"
	awk -v who="$who" -v t0="$t0" -v t1="$t1" -v c="$((c1 - c0))" -v hz="$hz" \
	    -v got="$got" -v n="$LINES" 'BEGIN {
		s = t1 - t0; mib = n * 64 / 1048576
		printf "%s: %.1f s, %.3f MB/s, %.3f dom0 CPU s/MiB, %d bytes lost\n",
		    who, s, n * 64 / s / 1e6, c / hz / mib, (n - got) * 64
		printf "%s %.6f\n", who, n * 64 / s / 1e6 > ("/tmp/xenlab/bench/tput." who)
	}'
}

echo "bench xenconsoled: $LINES lines of 64 bytes (8 MiB) per daemon"
xen_consoled_start
measure xen "$(pgrep -f '^/usr/lib/xen-4.17/bin/xenconsoled')"
xen_consoled_stop
daemon_start xenconsoled --log=guest --log-dir=$logdir
measure xud "$(daemon_pid xenconsoled)"
daemon_stop xenconsoled
xen_consoled_start
x=$(awk '{ print $2 }' /tmp/xenlab/bench/tput.xen)
u=$(awk '{ print $2 }' /tmp/xenlab/bench/tput.xud)
awk -v x="$x" -v u="$u" 'BEGIN { printf "xenconsoled: ratio=%.1f\n", (x > 0 ? u / x : 0) }'
