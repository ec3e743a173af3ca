# xentropyd --legacy-mirage-channel: as mirage/xentropyd, every domU gets
# the console org.openmirage.entropy.1 with no serving policy in the
# config (and no vchan channel: the guest asks for none). A guest program
# that speaks the 2015 MirageOS handshake gets exactly the reply, then
# 4096 random bytes. The console's nodes go when the daemon stops and come
# back when it starts. A guest that sends anything but the hello first is
# cut off with one log line, and served again (a new handshake, other
# bytes) once its frontend resets. What a guest writes after its hello is
# discarded and counted, as mirage did, and the stream goes on; a guest
# that writes faster than the discard limit is cut off. Destroying the
# guest removes the backend.
. /xenlab/bin/xentropyd-lab.sh

# Old MirageOS guests write no request key, and no policy names them.
conf=$(xe_conf "# legacy-serve = all (the default): every domU")
cons_up() { [ "$(xenstore-read "$1/state" 2>/dev/null)" = 4 ]; }

step "start xentropyd in legacy mode"
daemon_start xentropyd -v -c "$conf" --legacy-mirage-channel
step "start a guest"
guest_start g xentropyd
d=$(guest_domid g)
fe=/local/domain/$d/device/console/1
be=/local/domain/0/backend/console/$d/1

step "the console is offered, and the guest's kernel connects it"
await 60 cons_up "$fe"
[ "$(xenstore-read "$fe/name")" = org.openmirage.entropy.1 ] || fail "frontend name '$(xenstore-read "$fe/name")'"
[ "$(xenstore-read "$fe/backend")" = "$be" ] || fail "frontend's backend is '$(xenstore-read "$fe/backend")'"
[ "$(xenstore-read "$fe/backend-id")" = 0 ] || fail "frontend's backend-id"
[ "$(xenstore-read "$be/frontend")" = "$fe" ] || fail "backend's frontend is '$(xenstore-read "$be/frontend")'"
[ "$(xenstore-read "$be/state")" = 4 ] || fail "backend state $(xenstore-read "$be/state"), not Connected"
xenstore-read "$fe/ring-ref" > /dev/null || fail "the guest's kernel wrote no ring-ref"
# The guest owns its frontend and reads the backend; it cannot write it.
xenstore-ls -p "/local/domain/$d/device/console" | grep -q "^1 = .*(n$d,r0)" ||
	fail "frontend permissions: $(xenstore-ls -p "/local/domain/$d/device/console" | head -n 1)"
xenstore-ls -p "/local/domain/0/backend/console/$d" | grep -q "^1 = .*(n0,r$d)" ||
	fail "backend permissions: $(xenstore-ls -p "/local/domain/0/backend/console/$d" | head -n 1)"

step "the handshake, then 4096 bytes"
xe_run g 90 xentropy-legacy -n 4096 -t 60
[ "$XE_RC" = 0 ] || fail "xentropy-legacy exited $XE_RC: $(xe_field err)"
[ "$(xe_field bytes)" = 8193 ] || fail "got $(xe_field bytes) bytes of hex output, not 8193"
first=$(xe_field md5)
grep -q "dom$d(.*): legacy console 1: handshake done" "$XENLAB_CASE_DIR/xentropyd.log" ||
	fail "no handshake logged"

step "xentropyd --status shows the bytes served and the console"
st=$(xentropyd --status) || fail "xentropyd --status failed"
log "$st"
line=$(echo "$st" | grep "^dom$d(") || fail "no line for dom$d in: $st"
n=$(echo "$line" | sed -n 's/^dom[0-9]*([^)]*): \([0-9]*\) bytes in .*/\1/p')
[ "${n:-0}" -ge 4096 ] || fail "fewer than 4096 bytes served: $line"
echo "$line" | grep -q ", legacy console stream" || fail "console not streaming: $line"
echo "$st" | grep -q "1 legacy consoles" || fail "summary: $st"
echo "$line" | grep -q ", channel idle " || fail "a vchan channel nobody asked for: $line"

