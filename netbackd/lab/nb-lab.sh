# nb-lab.sh: steps shared by the netbackd lab cases, sourced by
# tests/xenlab/cases/netbackd-*.sh from /xenlab/bin in dom0 (after lib.sh).

# nb_setup: the kernel's netback is not there, a bridge xenbr0 with
# 10.13.0.1/24 is (vif-bridge puts each TAP on it), and netbackd runs.
nb_setup() {
	nb_host
	step "netbackd starts"
	daemon_start netbackd -v
}

# nb_host: nb_setup but for netbackd itself (install-systemd-netbackd.sh
# starts its unit instead).
nb_host() {
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
}

# nb_httpd NAME IP MAC: the httpd unikernel NAME (uk-lab.sh) with a vif
# on xenbr0, ready, and served by netbackd: backend state 4, vif-bridge
# reported, vif<d>.0 on xenbr0, Connected in --status. Sets d, its domid.
nb_httpd() {
	step "httpd boots with a vif on xenbr0 and gets ready"
	uk_start --mem 4 --cfg "vif = [ 'bridge=xenbr0,mac=$3,script=vif-bridge' ]" \
		"$1" uk-httpd "ip=$2 mask=255.255.255.0"
	uk_wait_ready "$1" 60
	d=$(guest_domid "$1")
	[ "$(guest_read "$1" data/net)" = connected ] ||
		fail "data/net is '$(guest_read "$1" data/net)', not connected"
	guest_wait_console "$1" "^httpd: vif connected, mac $3, serving http://$2/" 10 ||
		fail "no 'vif connected' line: $(tail -n 3 "$(guest_console "$1")")"

	step "netbackd serves it: backend state 4, vif-bridge reported, vif$d.0 on xenbr0"
	wait_until 20 nb_be_state "$d" 4 ||
		fail "backend state '$(xenstore-read "/local/domain/0/backend/vif/$d/0/state")', not 4"
	[ "$(xenstore-read "/local/domain/0/backend/vif/$d/0/hotplug-status" 2>/dev/null)" = connected ] ||
		fail "vif-bridge did not report hotplug-status=connected"
	[ -e "/sys/class/net/xenbr0/brif/vif$d.0" ] || fail "vif$d.0 is not on xenbr0"
	nb_connected "$d" || fail "no Connected vif$d.0 in netbackd --status: $(netbackd --status 2>&1)"
}

# nb_guest NAME N [MIB]: a guest NAME running nb-net with a vif on
# xenbr0 (MAC 00:16:3e:0d:00:0N, address 10.13.0.N), up and pinging
# dom0 through netbackd. NB_VIF adds to the vif spec (",rate=..."),
# NB_CFG is one more xl.cfg line ("vcpus = 2").
nb_guest() {
	step "guest $1 gets eth0 through netbackd and pings dom0"
	guest_start --cfg "vif=['bridge=xenbr0,mac=00:16:3e:0d:00:0$2${NB_VIF:-}']" \
		${NB_CFG:+--cfg "$NB_CFG"} "$1" \
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
# The bulk transfers: xlab-tput put sends MIB MiB of a pseudo-random
# stream and xlab-tput take receives one connection; each prints
# "bytes=N sum=S" (S a hash of the bytes in order), and both must match
# the MiB asked for: a lost, doubled or damaged segment changes S.

# nb_same WHAT MIB SENT GOT: the two ends saw the same MIB MiB, logged
nb_same() {
	log "$1: $2 MiB in $(nb_secs "$NB_T0" "$NB_T1") s, sent '$3', got '$4'"
	case $3 in "bytes=$(($2 * 1048576)) sum="?*) ;; *) fail "$1: sent '$3', not $2 MiB" ;; esac
	[ "$3" = "$4" ] || fail "$1: sums differ: sent '$3', got '$4'"
}

# nb_take: dom0's listener on port 5001 (xlab-tput take), in NB_TAKE_PID
nb_take() {
	rm -f "$XENLAB_CASE_DIR/take.out"
	xlab-tput take 5001 > "$XENLAB_CASE_DIR/take.out" 2>&1 &
	NB_TAKE_PID=$!
	wait_until 10 sh -c "busybox netstat -ltn | grep -q ':5001 '" || fail "no listener in dom0"
}

