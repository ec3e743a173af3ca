# netbackd restarts under a connected guest: the TAP device stays (with
# its bridge port: the hotplug script does not run again), the new
# netbackd maps the same rings where the old one left off, and the
# guest's traffic resumes without the guest doing anything. Restarted
# on CPU 0 only (as taskset or CPUAffinity= would start it), with the
# queue's interrupts moved to CPU 1 before its thread first looks where
# they arrive, the thread stays on CPU 0.
. /xenlab/bin/nb-lab.sh

nb_setup
nb_guest g 5
d=$(guest_domid g)
run busybox ping -c 1 -W 5 10.13.0.5

step "netbackd stops: vif$d.0 stays on xenbr0"
daemon_stop netbackd
[ -e /sys/class/net/xenbr0/brif/vif$d.0 ] || fail "vif$d.0 left xenbr0"

step "netbackd starts again, on CPU 0 only, and serves the guest"
taskset -p -c 0 $$ >/dev/null || fail "taskset"
daemon_start netbackd -v
taskset -p -c 0-1 $$ >/dev/null
await 30 nb_connected "$d"
q0=evtchn:vif$d.0-q0
nb_irqs_to "$q0" 1
run busybox ping -c 12 -W 5 10.13.0.5
xenstore-write "/local/domain/$d/data/nb-cmd1" up
guest_wait g data/nb-res1 "" 90 || fail "no answer from the guest"
[ "$(guest_read g data/nb-res1)" = ok ] || fail "guest: $(guest_read g data/nb-res1)"
log "$(netbackd --status)"
log "$(grep -F "$q0" /proc/interrupts)"
allowed=$(nb_allowed "vif$d.0" 0)
case $allowed/$(nb_vif_field "vif$d.0" "  queue 0:" cpu) in 0/|0/0) ;;
*) fail "queue 0's thread left the CPU netbackd was given: allowed $allowed, $(netbackd --status | grep 'queue 0:')" ;;
esac

nb_teardown g

step "a TAP left by a stopped netbackd for a vif that went is removed"
# what a netbackd killed while its guests were destroyed leaves behind
ip tuntap add dev vif4000.0 mode tap vnet_hdr ||
	fail "cannot make a persistent TAP"
daemon_start netbackd -v
await 10 nb_no_link vif4000.0
daemon_stop netbackd
