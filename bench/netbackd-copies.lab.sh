#!/bin/bash
# Runs in the lab's dom0 (lib.sh sourced): see bench/netbackd-copies.
ROUNDS=${NB_BENCH_ROUNDS:-4}
SECS=${NB_BENCH_SECS:-6}
BR=xenbr0 HOST=10.13.0.1 IP=10.13.0.9 MAC=00:16:3e:0d:00:09
R=/tmp/xenlab/bench/nbc
lim=/sys/module/xen_gntalloc/parameters/limit
lim_was=$(cat "$lim")
mkdir -p "$R"

. /xenlab/bench/nb-bench.sh

# serve HOW: netbackd (re)started with its copies HOW (direct, gntdev),
# the guest's vif connected again (a restart re-establishes it)
serve() {
	local line
	daemon_stop netbackd
	if [ "$1" = gntdev ]; then echo 0 > "$lim"; else echo "$lim_was" > "$lim"; fi
	daemon_start netbackd
	await 30 sh -c "netbackd --status 2>/dev/null | grep -q '^vif$d.0 dom$d Connected'"
	echo "$lim_was" > "$lim"
	line=$(grep "vif$d.0 connected (" "$XENLAB_CASE_DIR/netbackd.log" | tail -n 1)
	case $line in *"copies through gntdev"*) [ "$1" = gntdev ] ;; *) [ "$1" = direct ] ;; esac ||
		fail "copies $1 were asked for: $line"
	await 30 busybox ping -c 1 -W 2 "$IP"
}

# measure HOW I: one run each way, netbackd's own CPU s/GiB to $R
measure() {
	local how=$1 dir p0 p1 pid
	pid=$(daemon_pid netbackd)
	for dir in to from; do
		p0=$(proc_ticks "$pid")
		nb_tput "$dir" "$IP" "$SECS" "$how run $2"
		p1=$(proc_ticks "$pid")
		echo "$TPUT_MBIT" >> "$R/$how.$dir"
		per_gib "$p0" "$p1" "$TPUT_BYTES" "$hz" >> "$R/$how.$dir.own"
		echo "$how run $2 $(dir_name "$dir"):" \
			"$TPUT_MBIT Mbit/s, netbackd itself $(tail -n 1 "$R/$how.$dir.own") s/GiB"
	done
	netbackd --status | grep -A 2 "^vif$d.0 " | sed 's/^/netbackd --status: /'
}

# the netbackd lab cases' host: no kernel netback, tun, $BR with $HOST
. /xenlab/bin/nb-lab.sh
nb_host
daemon_start netbackd
guest_start --cfg "vif=['bridge=$BR,mac=$MAC,script=vif-bridge']" g tput-server "$IP" "$HOST"
guest_wait g data/tput ready 90 || fail "guest: $(guest_read g data/tput)"
d=$(guest_domid g)

echo "bench netbackd-copies: $ROUNDS rounds, one guest, netbackd restarted with its grant copies direct (lib/gcopy) or through gntdev, the order alternating; $SECS s each way"
for r in $(seq 1 "$ROUNDS"); do
	if [ $((r % 2)) = 1 ]; then order="direct gntdev"; else order="gntdev direct"; fi
	for how in $order; do
		step "round $r: netbackd, copies $how"
		serve "$how"
		measure "$how" "$r"
	done
done
guest_destroy g
daemon_stop netbackd
for how in direct gntdev; do
	for dir in to from; do
		echo "$how $(dir_name "$dir"):" \
			"$(median < "$R/$how.$dir") Mbit/s (runs: $(paste -sd, "$R/$how.$dir")), netbackd itself" \
			"$(median < "$R/$how.$dir.own") s/GiB (runs: $(paste -sd, "$R/$how.$dir.own"))"
	done
done
awk -v dt="$(median < "$R/direct.to.own")" -v gt="$(median < "$R/gntdev.to.own")" \
	-v df="$(median < "$R/direct.from.own")" -v gf="$(median < "$R/gntdev.from.own")" 'BEGIN {
	printf "netbackd-copies: cpu_ratio dom0 -> guest %.2f, guest -> dom0 %.2f (direct / gntdev, netbackd own s/GiB)\n", dt / gt, df / gf }'
