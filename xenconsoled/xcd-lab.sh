# xcd-lab.sh: steps shared by the xenconsoled lab cases, sourced by
# tests/xenlab/cases/xenconsoled-*.sh from /xenlab/bin in dom0.
XCD_LOGDIR=/var/log/xen/console

# Xen's own daemon comes back however the case ends, so that later cases
# keep their console logs.
xcd_cleanup() {
	[ -f "$XENLAB_CASE_DIR/fail" ] && xcd_diagnose
	_xl_cleanup
	xen_consoled_start
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
# line that is out of place.
xcd_seq() {
	local n=${*: -1} tag=${*: -2:1} err
	# a kernel message ("[  207.91] watchdog: ...") may cut a line: it
	# is the guest's, not a loss, and is taken out first
	err=$(cat "${@:1:$#-2}" | tr -d '\r' |
		sed 's/\[ *[0-9]\{1,\}\.[0-9]\{6\}\] .*$//' |
		sed -n "s/^.*\($tag [0-9]\{6\}\)\$/\1/p" |
		awk -v n="$n" '{ w = sprintf("%06d", NR)
			if ($2 != w) { print "line " NR " is \"" $0 "\", not " w; exit } }
			END { if (NR != n) print NR " numbered lines, not " n }')
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
