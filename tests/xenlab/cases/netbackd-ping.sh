# A Linux PV guest's own netfront gets a link through netbackd, with the
# kernel's xen-netback not loaded (the lab loads it only when asked,
# XENLAB_DOM0_MODULES), the standard vif-bridge script putting the TAP
# on a bridge, and both sides ping each other.
. /xenlab/bin/nb-lab.sh

nb_setup
nb_guest g 2
d=$(guest_domid g)

step "the backend is Connected, vif-bridge reported, vif$d.0 is on xenbr0"
[ "$(xenstore-read /local/domain/0/backend/vif/$d/0/state)" = 4 ] ||
	fail "backend state $(xenstore-read /local/domain/0/backend/vif/$d/0/state)"
[ "$(xenstore-read /local/domain/0/backend/vif/$d/0/hotplug-status)" = connected ] ||
	fail "hotplug-status is not connected"
[ -e /sys/class/net/xenbr0/brif/vif$d.0 ] || fail "vif$d.0 is not on xenbr0"

step "dom0 pings the guest"
run busybox ping -c 3 -W 5 10.13.0.2

step "netbackd counted the traffic"
st=$(netbackd --status) || fail "no --status"
log "$st"
echo "$st" | grep -q "^vif$d.0 dom$d Connected" || fail "no Connected vif$d.0 in --status"
tx=$(echo "$st" | awk '/^  tx packets/ { print $3; exit }')
rx=$(echo "$st" | awk '/^  rx packets/ { print $3; exit }')
[ "${tx:-0}" -ge 6 ] && [ "${rx:-0}" -ge 6 ] || fail "tx $tx rx $rx packets"

nb_teardown g
