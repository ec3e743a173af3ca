# nb-lab.sh: steps shared by the netbackd lab cases, sourced by
# tests/xenlab/cases/netbackd-*.sh from /xenlab/bin in dom0 (after lib.sh).

# nb_setup: the kernel's netback is not there, a bridge xenbr0 with
# 10.13.0.1/24 is (vif-bridge puts each TAP on it), and netbackd runs.
nb_setup() {
	step "the kernel's xen-netback is not loaded"
	# Debian builds it as a module; the lab loads it only when asked
	[ -e /sys/module/xen_netback ] && fail "xen-netback is loaded"
	step "tun loaded"
	# a dom0 with udev has /dev/net/tun, whose open loads tun
	run modprobe tun
	step "bridge xenbr0 with 10.13.0.1/24"
	if ! ip link show xenbr0 >/dev/null 2>&1; then
		run modprobe bridge
		run ip link add xenbr0 type bridge
		run ip addr add 10.13.0.1/24 dev xenbr0
	fi
	run ip link set xenbr0 up
	step "netbackd starts"
	daemon_start netbackd -v
}

# nb_guest NAME N [MIB]: a guest NAME running nb-net with a vif on
# xenbr0 (MAC 00:16:3e:0d:00:0N, address 10.13.0.N), up and pinging
# dom0 through netbackd.
nb_guest() {
	step "guest $1 gets eth0 through netbackd and pings dom0"
	guest_start --cfg "vif=['bridge=xenbr0,mac=00:16:3e:0d:00:0$2']" "$1" \
		nb-net "10.13.0.$2" 10.13.0.1 ${3:+"$3"}
	guest_wait "$1" data/nb-ping ok 90 ||
		fail "guest $1: $(guest_read "$1" data/nb-ping)"
}

# nb_teardown NAME: the guest goes (its vif through Closing and Closed
# while netbackd still answers), then netbackd stops cleanly.
nb_teardown() {
	step "guest destroyed, its vif removed"
	local d
	d=$(guest_domid "$1")
	guest_destroy "$1"
	log "xl destroy returned"
	await 30 nb_gone "$d"
	step "netbackd exits 0"
	daemon_stop netbackd
}
nb_gone() { ! xenstore-exists "/local/domain/0/backend/vif/$1" && ! ip link show "vif$1.0" >/dev/null 2>&1; }
nb_exited() { ! kill -0 "$1" 2>/dev/null; }
nb_secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
nb_fds() { ls "/proc/$(daemon_pid netbackd)/fd" | wc -l; }
nb_rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$(daemon_pid netbackd)/status"; }
nb_connected() { netbackd --status 2>/dev/null | grep -q "^vif$1.0 dom$1 Connected"; }
nb_no_link() { ! ip link show "$1" >/dev/null 2>&1; }
nb_be_state() { [ "$(xenstore-read "/local/domain/0/backend/vif/$1/0/state" 2>/dev/null)" = "$2" ]; }
# nb_stream MIB: MIB MiB of one random 4 MiB block, repeated
nb_stream() {
	local i blk=$XENLAB_CASE_DIR/blk
	[ -f "$blk" ] || head -c 4194304 /dev/urandom > "$blk"
	for ((i = 0; i < $1 / 4; i++)); do cat "$blk"; done
}
