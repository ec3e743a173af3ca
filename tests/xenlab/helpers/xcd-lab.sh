# xcd-lab.sh: steps shared by the xenconsoled lab cases, sourced by
# tests/xenlab/cases/xenconsoled-*.sh from /xenlab/bin in dom0.
XCD_LOGDIR=/var/log/xen/console

# Xen's own daemon comes back however the case ends, so that later cases
# keep their console logs.
xcd_cleanup() {
	[ -f "$XENLAB_CASE_DIR/fail" ] && xcd_diagnose
	# a stopped journald would hold our daemon's drain back
	[ -n "${_xcd_jpid:-}" ] && kill -CONT "$_xcd_jpid" 2>/dev/null
	_xl_cleanup
	[ -n "${_xcd_jpid:-}" ] && _xcd_journald_stop
	xen_consoled_start
}

# xcd_journald: runs systemd-journald for the case (the lab's dom0 has no
# systemd as pid 1), with volatile storage; its pid is in xcd_jpid. The
# case's end (xcd_cleanup, once xcd_start ran) keeps the whole journal in
# journal-verbose.log and stops it.
xcd_journald() {
	local jd=/lib/systemd/systemd-journald
	[ -x $jd ] || fail "no $jd in dom0 (package systemd in dom0-packages)"
	# (a comm is cut to 15 characters)
	grep -qx systemd-journal /proc/[0-9]*/comm 2>/dev/null &&
		fail "a journald runs already"
	# an earlier case's journald leaves its sockets behind
	rm -f /run/systemd/journal/socket /run/systemd/journal/stdout \
		/run/systemd/journal/dev-log /run/systemd/journal/syslog
	# journald needs a machine id to name its directory,
	[ -s /etc/machine-id ] ||
		tr -d - < /proc/sys/kernel/random/uuid > /etc/machine-id
	# and the cgroup tree, or it exits at once.
	_xcd_cg=
	if ! grep -q ' /sys/fs/cgroup ' /proc/mounts; then
		mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
		_xcd_cg=1
	fi
	$jd > "$XENLAB_CASE_DIR/journald.log" 2>&1 &
	_xcd_jpid=$!
	xcd_jpid=$_xcd_jpid
	trap '_xcd_journald_stop; _xl_cleanup' EXIT
	await 10 test -S /run/systemd/journal/socket
}

_xcd_journald_stop() {
	journalctl -q --no-pager -o verbose \
		> "$XENLAB_CASE_DIR/journal-verbose.log" 2>&1
	kill -CONT "$_xcd_jpid" 2>/dev/null
	kill "$_xcd_jpid" 2>/dev/null
	wait "$_xcd_jpid" 2>/dev/null
	_xcd_jpid=
	[ -z "$_xcd_cg" ] || umount /sys/fs/cgroup
}

# What a failed case leaves for its reader.
xcd_diagnose() {
	local pid f id
	log "--- diagnostics"
	xl list
	pid=$(daemon_pid xenconsoled 2>/dev/null)
	if [ -n "$pid" ] && kill -USR1 "$pid" 2>/dev/null; then
		wait_until 2 false
		echo "daemon: $(cat /proc/$pid/wchan 2>/dev/null)"
	fi
	tail -n 20 "$XENLAB_CASE_DIR/xenconsoled.log"
	for id in $(xl list | awk 'NR > 2 { print $2 }'); do
		xenstore-ls -f "/local/domain/$id" | grep -E '/(console|data)/'
	done
	for f in "$XCD_LOGDIR"/guest-"$XENLAB_CASE"-*.log; do
		[ -f "$f" ] || continue
		echo "--- $f ($(stat -c %s "$f") bytes), last lines:"
		tail -n 5 "$f" | cat -A | cut -c1-200
	done
}

# xcd_start [ARGS...]: replace Xen's xenconsoled with ours.
xcd_start() {
	trap xcd_cleanup EXIT
	step "stop Xen's xenconsoled"
	xen_consoled_stop
	step "start xud's xenconsoled $*"
	daemon_start xenconsoled --log=guest --log-dir="$XCD_LOGDIR" "$@"
}

