# uk-lab.sh: steps shared by the unikernel lab cases, sourced by
# tests/xenlab/cases/unikernel-*.sh from /xenlab/bin in dom0 (after lib.sh).
UK_BIN=/xenlab/bin

# uk_start [--cfg 'xl.cfg line']... [--mem MB] [--try] NAME IMAGE [EXTRA]:
# xl create the unikernel IMAGE (e.g. uk-hello) in 4 MB (or MB) as
# <case>-NAME, with EXTRA as its command line; the case's cleanup destroys
# it. Does not wait. Sets uk_t0 (ns, before xl create) and uk_t_created
# (ns, after it returned). With --try, a failed xl create returns 1
# instead of failing the case.
uk_start() {
	local cfgx=() name image extra cfg a mem=4 try=
	while :; do
		case $1 in
		--cfg) cfgx+=("$2"); shift 2 ;;
		--mem) mem=$2; shift 2 ;;
		--try) try=1; shift ;;
		*) break ;;
		esac
	done
	name=$1 image=$2 extra=${3:-}
	[ -f "$UK_BIN/$image" ] || fail "no unikernel image $UK_BIN/$image"
	cfg=$XENLAB_CASE_DIR/$name.cfg
	{
		echo "name = \"$XENLAB_CASE-$name\""
		echo 'type = "pv"'
		echo "kernel = \"$UK_BIN/$image\""
		echo "memory = $mem"
		echo 'vcpus = 1'
		echo "extra = \"$extra\""
		echo 'on_poweroff = "destroy"'
		for a in "${cfgx[@]}"; do echo "$a"; done
	} > "$cfg"
	log "unikernel $name: xl create ($image${extra:+, extra '$extra'})"
	xenstore-list /local/domain > "$XENLAB_CASE_DIR/$name.before"
	rm -f "$XENLAB_CASE_DIR/$name.ready"
	_uk_watch_ready "$XENLAB_CASE_DIR/$name" &
	echo $! > "$XENLAB_CASE_DIR/$name.watching"
	uk_t0=$(date +%s%N)
	if ! timeout -k 5 60 xl create -q "$cfg" >> "$XENLAB_CASE_DIR/xl-create.log" 2>&1; then
		_uk_watch_stop "$name"
		[ -n "$try" ] && return 1
		tail -n 5 "$XENLAB_CASE_DIR/xl-create.log" | sed 's/^/  /'
		fail "xl create of unikernel $name failed: $(tail -n 1 "$XENLAB_CASE_DIR/xl-create.log")"
	fi
	uk_t_created=$(date +%s%N)
	# lib.sh's list: the case's end destroys what is left
	_xl_guests="$_xl_guests $name"
	log "unikernel $name: domid $(guest_domid "$name" || echo '(gone already)')"
}

# _uk_watch_ready PREFIX: runs beside xl create. The new domain is the
# one not in PREFIX.before; once its data/ready is 1, the time (ns) goes
# to PREFIX.ready. So the time to ready does not depend on when xl create
# returns, nor on the `xl domid` a case runs after it.
_uk_watch_ready() {
	local id end=$(( $(date +%s) + 60 ))
	while [ "$(date +%s)" -lt "$end" ]; do
		for id in $(xenstore-list /local/domain 2>/dev/null); do
			grep -qx "$id" "$1.before" && continue
			xlab-gxs wait "/local/domain/$id/data/ready" 1 60 >/dev/null 2>&1 &&
				date +%s%N > "$1.ready"
			return
		done
		sleep 0.05
	done
}

# uk_wait_ready NAME [SECS]: waits for data/ready=1; sets uk_t_ready (ns),
# when the key was first seen if uk_start saw it, else now.
uk_wait_ready() {
	local f=$XENLAB_CASE_DIR/$1.ready
	guest_wait "$1" data/ready 1 "${2:-30}" ||
		fail "unikernel $1 wrote no data/ready=1 within ${2:-30}s (console: $(tail -n 3 "$(guest_console "$1")" 2>/dev/null))"
	uk_t_ready=$(date +%s%N)
	if [ -f "$XENLAB_CASE_DIR/$1.watching" ]; then
		wait_until 5 test -s "$f" && uk_t_ready=$(cat "$f")
		_uk_watch_stop "$1"
	fi
}

# A domain that will never be ready (it crashed, or was destroyed) needs
# no watcher.
_uk_watch_stop() {
	local w=$XENLAB_CASE_DIR/$1.watching pid
	[ -f "$w" ] || return 0
	pid=$(cat "$w")
	pkill -P "$pid" 2>/dev/null
	kill "$pid" 2>/dev/null
	rm -f "$w" "$XENLAB_CASE_DIR/$1.ready"
}

