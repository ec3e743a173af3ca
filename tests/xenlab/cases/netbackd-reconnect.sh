# The xenbus state machine through a guest's reconnects, served by
# netbackd each time: the guest unloads and reloads netfront (its
# frontend closes and starts over), then ten xl network-detach and
# network-attach cycles (online=0, Closing, Closed, the toolstack
# removes the device; a new device of the same name). Traffic works
# after each; the counters of a vif survive its reconnects; netbackd's
# open fds are the same after the last cycle as after the first, and
# its memory has not grown by more than 256 KiB.
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

for n in $(seq 2 11); do
	step "xl network-detach ($((n - 1)))"
	run timeout 60 xl network-detach "$(_xl_gname g)" 0
	await 30 nb_gone "$d"
	step "xl network-attach ($((n - 1))): traffic again"
	run timeout 60 xl network-attach "$(_xl_gname g)" bridge=xenbr0 mac=00:16:3e:0d:00:04
	xenstore-write "/local/domain/$d/data/nb-cmd$n" up
	guest_wait g "data/nb-res$n" "" 90 || fail "no answer from the guest"
	[ "$(guest_read g "data/nb-res$n")" = ok ] ||
		fail "guest: $(guest_read g "data/nb-res$n")"
	run busybox ping -c 1 -W 5 10.13.0.4
	if [ "$n" = 2 ]; then
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
