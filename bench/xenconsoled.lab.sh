#!/bin/bash
# Runs in the lab's dom0 (lib.sh sourced): see bench/xenconsoled.
. /xenlab/bin/uk-lab.sh
LINES=131072		# of 64 bytes: 8 MiB
TAG=XCDBENCH
logdir=/var/log/xen/console
hz=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# user and system ticks of PID, threads included
cpu_split() { awk '{ print "user " $14 " sys " $15 }' "/proc/$1/stat"; }

# measure WHO PID SETUP: one guest's 8 MiB burst, logged by the daemon PID;
# SETUP unikernel: the burst unikernel (pinned), else a Linux guest
measure() {
	local who=$1 pid=$2 setup=$3 name log id t0 t1 c0 c1 got
	name=$who-$setup
	if [ "$setup" = unikernel ]; then
		uk_start "$name" uk-burst "tag=$TAG lines=$LINES"
	else
		guest_start "$name" xcd-burst $TAG $LINES
	fi
	[ "$setup" != shared ] && xl vcpu-pin "$(guest_domid "$name")" 0 1
	log=$logdir/guest-$XENLAB_CASE-$name.log
	id=$(guest_domid "$name")
	guest_wait "$name" data/made 1 300 || echo "$who: the guest did not make its lines"
	# the boot output is in; measure the burst alone
	c0=$(cpu_ticks "$pid")
	t0=$(date +%s.%N)
	xenstore-write "/local/domain/$id/data/go" 1
	xenstore-chmod "/local/domain/$id/data/go" "n$id"
	wait_until 900 grep -q "^$TAG end" "$log" || echo "$who: timed out"
	t1=$(date +%s.%N)
	c1=$(cpu_ticks "$pid")
	echo "$name: CPU ticks ($hz/s) at the end: $(cpu_split "$pid")"
	[ "$who" = xud ] && /usr/sbin/xenconsoled --status | grep "name=$XENLAB_CASE-$name "
	got=$(tr -d '\r' < "$log" | grep -c "^$TAG [0-9]\{8\} \.*$")
	guest_destroy "$name"
	awk -v who="$name" -v t0="$t0" -v t1="$t1" -v c="$((c1 - c0))" -v hz="$hz" \
	    -v got="$got" -v n="$LINES" 'BEGIN {
		s = t1 - t0; mib = n * 64 / 1048576
		printf "%s: %.1f s, %.3f MB/s, %.3f dom0 CPU s/MiB, %d bytes lost\n",
		    who, s, n * 64 / s / 1e6, c / hz / mib, (n - got) * 64
		printf "%.6f\n", n * 64 / s / 1e6 > ("/tmp/xenlab/bench/tput." who)
	}'
}

# both SETUP: Xen's daemon, then ours
both() {
	xen_consoled_start
	measure xen "$(pgrep -f '^/usr/lib/xen-4.17/bin/xenconsoled')" "$1"
	xen_consoled_stop
	daemon_start xenconsoled --log=guest --log-dir=$logdir
	measure xud "$(daemon_pid xenconsoled)" "$1"
	daemon_stop xenconsoled
	awk -v x="$(cat /tmp/xenlab/bench/tput.xen-$1)" \
	    -v u="$(cat /tmp/xenlab/bench/tput.xud-$1)" -v s="$1" 'BEGIN {
		printf "%s: ratio %.1f\n", s, (x > 0 ? u / x : 0) }'
}

echo "bench xenconsoled: $LINES lines of 64 bytes (8 MiB) per daemon"
# shared: dom0's two vCPUs and the guest's one share the lab's two pCPUs.
# A Linux guest whose console ring is full spins in hvc_xen (yielding),
# and there that takes CPU from dom0's vCPUs: it measures the emulation's
# scheduler as much as the daemons. Here the guest's own console path
# (tty, hvc_xen) caps the burst at about 0.33 MB/s: our daemon read it
# as fast with batches of 1, 2 or 3 ms.
echo "setup shared: dom0 2 vCPUs, guest 1 vCPU, on 2 pCPUs"
both shared
# pinned: dom0 keeps one vCPU on pCPU 0 and the guest runs on pCPU 1, as
# on a host that dedicates CPUs to dom0 (dom0_vcpus_pin). The ratio at the
# end is this setup's; both are printed.
xl vcpu-set 0 1
xl vcpu-pin 0 0 0
echo "setup pinned: dom0 1 vCPU on pCPU 0, guest on pCPU 1"
both pinned
# unikernel: pinned too, the writer is the burst unikernel, which writes
# its ring as fast as the daemon empties it. The Linux guest's console
# path is slower than our daemon (ours found its ring less than full at
# most reads), so there the ratio moves with Xen's daemon; here it is
# the daemons' own speed.
echo "setup unikernel: as pinned, the writer a unikernel (uk-burst)"
both unikernel
xen_consoled_start
awk -v x="$(cat /tmp/xenlab/bench/tput.xen-pinned)" \
    -v u="$(cat /tmp/xenlab/bench/tput.xud-pinned)" 'BEGIN {
	printf "xenconsoled: ratio=%.1f\n", (x > 0 ? u / x : 0) }'
