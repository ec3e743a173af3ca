# The xenbus state machine through a guest's reconnect, served by
# netbackd: the guest unloads and reloads netfront (its frontend closes
# and starts over). Traffic works after it, and the counters of the vif
# survive its reconnect. (xl network-detach and network-attach cycles:
# netbackd-hotplug.sh.)
. /xenlab/bin/nb-lab.sh

nb_setup
nb_guest g 4
d=$(guest_domid g)

step "netfront unloaded and reloaded: traffic again"
xenstore-write "/local/domain/$d/data/nb-cmd1" reload
guest_wait g data/nb-res1 "" 90 || fail "no answer from the guest"
[ "$(guest_read g data/nb-res1)" = ok ] || fail "guest: $(guest_read g data/nb-res1)"
run busybox ping -c 1 -W 5 10.13.0.4
st=$(netbackd --status) || fail "no --status"
echo "$st" | grep -q "^vif$d.0 dom$d Connected: connects 2 hostile 0" ||
	fail "expected 2 connects of vif$d.0: $st"

nb_teardown g