# xcd_finish: ours drains and exits 0 on SIGTERM; Xen's comes back.
xcd_finish() {
	step "xenconsoled exits 0 on SIGTERM"
	daemon_stop xenconsoled
	step "restart Xen's xenconsoled"
	xen_consoled_start
}

# xcd_conf TEXT: a config file for this case; prints its path.
xcd_conf() {
	printf '%s\n' "$1" > "$XENLAB_CASE_DIR/xenconsoled.conf"
	echo "$XENLAB_CASE_DIR/xenconsoled.conf"
}

# xcd_seq FILE... TAG N: the files hold "TAG 000001" .. "TAG N", each once,
# in order (other lines, stamps and \r are ignored); fails with the first
# line that is out of place. With XCD_SEQ_REPLAY=MAX, one run of at most
# MAX lines may come again where the sequence goes back (a daemon killed
# with SIGKILL repeats what its writers had logged but the ring had not
# yet given up); still no gap.
xcd_seq() {
	local n=${*: -1} tag=${*: -2:1} err replay=${XCD_SEQ_REPLAY:-0}
	# a kernel message ("[  207.91] watchdog: ...") may cut a line: it
	# is the guest's, not a loss, and is taken out first
	err=$(cat "${@:1:$#-2}" | tr -d '\r' |
		sed 's/\[ *[0-9]\{1,\}\.[0-9]\{6\}\] .*$//' |
		sed -n "s/^.*\($tag [0-9]\{6\}\)\$/\1/p" |
		awk -v n="$n" -v replay="$replay" '
			{ w = sprintf("%06d", k + 1) }
			$2 != w && !back && replay > 0 && $2 + 0 >= 1 &&
			    $2 + 0 <= k && k - $2 + 1 <= replay {
				# the one replay: the sequence goes on from here
				back = 1; rep = k - $2 + 1; k = $2 + 0; next }
			$2 != w { print "line " NR " is \"" $0 "\", not " w; bad = 1; exit }
			{ k++ }
			END { if (!bad && k != n) print k " numbered lines, not " n
				if (!bad && rep) print "replayed " rep > "/dev/stderr" }')
	if [ -n "$err" ]; then
		# the raw bytes around the first bad line, for the reader
		bad=$(echo "$err" | sed -n 's/^line \([0-9]*\) .*/\1/p')
		[ -n "$bad" ] && cat "${@:1:$#-2}" |
			grep -a -B2 -A3 "$tag $(printf %06d $((bad - 1)))" | cat -A | head -n 12
		fail "$1: $err"
	fi
	log "all $n lines of $tag present, in order, once"
}

# xcd_write_go NAME KEY VALUE: a key in the guest's tree the guest may read.
xcd_guest_key() {
	local id
	id=$(guest_domid "$1") || fail "no domid for $1"
	xenstore-write "/local/domain/$id/$2" "$3" &&
		xenstore-chmod "/local/domain/$id/$2" "n$id" ||
		fail "cannot write $2 for guest $1"
}

# xcd_sec_device NAME N CNAME: device/console/N of guest NAME, named
# CNAME and marked type=xenconsoled, written as a toolstack would. libxl
# writes the frontend in one transaction; here "state" comes last, since
# the guest's xenbus probes a device once its state is Initialising (and
# a guest program playing the frontend waits for it: the guest may write
# there only by then).
xcd_sec_device() {
	local d be fe k
	d=$(guest_domid "$1") || fail "no domid for $1"
	be=/local/domain/0/backend/console/$d/$2
	fe=/local/domain/$d/device/console/$2
	run xenstore-write "$be/frontend" "$fe" "$be/frontend-id" "$d" \
		"$be/online" 1 "$be/state" 1 "$be/protocol" vt100 "$be/name" "$3"
	run xenstore-chmod -r "$be" n0 "r$d"
	run xenstore-write "$fe/backend" "$be" "$fe/backend-id" 0 \
		"$fe/protocol" vt100 "$fe/limit" 1048576 "$fe/type" xenconsoled \
		"$fe/output" pty "$fe/tty" "" "$fe/name" "$3"
	run xenstore-chmod -r "$fe" "n$d" r0
	# what the guest may read but not change
	for k in limit type output tty name; do
		run xenstore-chmod "$fe/$k" n0 "r$d"
	done
	run xenstore-write "$fe/state" 1
}
