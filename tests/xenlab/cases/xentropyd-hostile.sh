# xentropyd: a hostile guest sends versions and types the daemon does not
# speak, a request too large, garbage, an oversize length, half a frame,
# and requests it never reads. Framed mistakes get error answers on an
# open channel; the rest close its channel with one log line each. A
# well-behaved guest keeps being served while this goes on, and the
# hostile guest is served again once it behaves.
. /xenlab/bin/xentropyd-lab.sh

# Without -v: debug lines would take from the guest's log limit (guest.c).
step "start xentropyd (frame-timeout 1 s) and two guests"
conf=$(xe_conf "serve-name = $XENLAB_CASE-*" "frame-timeout = 1s")
daemon_start xentropyd -c "$conf"
guest_start good xentropyd
guest_start evil xentropyd
dg=$(guest_domid good)
de=$(guest_domid evil)

step "hostile guest runs every mode; the good guest fetches meanwhile"
n=$(xe_send evil xentropy-hostile -t 30 badversion toolarge badtype badmagic oversize partial flood)
fetches=0
while ! xenstore-read "/local/domain/$de/data/xe/res$n" >/dev/null 2>&1; do
	xe_run good 60 xentropy-client -n 4096 -x -t 30
	[ "$XE_RC" = 0 ] || fail "good guest: rc $XE_RC: $(xe_field err)"
	[ "$(xe_field bytes)" = 8193 ] || fail "good guest got $(xe_field bytes) bytes of hex"
	fetches=$((fetches + 1))
	[ $fetches -lt 40 ] || fail "the hostile guest did not finish"
done
xe_wait evil "$n" 10
[ "$XE_RC" = 0 ] || fail "hostile guest: rc $XE_RC: $(xe_field err)"
log "the good guest was served $fetches times while the hostile guest ran"
[ $fetches -ge 1 ] || fail "no fetch of the good guest overlapped the hostile run"
kill -0 "$(xe_pid)" 2>/dev/null || fail "xentropyd died"

step "one log line per closed channel, none about the good guest"
log=$XENLAB_CASE_DIR/xentropyd.log
c=$(grep -c "dom$de(.*): closing channel" "$log")
[ "$c" = 4 ] || fail "$c 'closing channel' lines for the hostile guest, not 4"
grep -q "dom$dg(.*): closing channel" "$log" && fail "the good guest's channel was closed"
for why in "bad magic" "oversize length" "partial frame for more than 1000 ms" \
    "responses not read for more than 1000 ms"; do
	grep -q "dom$de(.*): closing channel: $why" "$log" || fail "no log line for '$why'"
done

step "the hostile guest is served once it behaves"
xe_run evil 90 xentropy-client -n 64 -x -t 60
[ "$XE_RC" = 0 ] || fail "rc $XE_RC: $(xe_field err)"
s=$(xe_stats "$de")
log "$s"
echo "$s" | grep -q ", 7 errors, " || fail "not 7 errors counted: $s"
s=$(xe_stats "$dg")
echo "$s" | grep -q ", 0 errors, " || fail "errors counted for the good guest: $s"
daemon_stop xentropyd
