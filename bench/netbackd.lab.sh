#!/bin/bash
# Runs in the lab's dom0 (lib.sh sourced): see bench/netbackd.
ROUNDS=${NB_BENCH_ROUNDS:-3}
SECS=${NB_BENCH_SECS:-10}
BR=xenbr0 HOST=10.13.0.1 IP=10.13.0.9 MAC=00:16:3e:0d:00:09
R=/tmp/xenlab/bench/nb
mkdir -p "$R"
autoprobe=/sys/bus/xen-backend/drivers_autoprobe

. /xenlab/bench/nb-bench.sh
# dom0's CPU time in seconds as Xen accounts it (its vCPUs' time on the
# physical CPUs; dom0's own /proc/stat leaves out what Xen calls steal, a
# task's runtime counts it in)
dom0_secs() { xl list 0 | awk 'NR == 2 { print $6 }'; }
# the guest's (the other end of every byte: the two share the host's
# cores, so what it spends a byte counts as much as dom0's)
guest_secs() { xl list "$d" | awk 'NR == 2 { print $6 }'; }

# measure WHO I: one run each way against the guest; figures to $R
measure() {
	local who=$1 i=$2 dir t0 t1 g0 g1 p0 p1 vpid pid=
	[ "$who" = netbackd ] && pid=$(daemon_pid netbackd)
	for dir in to from; do
		t0=$(dom0_secs) g0=$(guest_secs)
		p0=${pid:+$(proc_ticks "$pid")}
		# where Xen runs each vCPU halfway through (placement is the
		# first suspect when a round is slow)
		(sleep $((SECS / 2)); xl vcpu-list | awk 'NR > 1 { printf "%s%s v%s@p%s", sep, $2, $3, $4; sep = "," }' \
			> "$R/vcpus") &
		vpid=$!
		nb_tput "$dir" "$IP" "$SECS" "$who run $i"
		wait "$vpid"
		t1=$(dom0_secs) g1=$(guest_secs)
		p1=${pid:+$(proc_ticks "$pid")}
		echo "$TPUT_MBIT" >> "$R/$who.$dir"
		per_gib "$t0" "$t1" "$TPUT_BYTES" >> "$R/$who.$dir.cpu"
		per_gib "$g0" "$g1" "$TPUT_BYTES" >> "$R/$who.$dir.guest"
		[ -n "$pid" ] && per_gib "$p0" "$p1" "$TPUT_BYTES" "$hz" >> "$R/$who.$dir.own"
		echo "$who run $i $(dir_name "$dir"):" \
			"$TPUT_MBIT Mbit/s ($TPUT_BYTES bytes in $TPUT_SECS s), dom0 CPU $(tail -n 1 "$R/$who.$dir.cpu") s/GiB${pid:+, netbackd itself $(tail -n 1 "$R/$who.$dir.own") s/GiB}, guest CPU $(tail -n 1 "$R/$who.$dir.guest") s/GiB; vCPUs (domid vN@pCPU) $(cat "$R/vcpus")"
	done
}

# half WHO I: a guest up on the vif, one run each way, the guest
# destroyed and its vif gone
half() {
	local d g=tp-$1-$2
	step "round $2, $1: guest with a vif on $BR"
	guest_start --cfg "vif=['bridge=$BR,mac=$MAC,script=vif-bridge']" "$g" \
		tput-server "$IP" "$HOST"
	guest_wait "$g" data/tput ready 90 || fail "guest: $(guest_read "$g" data/tput)"
	d=$(guest_domid "$g")
	step "round $2, $1: measuring"
	measure "$1" "$2"
	[ "$1" = netbackd ] && netbackd --status | grep -A 3 "^vif$d.0 " | sed 's/^/netbackd --status: /'
	step "round $2, $1: guest destroyed, its vif gone"
	guest_destroy "$g"
	await 30 sh -c "! xenstore-exists /local/domain/0/backend/vif/$d && ! ip link show vif$d.0 >/dev/null 2>&1"
}

# the netbackd lab cases' host: no kernel netback (netbackd's half
# needs it absent), tun, $BR with $HOST
. /xenlab/bin/nb-lab.sh
nb_host

# The host's load drifts (other work shares its two cores): the halves
# take turns, round by round, so a slow spell hits both.
echo "bench netbackd: $ROUNDS rounds of netbackd then the kernel's netback, $SECS s each way, xlab-tput, guest ${XENLAB_GUEST_MEM:-128} MB 1 vCPU; medians"
for r in $(seq 1 "$ROUNDS"); do
	step "round $r: netbackd starts"
	daemon_start netbackd
	half netbackd "$r"
	step "round $r: netbackd stops"
	daemon_stop netbackd
	step "round $r: the kernel's xen-netback loaded and probing"
	run modprobe xen-netback
	[ -f "$autoprobe" ] && [ "$(cat "$autoprobe")" != 1 ] && echo 1 > "$autoprobe"
	half kernel "$r"
	step "round $r: xen-netback unloaded"
	# (it stays in use until the destroyed guest's vif is gone)
	await 30 modprobe -r xen-netback
done
for who in netbackd kernel; do
	for dir in to from; do
		echo "$who $(dir_name "$dir"):" \
			"$(median < "$R/$who.$dir") Mbit/s (runs: $(paste -sd, "$R/$who.$dir")), dom0 CPU" \
			"$(median < "$R/$who.$dir.cpu") s/GiB$([ -f "$R/$who.$dir.own" ] &&
				echo ", netbackd itself $(median < "$R/$who.$dir.own") s/GiB"), guest CPU" \
			"$(median < "$R/$who.$dir.guest") s/GiB"
	done
done
awk -v nt="$(median < "$R/netbackd.to")" -v kt="$(median < "$R/kernel.to")" \
	-v nf="$(median < "$R/netbackd.from")" -v kf="$(median < "$R/kernel.from")" \
	-v nct="$(median < "$R/netbackd.to.cpu")" -v kct="$(median < "$R/kernel.to.cpu")" \
	-v ncf="$(median < "$R/netbackd.from.cpu")" -v kcf="$(median < "$R/kernel.from.cpu")" 'BEGIN {
	rt = kt > 0 ? nt / kt : 0; rf = kf > 0 ? nf / kf : 0
	printf "ratio dom0 -> guest %.2f, guest -> dom0 %.2f\n", rt, rf
	printf "dom0 CPU s/GiB, netbackd vs kernel: dom0 -> guest %.2f vs %.2f, guest -> dom0 %.2f vs %.2f\n", nct, kct, ncf, kcf
	printf "netbackd: ratio=%.2f\n", rt < rf ? rt : rf }'
