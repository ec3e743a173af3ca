# The xenbus state machine through a guest's reconnect, served by
# netbackd: the guest unloads and reloads netfront (its frontend closes
# and starts over). Traffic works after it, and the counters of the vif
# survive its reconnect. (xl network-detach and network-attach cycles:
# netbackd-hotplug.sh.) The reconnect also shows the copy path's
# fallback: with gntalloc's limit reached, the new queue's copies go
# through gntdev, and the traffic works the same.
. /xenlab/bin/nb-lab.sh

nb_setup
nb_guest g 4
d=$(guest_domid g)

step "the queue's copies go to Xen directly (its buffers granted to itself)"
grep -q "vif$d.0 connected (" "$XENLAB_CASE_DIR/netbackd.log" || fail "no connected line for vif$d.0"
! grep -q "vif$d.0 connected (.*copies through gntdev" "$XENLAB_CASE_DIR/netbackd.log" ||
	fail "$(grep "vif$d.0 connected (" "$XENLAB_CASE_DIR/netbackd.log")"
[ "$(nb_vif_field "vif$d.0" "  queue 0:" copies)" = direct ] || fail "--status: $(netbackd --status)"

step "gntalloc's limit reached: netfront unloaded and reloaded, traffic again (through gntdev)"
lim=/sys/module/xen_gntalloc/parameters/limit
old=$(cat "$lim") || fail "no $lim"
# (back however the case ends: later cases need gntalloc)
trap 'echo "$old" > "$lim"; _xl_cleanup' EXIT
echo 0 > "$lim"
xenstore-write "/local/domain/$d/data/nb-cmd1" reload
guest_wait g data/nb-res1 "" 90 || fail "no answer from the guest"
[ "$(guest_read g data/nb-res1)" = ok ] || fail "guest: $(guest_read g data/nb-res1)"
echo "$old" > "$lim"
run busybox ping -c 1 -W 5 10.13.0.4
grep "vif$d.0 connected (" "$XENLAB_CASE_DIR/netbackd.log" | tail -n 1 |
	grep -q "copies through gntdev: No space left on device" ||
	fail "the second connect: $(grep "vif$d.0 connected (" "$XENLAB_CASE_DIR/netbackd.log" | tail -n 1)"
[ "$(nb_vif_field "vif$d.0" "  queue 0:" copies)" = gntdev ] || fail "--status: $(netbackd --status)"
st=$(netbackd --status) || fail "no --status"
echo "$st" | grep -q "^vif$d.0 dom$d Connected: connects 2 hostile 0" ||
	fail "expected 2 connects of vif$d.0: $st"

nb_teardown g