# uk_wait_gone NAME [SECS]: the domain no longer exists.
uk_wait_gone() {
	_uk_watch_stop "$1"
	wait_until "${2:-30}" sh -c "! xl domid '$(_xl_gname "$1")'" ||
		fail "unikernel $1 still exists after ${2:-30}s: $(xl list | grep "$(_xl_gname "$1")")"
}

# uk_ms A B: milliseconds from ns A to ns B.
uk_ms() {
	echo $(( ($2 - $1) / 1000000 ))
}

# uk_shutdown NAME WHO: `xl shutdown` powers unikernel NAME off: it is
# gone within 30 s, and its console says "WHO: powering off" first.
uk_shutdown() {
	run xl shutdown "$(_xl_gname "$1")"
	uk_wait_gone "$1" 30
	grep -q "^$2: powering off" "$(guest_console "$1")" ||
		fail "unikernel $1 did not say it powers off: $(tail -n 3 "$(guest_console "$1")")"
	_xl_guests=${_xl_guests/ $1/}
}

# uk_many PREFIX IMAGE N [EXTRA]: xl create N unikernels IMAGE in 4 MB,
# named <case>-PREFIX1 .. PREFIXN, four xl creates at a time (one after
# another takes too long by the hundred); "{}" in EXTRA is the guest's
# number. Fails if any create failed; the case's end destroys them all.
# Sets uk_many_ms, how long the creates took.
uk_many() {
	local prefix=$1 image=$2 n=$3 extra=${4:-} cfg i t0
	cfg=$XENLAB_CASE_DIR/$prefix-many.cfg
	{
		echo 'type = "pv"'
		echo "kernel = \"$UK_BIN/$image\""
		echo 'memory = 4'
		echo 'vcpus = 1'
		echo 'on_poweroff = "destroy"'
		echo 'on_crash = "preserve"'
	} > "$cfg"
	for i in $(seq 1 "$n"); do
		_xl_guests="$_xl_guests $prefix$i"
	done
	rm -f "$XENLAB_CASE_DIR/create-failed"
	t0=$(date +%s%N)
	seq 1 "$n" | xargs -P 4 -I{} sh -c "timeout -k 5 120 xl create -q '$cfg' \
		'name=\"$XENLAB_CASE-$prefix{}\"' 'extra=\"$extra\"' \
		>> '$XENLAB_CASE_DIR/xl-create.log' 2>&1 || echo $prefix{} >> '$XENLAB_CASE_DIR/create-failed'"
	uk_many_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ -s "$XENLAB_CASE_DIR/create-failed" ] &&
		fail "xl create failed for $(wc -l < "$XENLAB_CASE_DIR/create-failed") guests: $(tail -n 2 "$XENLAB_CASE_DIR/xl-create.log")"
	log "$n unikernels $image created in $uk_many_ms ms"
}

# _uk_many_col PREFIX COLUMN: that xl list column (1 name, 2 domid) of
# the running <case>-PREFIX<n> guests, from one xl list.
_uk_many_col() {
	xl list | awk -v p="$XENLAB_CASE-$1" -v c="$2" \
		'index($1, p) == 1 && substr($1, length(p) + 1) ~ /^[0-9]+$/ { print $c }'
}

# uk_many_ids PREFIX: their domids
uk_many_ids() { _uk_many_col "$1" 2; }

# uk_many_ready PREFIX: every one of them has data/ready = 1
uk_many_ready() {
	local id
	for id in $(uk_many_ids "$1"); do
		[ "$(xenstore-read "/local/domain/$id/data/ready" 2>/dev/null)" = 1 ] || return 1
	done
}

# uk_many_destroy PREFIX: xl destroy them all, four at a time, and wait
# until they are gone.
uk_many_destroy() {
	_uk_many_col "$1" 1 | xargs -r -P 4 -n 1 timeout -k 5 60 xl destroy
	await 60 sh -c "[ -z \"\$(xl list | awk -v p='$XENLAB_CASE-$1' 'index(\$1, p) == 1')\" ]"
	_xl_guests=$(echo "$_xl_guests" | tr ' ' '\n' | grep -v "^$1[0-9]*\$" | tr '\n' ' ')
}

