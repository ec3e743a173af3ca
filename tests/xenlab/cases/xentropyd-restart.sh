# xentropyd: the daemon restarts while a guest runs, and the guest gets
# entropy again, after a clean stop (SIGTERM) and after a crash (SIGKILL,
# which leaves a stale presence key and channel behind).
. /xenlab/bin/xentropyd-lab.sh

step "start xentropyd and a guest; the guest is served"
daemon_start xentropyd -v
guest_start g xentropyd
d=$(guest_domid g)
xe_run g 60 xentropy-client -n 256 -x -t 30
[ "$XE_RC" = 0 ] || fail "rc $XE_RC: $(xe_field err)"

step "SIGTERM: the guest is told there is no daemon"
daemon_stop xentropyd
xe_run g 60 xentropy-client -n 256 -x -t 30
[ "$XE_RC" = 4 ] || fail "rc $XE_RC, not 4: $(xe_field err)"

step "restart: the daemon re-adopts the guest, which is served again"
daemon_start xentropyd -v
await 20 sh -c "xenstore-read /local/domain/$d/data/xentropy/server | grep -q '^1 0 ready '"
xe_run g 60 xentropy-client -n 256 -x -t 30
[ "$XE_RC" = 0 ] || fail "rc $XE_RC: $(xe_field err)"

step "SIGKILL: the stale channel fails within the client's deadline"
pid=$(xe_pid)
kill -KILL "$pid"
await 10 test -f "$(daemon_dir xentropyd)/exit"
_xl_daemons=${_xl_daemons/ xentropyd/}
xe_run g 60 xentropy-client -n 256 -x -t 3
[ "$XE_RC" = 5 ] || fail "rc $XE_RC, not 5 (no channel in time): $(xe_field err)"
[ "$(xe_field ms)" -lt 10000 ] || fail "took $(xe_field ms) ms with a 3 s deadline"

step "restart after the crash: served again"
daemon_start xentropyd -v
xe_run g 60 xentropy-client -n 256 -x -t 30
[ "$XE_RC" = 0 ] || fail "rc $XE_RC: $(xe_field err)"

daemon_stop xentropyd
guest_destroy g