# nb_taken: once dom0's listener is done, what it got in NB_GOT (call
# it outside $(...): it sets NB_T1 too)
nb_taken() {
	wait_until 60 nb_exited "$NB_TAKE_PID" || fail "dom0's listener did not finish"
	NB_T1=$(date +%s.%N)
	NB_GOT=$(cat "$XENLAB_CASE_DIR/take.out")
}

# nb_to_guest NAME IP MIB: MIB MiB from dom0 to the nb-net guest NAME
# (started with MIB) at IP, all of it what the guest got.
nb_to_guest() {
	local sent got
	NB_T0=$(date +%s.%N)
	sent=$(timeout 240 xlab-tput put "$2" 5002 "$3" 2>&1) || fail "sending to the guest failed: $sent"
	guest_wait "$1" data/nb-rx-sum "" 120 || fail "the guest reported no sum"
	NB_T1=$(date +%s.%N)
	got=$(guest_read "$1" data/nb-rx-sum)
	nb_same "dom0 -> guest" "$3" "$sent" "$got"
}

# nb_from_guest NAME MIB: the nb-net guest NAME (started with MIB) sends
# its MIB MiB to dom0, all of it what dom0 got. NB_T0 and NB_T1 are set
# to the times (date +%s.%N) before the guest was asked and after all
# arrived.
nb_from_guest() {
	nb_take
	NB_T0=$(date +%s.%N)
	xenstore-write "/local/domain/$(guest_domid "$1")/data/nb-send" 1
	guest_wait "$1" data/nb-tx-sum "" 300 || fail "the guest reported no sum"
	nb_taken
	nb_same "guest -> dom0" "$2" "$(guest_read "$1" data/nb-tx-sum)" "$NB_GOT"
}

# nb_vif_field VIF LINE KEY: the word after KEY on VIF's status line
# that begins with LINE ("  tx packets", "  queue 1:"), from netbackd
# --status
nb_vif_field() {
	netbackd --status | awk -v v="$1" -v l="$2" -v k="$3" '
		$0 ~ "^vif" { on = ($1 == v) }
		on && index($0, l) == 1 {
			for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit }
		}'
}

# nb_allowed VIF Q: the CPUs queue Q's thread of VIF may run on (its
# Cpus_allowed_list; a thread's id names it in /proc too)
nb_allowed() {
	awk '/^Cpus_allowed_list:/ { print $2 }' \
		"/proc/$(nb_vif_field "$1" "  queue $2:" thread)/status"
}

# nb_irqs_to ACTION CPU: the interrupts named ACTION in /proc/interrupts
# ("evtchn:vif5.0-q0") to CPU
nb_irqs_to() {
	local i n=0
	for i in $(awk -v a="$1" '$NF == a { sub(":", "", $1); print $1 }' /proc/interrupts); do
		echo "$2" > "/proc/irq/$i/smp_affinity_list" || fail "could not move interrupt $i to CPU $2"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || fail "no interrupt is named $1"
	log "interrupts of $1 moved to CPU $2"
}

# nb_ask NAME CMD: the nb-net guest NAME's next command (data/nb-cmd<N>,
# NB_N counting in this shell: call it outside $(...)); its answer in
# NB_ANSWER
nb_ask() {
	NB_N=$((${NB_N:-0} + 1))
	xenstore-write "/local/domain/$(guest_domid "$1")/data/nb-cmd$NB_N" "$2"
	guest_wait "$1" "data/nb-res$NB_N" "" 300 || fail "no answer from guest $1 to '$2'"
	NB_ANSWER=$(guest_read "$1" "data/nb-res$NB_N")
}

# nb_send NAME MIB: as nb_from_guest, through the guest's "send"
# command, which may be repeated (with or without the guest's MIB)
nb_send() {
	nb_take
	NB_T0=$(date +%s.%N)
	nb_ask "$1" "send $2"
	nb_taken
	nb_same "guest -> dom0" "$2" "$NB_ANSWER" "$NB_GOT"
}
