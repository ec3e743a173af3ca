# After `xl save` and `xl restore`, the entropy unikernel fetches fresh
# entropy: the save file holds the bytes it had, so a restored domain must
# not go on with them. The restored domain is a new one to xentropyd, which
# serves it 4096 bytes in one request; the guest counts the restore in
# data/resumed, rewrites data/entropy and data/ready, and still obeys
# `xl shutdown`.
. /xenlab/bin/uk-lab.sh

step "start xentropyd"
daemon_start xentropyd -v

step "entropy boots and fetches"
uk_start e uk-entropy
uk_wait_ready e 30
case $(guest_read e data/entropy) in
"4096 "*) ;;
*) fail "data/entropy is '$(guest_read e data/entropy)' at boot" ;;
esac
old=$(guest_domid e)

step "xl save, then xl restore"
run xl save "$XENLAB_CASE-e" "$XENLAB_CASE_DIR/e.save"
guest_domid e >/dev/null && fail "the domain still runs after xl save"
run xl restore "$XENLAB_CASE_DIR/e.save"
new=$(guest_domid e) || fail "no domain after xl restore"
[ "$new" != "$old" ] || fail "the restored domain kept domid $old"

step "the restored guest fetched again, from xentropyd, as dom$new"
guest_wait e data/resumed 1 30 ||
	fail "no data/resumed=1 (console: $(tail -n 3 "$(guest_console e)"))"
val=$(guest_read e data/entropy)
case $val in
"4096 "*) ;;
*) fail "data/entropy is '$val' after restore, not '4096 <us>'" ;;
esac
[ "$(guest_read e data/ready)" = 1 ] || fail "no data/ready=1 after restore"
[ "$(grep -c '^entropy: 4096 bytes from xentropyd' "$(guest_console e)")" = 2 ] ||
	fail "not two fetch lines on the console: $(tail -n 4 "$(guest_console e)")"
log "$(grep '^entropy: 4096 bytes' "$(guest_console e)" | tail -n 1 | tr -d '\r')"
want="^dom$new(.*): 4096 bytes in 1 requests, 0 throttled, 0 errors"
wait_until 10 sh -c "xentropyd --status | grep -q '$want'" ||
	fail "xentropyd --status: $(xentropyd --status | grep "^dom$new(")"
log "$(xentropyd --status | grep "^dom$new(")"

step "xl shutdown powers the restored guest off"
uk_shutdown e entropy
daemon_stop xentropyd
