# A secondary console whose frontend writes impossible ring indices
# (out_prod - out_cons > sizeof(out)) is closed through xenbus: its
# backend goes Closing, then Closed once the frontend acknowledges; the
# ring is unmapped and the port unbound; the daemon logs exactly one line
# for it, still answers --status, and the same guest's primary console
# is still logged. When the frontend then resets (Initialising, a fresh
# ring) the console is served again. The frontend is xcd-hostile, from
# the guest's userspace; device 10, because hvc_xen takes the last digit
# of the device's number as the console's and leaves 0 alone.
. /xenlab/bin/xcd-lab.sh
xcd_start

step "a guest that will play a hostile console frontend"
guest_start g xcd-hostile 10 XCDH reset
d=$(guest_domid g)
be=/local/domain/0/backend/console/$d/10
fe=/local/domain/$d/device/console/10
trap 'xenstore-rm "$be" 2>/dev/null; xcd_cleanup' EXIT
dlog=$XENLAB_CASE_DIR/xenconsoled.log
pid=$(daemon_pid xenconsoled)
ls=$XCD_LOGDIR/guest-$XENLAB_CASE-g@hx.log
lp=$(guest_console g)
be_state() { xenstore-read "$be/state" 2>/dev/null; }
# the daemon's grant mappings, and the event channels it has bound
maps() { grep -c /dev/xen/gntdev "/proc/$pid/maps"; }
ports() { grep -c "evtchn:xenconsoled" /proc/interrupts; }
warnings() { grep -c "dom$d(.*): console hx: hostile" "$dlog"; }
status() { timeout 30 xenconsoled --status > "$XENLAB_CASE_DIR/status.txt" 2>&1; }

step "write the console's nodes as a toolstack would, type=xenconsoled"
xcd_sec_device g 10 hx

step "the frontend connects; a line before the attack is logged"
guest_wait g data/xcd-hostile consumed 90 ||
	fail "frontend says '$(guest_read g data/xcd-hostile)'"
grep -q "XCDH before" "$ls" || fail "no 'XCDH before' in $ls"
maps0=$(maps) ports0=$(ports)
log "before: $maps0 grant mappings, $ports0 event channels"
xcd_guest_key g data/xcd-go 1

step "impossible indices: the backend closes it (Closing, then Closed)"
guest_wait g data/xcd-hostile acked 60 ||
	fail "frontend says '$(guest_read g data/xcd-hostile)', backend state $(be_state)"
# the frontend saw Closing first (it had not agreed yet), then Closed
[ "$(guest_read g data/xcd-closing)" = 5 ] ||
	fail "the frontend first saw backend state $(guest_read g data/xcd-closing)"
await 10 sh -c "[ \"\$(xenstore-read $be/state)\" = 6 ]"
await 10 sh -c "[ \$(grep -c 'dom$d(.*): console hx: hostile' $dlog) -ge 1 ]"
grep "dom$d(" "$dlog" | tail -n 5

step "the ring is unmapped and the port unbound"
[ "$(maps)" = $((maps0 - 1)) ] || fail "grant mappings: $(maps), were $maps0"
[ "$(ports)" = $((ports0 - 1)) ] || fail "event channels: $(ports), were $ports0"

step "the daemon answers --status; the primary is attached, hx detached"
status || fail "xenconsoled --status: $(cat "$XENLAB_CASE_DIR/status.txt")"
grep -q "domid=$d .*console=0 state=attached" "$XENLAB_CASE_DIR/status.txt" ||
	fail "primary: $(grep "domid=$d " "$XENLAB_CASE_DIR/status.txt")"
grep -q "domid=$d .*console=hx state=detached" "$XENLAB_CASE_DIR/status.txt" ||
	fail "hx: $(grep "domid=$d " "$XENLAB_CASE_DIR/status.txt")"

step "the primary console is still logged after the attack"
await 30 grep -q "XCDH after attack" "$lp"

step "a reset (Initialising, a fresh ring) is served again"
xcd_guest_key g data/xcd-go 2
guest_wait g data/xcd-hostile done 90 ||
	fail "frontend says '$(guest_read g data/xcd-hostile)', backend state $(be_state)"
[ "$(be_state)" = 4 ] || fail "backend state $(be_state), not Connected"
await 30 grep -q "XCDH-again 000100" "$ls"
xcd_seq "$ls" XCDH-again 100
guest_wait g data/xcd-hostile-rc 0 30 ||
	fail "xcd-hostile exited $(guest_read g data/xcd-hostile-rc)"
[ "$(maps)" = "$maps0" ] || fail "grant mappings: $(maps), want $maps0"
[ "$(ports)" = "$ports0" ] || fail "event channels: $(ports), want $ports0"

step "exactly one log line for the attack"
[ "$(warnings)" = 1 ] || fail "$(warnings) lines: $(grep "dom$d(" "$dlog")"
grep -q "dom$d(.*): console hx disconnected" "$dlog" &&
	fail "a second line for the close: $(grep "dom$d(" "$dlog")"

guest_destroy g
xcd_finish