step "a clean stop removes the console's nodes"
daemon_stop xentropyd
xenstore-read "$fe/name" > /dev/null 2>&1 && fail "frontend nodes still there after exit"
xenstore-read "$be/state" > /dev/null 2>&1 && fail "backend nodes still there after exit"

step "after a restart, anything but the hello closes the console, with one log line"
daemon_start xentropyd -v -c "$conf" --legacy-mirage-channel
await 60 cons_up "$fe"
xe_run g 60 xentropy-legacy --bad -t 30
[ "$XE_RC" = 0 ] || fail "xentropy-legacy --bad exited $XE_RC: $(xe_field err)"
await 20 grep -q "dom$d(.*): closing legacy console: sent something other than the hello" "$XENLAB_CASE_DIR/xentropyd.log"
await 20 sh -c "[ \"\$(xenstore-read $be/state)\" = 6 ]"
[ "$(grep -c "dom$d(.*): closing legacy console" "$XENLAB_CASE_DIR/xentropyd.log")" = 1 ] ||
	fail "not exactly one log line: $(grep "closing legacy" "$XENLAB_CASE_DIR/xentropyd.log")"
st=$(xentropyd --status)
echo "$st" | grep "^dom$d(" | grep -q ", 1 errors, " || fail "error not counted: $st"

step "once the frontend resets it is served again; what it writes after the hello is discarded"
xe_run g 90 xentropy-legacy --reset --chatter 300 -n 4096 -t 60
[ "$XE_RC" = 0 ] || fail "xentropy-legacy --reset --chatter exited $XE_RC: $(xe_field err); backend state $(xenstore-read "$be/state")"
[ "$(xe_field bytes)" = 8193 ] || fail "got $(xe_field bytes) bytes of hex output, not 8193"
[ "$(xe_field md5)" != "$first" ] || fail "the same bytes as the first run"
[ "$(xenstore-read "$be/state")" = 4 ] || fail "backend state $(xenstore-read "$be/state"), not Connected"
discarded() { xentropyd --status | grep "^dom$d(" | grep -q "legacy console stream (300 bytes discarded)"; }
wait_until 20 discarded || fail "discarded bytes not counted: $(xentropyd --status | grep "^dom$d(")"
# this run of the daemon's log: the handshake after the reset, no close
[ "$(grep -c "dom$d(.*): legacy console 1: handshake done" "$XENLAB_CASE_DIR/xentropyd.log")" = 1 ] ||
	fail "handshakes: $(grep "dom$d(.*): legacy console" "$XENLAB_CASE_DIR/xentropyd.log")"
[ "$(grep -c "dom$d(.*): closing legacy console" "$XENLAB_CASE_DIR/xentropyd.log")" = 1 ] ||
	fail "closed for chatter: $(grep "closing legacy" "$XENLAB_CASE_DIR/xentropyd.log")"

step "a guest that writes faster than the discard limit is cut off"
# What the guest program says after the close does not matter (its tty may
# hold bytes nobody drains any more): the daemon's side is checked.
xe_send g xentropy-legacy --flood -t 30 > /dev/null
await 60 grep -q "dom$d(.*): closing legacy console: wrote faster than the discard limit" "$XENLAB_CASE_DIR/xentropyd.log"
# Closing (5) at least: the guest's hvc_xen, its tty still busy with the
# flood, may not get to Closed; the daemon has let go of the ring either way.
cut_off() { s=$(xenstore-read "$be/state") && { [ "$s" = 5 ] || [ "$s" = 6 ]; }; }
await 20 cut_off

step "destroying the guest removes the backend"
guest_destroy g
await 30 sh -c "! xenstore-ls /local/domain/0/backend/console/$d > /dev/null 2>&1"
no_guests() { xentropyd --status | grep -q "^0 guests, 0 channels open (.*), 0 legacy consoles"; }
wait_until 30 no_guests || fail "after destroy: $(xentropyd --status | tail -n 1); xl list: $(xl list | tail -n +2 | tr -s " " | tr "\n" ";")"
daemon_stop xentropyd
