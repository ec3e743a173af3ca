# A PV guest starts, reports through xenstore, prints its marker on the
# console, and is destroyed.
step "start a guest"
guest_start g idle

step "role finished"
guest_wait g data/role-exit 0 30 || fail "data/role-exit is '$(guest_read g data/role-exit)', not 0"

step "boot marker on the guest console"
guest_wait_console g '^XENLAB-GUEST: booted role=idle' 30 ||
	fail "no boot marker in $(guest_console g)"
grep XENLAB-GUEST "$(guest_console g)"

step "destroy the guest"
guest_destroy g
wait_until 10 sh -c "! xl domid $XENLAB_CASE-g" || fail "guest still listed after destroy"
