# lib/xenbus_be.c, lib/grant.c, lib/evtchn.c (dom0) and lib/gfront.c (guest)
# on real Xen: a test device "xudtest" connects, exchanges a message over
# a granted page and an event channel, closes, reconnects (a second
# round), and is torn down by online=0, leaving no mapping or port behind.
out=$XENLAB_CASE_DIR/betest.log
seen() { grep -qxE "$1" "$out"; }
count() { grep -cxE "$1" "$out"; }

step "start a guest that will play the frontend"
guest_start g xbe-front 2
d=$(guest_domid g)
be=/local/domain/0/backend/xudtest/$d/0
fe=/local/domain/$d/device/xudtest/0

step "write the device's nodes, as a toolstack would"
run xenstore-write "$be/frontend" "$fe" "$be/frontend-id" "$d" "$be/online" 1 "$be/state" 1
run xenstore-chmod -r "$be" n0 "r$d"
run xenstore-write "$fe/backend-id" 0 "$fe/state" 1
run xenstore-chmod -r "$fe" "n$d" r0
run xenstore-write "$fe/backend" "$be"

step "the backend goes to InitWait with its features"
timeout 300 xud-betest "$be" > "$out" 2>&1 &
bt=$!
await 20 seen features
await 10 sh -c "[ \"\$(xenstore-read $be/state)\" = 2 ]"
[ "$(xenstore-read "$be/feature-ping")" = 1 ] || fail "no feature-ping"

step "two rounds: connect, ping/pong, close, reconnect"
guest_wait g data/fetest "" 120 || fail "the frontend did not finish: $(tail -n 3 "$out")"
[ "$(guest_read g data/fetest)" = 0 ] || fail "xud-fetest exited $(guest_read g data/fetest); backend said: $(tail -n 5 "$out")"
seen "ping round-1" || fail "backend never saw round 1"
seen "ping round-2" || fail "backend never saw round 2 (reconnect)"
[ "$(count "connected $d")" = 2 ] || fail "expected 2 connects: $(cat "$out")"
[ "$(count 'disconnected \(grants mapped 0, ports 0\)')" = 2 ] ||
	fail "a disconnect left mappings or ports: $(cat "$out")"
seen garbage && fail "the backend read garbage"

step "online=0 tears the device down; the backend exits 0"
run xenstore-write "$be/online" 0
await 20 seen removed
wait_until 10 sh -c "! kill -0 $bt" || fail "xud-betest still running after removal"
wait $bt || fail "xud-betest exited $?"
[ "$(xenstore-read "$be/frontend")" = "$fe" ] || fail "the backend deleted a toolstack node"
guest_destroy g
