# xentropyd-lab.sh: dom0 helpers for the xentropyd lab cases, sourced after
# lib.sh (". /xenlab/bin/xentropyd-lab.sh"). The guests run the role
# "xentropyd" (tests/xenlab/roles/xentropyd).
#
#   xe_send GUEST CMD...        hand CMD to the guest; prints its sequence no.
#   xe_wait GUEST SEQ SECS      wait for its result; sets XE_RES and XE_RC
#   xe_run GUEST SECS CMD...    both; the result in XE_RES, XE_RC
#   xe_field NAME               a field of XE_RES (rc, bytes, md5, ms, err)
#   xe_pid                      xentropyd's pid
#   xe_stats DOMID              SIGUSR1, then prints the guest's stats line
#   xe_conf LINES...            writes a config; prints its path

xe_send() {
	local g=$1 d n f
	shift
	d=$(guest_domid "$g") || fail "guest $g has no domid"
	f=$XENLAB_CASE_DIR/xe-seq-$g
	n=$(( $(cat "$f" 2>/dev/null || echo 0) + 1 ))
	echo "$n" > "$f"
	xenstore-write "/local/domain/$d/data/xe/cmd$n" "$*" ||
		fail "cannot hand '$*' to guest $g"
	echo "$n"
}

xe_wait() {
	local g=$1 n=$2 secs=$3 d
	d=$(guest_domid "$g") || fail "guest $g has no domid"
	xlab-gxs wait "/local/domain/$d/data/xe/res$n" "" "$secs" >/dev/null ||
		fail "guest $g: no result for command $n within ${secs}s"
	XE_RES=$(xenstore-read "/local/domain/$d/data/xe/res$n")
	XE_RC=$(xe_field rc)
	log "guest $g: command $n: $XE_RES"
}

xe_run() {
	local g=$1 secs=$2 n
	shift 2
	log "guest $g: $*"
	n=$(xe_send "$g" "$@")
	xe_wait "$g" "$n" "$secs"
}

xe_field() {
	case $1 in
	err) echo "$XE_RES" | sed -n 's/.* err=//p' ;;
	*) echo "$XE_RES" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1 ;;
	esac
}

xe_pid() { daemon_pid xentropyd; }

# Each SIGUSR1 writes one "stats: N guests" line after the per-guest lines.
xe_stats() {
	local d=$1 log=$XENLAB_CASE_DIR/xentropyd.log before
	before=$(grep -c 'stats: [0-9]* guests' "$log")
	kill -USR1 "$(xe_pid)" || fail "xentropyd is not running"
	await 10 _xe_more "$log" "$before"
	grep "dom$d(.*): stats:" "$log" | tail -n 1
}
_xe_more() { [ "$(grep -c 'stats: [0-9]* guests' "$1")" -gt "$2" ]; }

xe_conf() {
	local f=$XENLAB_CASE_DIR/xentropyd.conf
	printf '%s\n' "$@" > "$f"
	echo "$f"
}
