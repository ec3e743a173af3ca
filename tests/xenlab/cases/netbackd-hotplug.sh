# Hot-plug: ten xl network-detach and network-attach cycles on a Linux
# guest served by netbackd (online=0, Closing, Closed, the toolstack
# removes the device and its TAP goes; then a new device of the same
# name, with the standard vif-bridge). The guest has 2 vcpus, so each
# new netfront takes 2 queues again. Traffic works after each cycle;
# netbackd's open fds are the same after the last cycle as after the
# first, and its memory has not grown by more than 256 KiB.
# xenlab: timeout=600
. /xenlab/bin/nb-lab.sh
IP=10.13.0.8 MAC=00:16:3e:0d:00:08

nb_setup
NB_CFG='vcpus = 2' nb_guest g 8
d=$(guest_domid g)

for n in $(seq 1 10); do
	step "xl network-detach ($n)"
	run timeout 60 xl network-detach "$(_xl_gname g)" 0
	await 30 nb_gone "$d"
	step "xl network-attach ($n): traffic again, with 2 queues"
	run timeout 60 xl network-attach "$(_xl_gname g)" bridge=xenbr0 mac=$MAC
	xenstore-write "/local/domain/$d/data/nb-cmd$n" up
	guest_wait g "data/nb-res$n" "" 90 || fail "no answer from the guest"
	[ "$(guest_read g "data/nb-res$n")" = ok ] ||
		fail "guest: $(guest_read g "data/nb-res$n")"
	run busybox ping -c 1 -W 5 "$IP"
	[ "$(nb_vif_field "vif$d.0" "  queue 1:" tx)" != "" ] ||
		fail "no connected queue 1 of vif$d.0: $(netbackd --status)"
	if [ "$n" = 1 ]; then
		fds0=$(nb_fds) rss0=$(nb_rss)
	fi
done
log "$(netbackd --status)"

step "no fds or memory leaked over the cycles"
fds=$(nb_fds) rss=$(nb_rss)
log "netbackd: $fds0 -> $fds fds, $rss0 -> $rss KiB resident"
[ "$fds" = "$fds0" ] || fail "fds $fds0 -> $fds"
[ "$rss" -le $((rss0 + 256)) ] || fail "resident memory $rss0 -> $rss KiB"

nb_teardown g
