# xentropyd: a guest fetches 4096 bytes twice with xentropy-client: exactly
# 4096 bytes each time, and the two differ. The guest asks for service
# through its request key (the default policy); the daemon's statistics
# count both requests, and so does xentropyd --status; a clean exit removes
# the presence key.
. /xenlab/bin/xentropyd-lab.sh

step "start xentropyd"
daemon_start xentropyd -v
step "start a guest"
guest_start g xentropyd
d=$(guest_domid g)
step "presence key offers service on request"
await 10 sh -c "xenstore-read /local/domain/$d/data/xentropy/server | grep -qx '1 0 idle'"

step "first fetch of 4096 bytes"
xe_run g 60 xentropy-client -n 4096 -x -t 30
[ "$XE_RC" = 0 ] || fail "xentropy-client exited $XE_RC: $(xe_field err)"
# 4096 bytes in hex, and a newline
[ "$(xe_field bytes)" = 8193 ] || fail "got $(xe_field bytes) bytes of hex output, not 8193"
first=$(xe_field md5)

step "the channel was offered at the documented path"
xenstore-read "/local/domain/$d/data/xentropy/server" | grep -q "^1 0 ready " ||
	fail "presence key is '$(xenstore-read "/local/domain/$d/data/xentropy/server")'"
xenstore-read "/local/domain/$d/data/xentropy/request" >/dev/null ||
	fail "the guest wrote no request key"

step "second fetch of 4096 bytes"
xe_run g 60 xentropy-client -n 4096 -x -t 30
[ "$XE_RC" = 0 ] || fail "xentropy-client exited $XE_RC: $(xe_field err)"
[ "$(xe_field bytes)" = 8193 ] || fail "got $(xe_field bytes) bytes of hex output, not 8193"
[ "$(xe_field md5)" != "$first" ] || fail "the two fetches returned the same bytes"

step "statistics: 8192 bytes in 2 requests, nothing throttled"
s=$(xe_stats "$d")
log "$s"
echo "$s" | grep -q "stats: 8192 bytes in 2 requests, 0 throttled, 0 errors" ||
	fail "unexpected statistics: $s"

step "xentropyd --status shows the guest's bytes served"
st=$(xentropyd --status) || fail "xentropyd --status exited $?"
log "$st"
n=$(echo "$st" | sed -n "s/^dom$d([^)]*): \([0-9]*\) bytes in .*/\1/p")
[ "${n:-0}" -ge 4096 ] || fail "not 4096 bytes served for dom$d: $st"
# one channel per client run, and the fresh one offered after the second
echo "$st" | grep -q "^1 guests, 1 channels open (3 set up), 0 legacy consoles" ||
	fail "unexpected summary: $(echo "$st" | tail -n 1)"

step "clean exit removes the presence key"
daemon_stop xentropyd
st=$(xentropyd --status 2>&1) && fail "xentropyd --status succeeded with no daemon: $st"
echo "$st" | grep -q "not running" || fail "xentropyd --status without a daemon said: $st"
xenstore-read "/local/domain/$d/data/xentropy/server" >/dev/null 2>&1 &&
	fail "presence key still there after exit: $(xenstore-read "/local/domain/$d/data/xentropy/server")"
xenstore-read "/local/domain/$d/data/xentropy/vchan/ring-ref" >/dev/null 2>&1 &&
	fail "vchan nodes still there after exit"
grep -q "dom$d(.*): exit: 8192 bytes in 2 requests" "$XENLAB_CASE_DIR/xentropyd.log" ||
	fail "no statistics logged on exit"
guest_destroy g
