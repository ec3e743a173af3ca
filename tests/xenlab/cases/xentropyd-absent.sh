# xentropyd: with no daemon, xentropy-client reports "no entropy daemon"
# within 1 s instead of hanging; the same after the daemon exited cleanly.
# The 1 s is the client's own, from its start to its report: the shell's
# wall time around it adds exec and scheduling under emulation (logged).
. /xenlab/bin/xentropyd-lab.sh

# xe_checked_ms: the client's "checked in N ms", fails if it is missing.
xe_checked_ms() {
	local ms
	ms=$(xe_field err | sed -n 's/.*checked in \([0-9]*\) ms.*/\1/p')
	[ -n "$ms" ] || fail "no 'checked in N ms' in: $(xe_field err)"
	log "client: no daemon after $ms ms (wall time in the guest $(xe_field ms) ms)"
	[ "$ms" -lt 1000 ] || fail "took $ms ms"
}

step "start a guest, no xentropyd"
pgrep -x xentropyd >/dev/null && fail "a xentropyd is running"
guest_start g xentropyd

step "client with a 30 s timeout reports no daemon within 1 s"
xe_run g 60 xentropy-client -n 32 -t 30
[ "$XE_RC" = 4 ] || fail "xentropy-client exited $XE_RC, not 4 (no daemon): $(xe_field err)"
xe_field err | grep -q "no entropy daemon" || fail "message: $(xe_field err)"
xe_checked_ms

step "start xentropyd: the client is served"
daemon_start xentropyd
xe_run g 60 xentropy-client -n 32 -x -t 30
[ "$XE_RC" = 0 ] || fail "xentropy-client exited $XE_RC: $(xe_field err)"

step "stop xentropyd: no daemon again, within 1 s"
daemon_stop xentropyd
xe_run g 60 xentropy-client -n 32 -t 30
[ "$XE_RC" = 4 ] || fail "xentropy-client exited $XE_RC, not 4 (no daemon): $(xe_field err)"
xe_checked_ms
guest_destroy g