# proc_fds PID, proc_rss PID: a process's open fds; its RSS in KiB.
proc_fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 | wc -l; }
proc_rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# proc_baseline PID NAME: logs a daemon's fds and RSS, kept in proc_fd0 and
# proc_rss0;
# proc_back PID NAME: within 30 s they are back: fds at most what they
# were, RSS within 512 KiB (tables keep their size, glibc the tops of its
# arenas: 356 KiB when measured with 100 guests).
proc_baseline() {
	proc_fd0=$(proc_fds "$1") proc_rss0=$(proc_rss "$1")
	log "$2 before: $proc_fd0 fds, RSS $proc_rss0 KiB"
}
_proc_is_back() {
	[ "$(proc_fds "$1")" -le "$proc_fd0" ] &&
		[ "$(proc_rss "$1")" -le $((proc_rss0 + 512)) ]
}
proc_back() {
	wait_until 30 _proc_is_back "$1" ||
		fail "$2: fds $(proc_fds "$1") (was $proc_fd0), RSS $(proc_rss "$1") KiB (was $proc_rss0)"
	log "$2 after: $(proc_fds "$1") fds, RSS $(proc_rss "$1") KiB"
}

# uk_netback_bridge BR HOST: the kernel's xen-netback loaded and probing,
# and bridge BR up with HOST/24, for a unikernel's vif with vif-bridge.
# Another case in the same boot may have unloaded xen-netback or turned
# off the xen-backend bus's autoprobe (netbackd's cases do): both are put
# back. uk_netback_undo, from the case's EXIT trap after _xl_cleanup (the
# module stays in use until the destroyed guests' vifs are gone), leaves
# them as the case found them: netbackd's cases want the module absent,
# as the lab boots without it.
_uk_autoprobe=/sys/bus/xen-backend/drivers_autoprobe
uk_netback_bridge() {
	_uk_br=$1 _uk_autoprobe_was=
	[ -d /sys/module/xen_netback ] && _uk_netback_was=loaded || _uk_netback_was=
	run modprobe xen-netback
	run modprobe bridge
	[ -d /sys/bus/xen-backend/drivers/vif ] ||
		fail "xen-netback's driver 'vif' is not on the xen-backend bus"
	if [ -f "$_uk_autoprobe" ] && [ "$(cat "$_uk_autoprobe")" != 1 ]; then
		_uk_autoprobe_was=$(cat "$_uk_autoprobe")
		log "xen-backend autoprobe was $_uk_autoprobe_was: set to 1 for this case"
		echo 1 > "$_uk_autoprobe"
	fi
	ip link del "$1" 2>/dev/null
	run ip link add "$1" type bridge
	run ip addr add "$2/24" dev "$1"
	run ip link set "$1" up
}
uk_netback_undo() {
	[ -n "${_uk_br:-}" ] || return 0
	ip link del "$_uk_br" 2>/dev/null
	[ -n "$_uk_autoprobe_was" ] && echo "$_uk_autoprobe_was" > "$_uk_autoprobe"
	[ -n "$_uk_netback_was" ] && return 0
	if wait_until 20 modprobe -r xen-netback; then
		log "xen-netback unloaded again, as the case found it"
	else
		log "warning: xen-netback could not be unloaded after the case"
	fi
}

# uk_ping IP: dom0 pings a unikernel at IP; once one reply came (the first
# may wait for ARP on both sides), 5 of 5 come back.
uk_ping() {
	local out
	wait_until 20 busybox ping -c 1 -W 2 "$1" || fail "no echo reply from $1 within 20 s"
	out=$(busybox ping -c 5 -W 5 "$1" 2>&1)
	log "$(echo "$out" | tail -n 2 | tr '\n' ' ')"
	echo "$out" | grep -q '5 packets received' || fail "ping lost replies: $out"
}

# uk_page IP [PATH]: what the httpd unikernel at IP answers for
# http://IP/PATH, by busybox wget (under timeout: Debian's `busybox wget
# -T` segfaults); wget's errors go to the case's wget.err.
uk_page() {
	timeout 15 busybox wget -q -O - "http://$1/${2:-}" 2>"$XENLAB_CASE_DIR/wget.err"
}

# uk_pages IP N: N sequential requests for the httpd unikernel's page all
# get it; the count and the time are logged (never judged).
uk_pages() {
	local i p ok=0 t0
	t0=$(date +%s%N)
	for i in $(seq "$2"); do
		p=$(uk_page "$1") && echo "$p" | grep -q '<h1>xud httpd unikernel</h1>' &&
			ok=$((ok + 1))
	done
	log "unikernel: httpd: $ok of $2 sequential requests answered in $(uk_ms "$t0" "$(date +%s%N)") ms"
	[ "$ok" = "$2" ] || fail "only $ok of $2 requests got the page"
}
