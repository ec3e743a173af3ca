# xentropyd: a guest that asks for more than its bucket holds is throttled
# as documented: it gets what the bucket holds and a retry-after, and the
# client either says so (--no-wait) or waits it out; another guest asking
# at the same time is served in full from its own bucket.
. /xenlab/bin/xentropyd-lab.sh

step "start xentropyd: 1 KiB/s, burst 16 KiB, both guests served by name"
conf=$(xe_conf "serve-name = $XENLAB_CASE-*" "rate = 1K" "burst = 16K")
daemon_start xentropyd -v -c "$conf"
guest_start a xentropyd
guest_start b xentropyd
da=$(guest_domid a)
db=$(guest_domid b)

step "guest a asks for 20 KiB without waiting while guest b asks for 16 KiB"
na=$(xe_send a xentropy-client -n 20480 -x --no-wait -t 30)
nb=$(xe_send b xentropy-client -n 16384 -x -t 30)
xe_wait a "$na" 90
ra=$XE_RES
xe_wait b "$nb" 90
rb=$XE_RES
XE_RES=$ra
[ "$(xe_field rc)" = 3 ] || fail "guest a was not throttled: $ra"
err=$(xe_field err)
echo "$err" | grep -Eq "rate-limited after 1[0-9]{4} of 20480 bytes; retry after [1-9][0-9]* ms" ||
	fail "guest a: unexpected message '$err'"
XE_RES=$rb
[ "$(xe_field rc)" = 0 ] || fail "guest b was affected by guest a's limit: $rb"
[ "$(xe_field bytes)" = 32769 ] || fail "guest b got $(xe_field bytes) bytes of hex, not 32769"

step "guest a asks for 20 KiB again and waits out the retry-after"
# the bucket holds 16 KiB at most: at least 4 KiB come at 1 KiB/s
xe_run a 90 xentropy-client -n 20480 -x -t 60
[ "$XE_RC" = 0 ] || fail "rc $XE_RC: $(xe_field err)"
[ "$(xe_field bytes)" = 40961 ] || fail "got $(xe_field bytes) bytes of hex, not 40961"
[ "$(xe_field ms)" -ge 2000 ] || fail "20 KiB came in $(xe_field ms) ms: not throttled"

step "statistics: a throttled, b not"
sa=$(xe_stats "$da")
sb=$(xe_stats "$db")
log "$sa"
log "$sb"
echo "$sa" | grep -Eq ", [2-9][0-9]* throttled," || fail "guest a: $sa"
echo "$sb" | grep -q "stats: 16384 bytes in 1 requests, 0 throttled," || fail "guest b: $sb"
daemon_stop xentropyd
