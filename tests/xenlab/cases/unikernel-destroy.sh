# `xl destroy` stops a running hello unikernel, and its xenstore home goes
# with it; `xl reboot` restarts it as a new domain that gets ready again.
. /xenlab/bin/uk-lab.sh

step "hello boots"
uk_start d uk-hello
uk_wait_ready d
d=$(guest_domid d)

step "xl reboot: a new domain gets ready"
run xl reboot "$XENLAB_CASE-d"
await 30 sh -c "id=\$(xl domid '$XENLAB_CASE-d') && [ \"\$id\" != $d ]"
uk_wait_ready d
grep -q '^hello: rebooting' "$(guest_console d)" ||
	fail "the guest did not say it reboots: $(tail -n 3 "$(guest_console d)")"
d2=$(guest_domid d)
log "rebooted: domid $d -> $d2"

step "xl destroy removes it"
guest_destroy d
uk_wait_gone d 30
xenstore-exists "/local/domain/$d2" 2>/dev/null &&
	fail "/local/domain/$d2 is still in xenstore"
xl list | grep -q "$XENLAB_CASE-d" && fail "still in xl list"
true
