# xentropyd: with no daemon, xentropy-client reports "no entropy daemon"
# within 1 s instead of hanging; the same after the daemon exited cleanly.
. /xenlab/bin/xentropyd-lab.sh

step "start a guest, no xentropyd"
pgrep -x xentropyd >/dev/null && fail "a xentropyd is running"
guest_start g xentropyd

step "client with a 30 s timeout reports no daemon within 1 s"
xe_run g 60 xentropy-client -n 32 -t 30
[ "$XE_RC" = 4 ] || fail "xentropy-client exited $XE_RC, not 4 (no daemon): $(xe_field err)"
xe_field err | grep -q "no entropy daemon" || fail "message: $(xe_field err)"
[ "$(xe_field ms)" -lt 1000 ] || fail "took $(xe_field ms) ms"

step "start xentropyd: the client is served"
daemon_start xentropyd
xe_run g 60 xentropy-client -n 32 -x -t 30
[ "$XE_RC" = 0 ] || fail "xentropy-client exited $XE_RC: $(xe_field err)"

step "stop xentropyd: no daemon again, within 1 s"
daemon_stop xentropyd
xe_run g 60 xentropy-client -n 32 -t 30
[ "$XE_RC" = 4 ] || fail "xentropy-client exited $XE_RC, not 4 (no daemon): $(xe_field err)"
[ "$(xe_field ms)" -lt 1000 ] || fail "took $(xe_field ms) ms"
guest_destroy g
