# The unikernel runtime's grant table and xenbus frontend on real Xen:
# uk-xbtest plays the frontend of the test device "xudtest" against
# xud-betest (lib/xenbus_be.c) in dom0, as xud-fetest does from a Linux
# guest in lib-xenbus. Two rounds (the second a reconnect): InitWait, a
# granted page and a port published with Initialised in one transaction,
# Connected, ping/pong over the page, the grant's end refused while dom0
# maps the page and done once it let go, Closing, Closed. online=0 then
# tears the device down with no mapping or port left in dom0.
. /xenlab/bin/uk-lab.sh
out=$XENLAB_CASE_DIR/betest.log
seen() { grep -qxE "$1" "$out"; }
count() { grep -cxE "$1" "$out"; }

step "boot the unikernel; it waits for its device"
uk_start x uk-xbtest rounds=2
d=$(guest_domid x) || fail "no domid"
be=/local/domain/0/backend/xudtest/$d/0
fe=/local/domain/$d/device/xudtest/0

step "write the device's nodes, as a toolstack would"
run xenstore-write "$be/frontend" "$fe" "$be/frontend-id" "$d" "$be/online" 1 "$be/state" 1
run xenstore-chmod -r "$be" n0 "r$d"
run xenstore-write "$fe/backend-id" 0 "$fe/state" 1
run xenstore-chmod -r "$fe" "n$d" r0
timeout 300 xud-betest "$be" > "$out" 2>&1 &
bt=$!
await 20 seen features
run xenstore-write "$fe/backend" "$be"

step "two rounds: connect, ping/pong, end of access, close, reconnect"
uk_wait_ready x 60
res=$(guest_read x data/xbtest)
log "unikernel: xbtest: $res; backend: $(tr '\n' ';' < "$out")"
[ "$res" = "ok 2" ] || fail "xbtest: '$res' (console: $(tail -n 3 "$(guest_console x)"))"
seen "ping round-1" || fail "backend never saw round 1"
seen "ping round-2" || fail "backend never saw round 2 (reconnect)"
[ "$(count "connected $d")" = 2 ] || fail "expected 2 connects: $(cat "$out")"
[ "$(count 'disconnected \(grants mapped 0, ports 0\)')" = 2 ] ||
	fail "a disconnect left mappings or ports: $(cat "$out")"
seen garbage && fail "the backend read garbage"
[ "$(xenstore-read "$fe/state")" = 1 ] || fail "frontend state $(xenstore-read "$fe/state"), not Initialising"

step "online=0 tears the device down; the backend exits 0"
run xenstore-write "$be/online" 0
await 20 seen removed
wait_until 10 sh -c "! kill -0 $bt" || fail "xud-betest still running after removal"
wait $bt || fail "xud-betest exited $?"

step "xl shutdown powers it off"
uk_shutdown x xbtest
