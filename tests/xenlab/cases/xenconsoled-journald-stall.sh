# A journald that stops answering holds back only the guests it logs, and
# never the daemon's loop: with systemd-journald stopped (SIGSTOP) while
# guest s prints lines, s's ring stays unconsumed (its bytes do not move),
# yet `xenconsoled --status` answers and guest t's lines still reach its
# xl console, both of which need the loop. Once journald goes on, every
# line of s is in the journal, in order, once, and t's too.
. /xenlab/bin/xcd-lab.sh
xcd_journald
xcd_start -c "$(xcd_conf 'sink = journald')"

# st NAME: guest NAME's line of xenconsoled --status (kept in status.line;
# a stalled guest spins, so the case asks as little as it can)
stf=$XENLAB_CASE_DIR/status.out
st() {
	timeout 30 xenconsoled --status > "$stf" 2>&1 ||
		fail "xenconsoled --status failed: $(cat "$stf")"
	grep " name=$XENLAB_CASE-$1 console=0 " "$stf" > "$stf.line" ||
		fail "no status line for guest $1: $(cat "$stf")"
	cat "$stf.line"
}
st_has() { st "$1" | grep -q "$2"; }
# the last status line's field F
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$stf.line"; }
jlines() { journalctl -q --no-pager -o cat XEN_DOMID="$1" 2>/dev/null; }
tick() {
	xcd_guest_key t data/tick "$1"
	await 120 grep -q "XCDT tick $1" "$out"
}

n=600
# s boots while journald runs and waits for data/go to print, so that
# only its numbered lines meet the stopped journald. A Linux PV guest
# whose ring stays full spins in hvc_xen's write, slowing the others
# under emulation: the stall is kept short.
step "guests t and s boot, journald running"
guest_start t xcd-tick XCDT
guest_start s xcd-lines $n XCDJS $n 0 go
tid=$(guest_domid t)
sid=$(guest_domid s)
out=$XENLAB_CASE_DIR/xl-console.out
cleanup() {
	[ -n "${xlc:-}" ] && kill -- -"$xlc" 2>/dev/null
	xcd_cleanup
}
trap cleanup EXIT
setsid script -qfc "xl console $XENLAB_CASE-t" /dev/null < /dev/null > "$out" 2>&1 &
xlc=$!

step "journald stops; guest s prints $n lines"
kill -STOP "$xcd_jpid"
xcd_guest_key s data/go 1
# Once the stopped journald's socket is full, sends are refused (the
# daemon never blocks on it) and s's lines wait: the status says so.
await 120 st_has s "sink=busy"
b1=$(field bytes)

step "the loop goes on: --status answers, t's lines reach its xl console"
tick 1
tick 2
log "2 tick lines of t shown by xl console while journald is stopped"
st_has s "sink=busy" || fail "s's sink is not busy any more: $(cat "$stf.line")"
b2=$(field bytes)
# The ring is consumed only as far as journald took the lines.
[ "$b1" = "$b2" ] || fail "s's ring was consumed ($b1, then $b2 bytes) while journald was stopped"
jlines "$sid" | grep -q "XCDJS done" && fail "s's last line in the journal while journald was stopped"
log "s's ring held at $b2 bytes consumed"

grep -q "dom$sid(.*): journald is not taking lines" "$XENLAB_CASE_DIR/xenconsoled.log" ||
	fail "no log line saying journald is not taking s's lines"
step "journald goes on: every line of s arrives, in order, once"
kill -CONT "$xcd_jpid"
await 300 sh -c "journalctl -q --no-pager -o cat XEN_DOMID=$sid | grep -q 'XCDJS done'"
jlines "$sid" > "$XENLAB_CASE_DIR/journal-s.log"
xcd_seq "$XENLAB_CASE_DIR/journal-s.log" XCDJS $n
for i in 1 2; do
	await 60 sh -c "journalctl -q --no-pager -o cat XEN_DOMID=$tid | grep -q 'XCDT tick $i'"
done
await 60 st_has s "sink=ok queued=0"

step "the destroy trailer comes after s's lines"
guest_destroy s
await 60 sh -c "journalctl -q --no-pager -o cat XEN_DOMID=$sid | grep -q 'destroyed'"
jlines "$sid" | tail -n 1 | grep -q "destroyed" ||
	fail "the trailer is not s's last entry: $(jlines "$sid" | tail -n 3)"
kill -- -"$xlc" 2>/dev/null
xlc=
xcd_finish
