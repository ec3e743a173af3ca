# A hostile frontend: a guest's userspace (nb-hostile, on gntalloc and
# evtchn, with the guest's netfront unloaded) connects to netbackd and
# posts half a packet, which must cost netbackd no CPU time while it
# waits for the rest, then a tx slot that runs past its page. netbackd disconnects that vif
# (Closing) with one log line and counts it; another guest's traffic
# goes on; the hostile vif is served again once its frontend starts over.
. /xenlab/bin/nb-lab.sh

nb_setup
nb_guest good 6

step "the hostile frontend is disconnected"
guest_start --cfg "vif=['bridge=xenbr0,mac=00:16:3e:0d:00:07']" bad nb-hostile-role
h=$(guest_domid bad)
guest_wait bad data/nb-half "" 120 || fail "the hostile guest posted no half packet"
# its queue's thread: idle while the rest does not come (it polled for
# ever once: the final check took the half packet for work)
tid=$(nb_vif_field "vif$h.0" "  queue 0:" thread)
[ -n "$tid" ] || fail "no queue thread for vif$h.0: $(netbackd --status)"
ticks() { awk '{ print $14 + $15 }' "/proc/$(daemon_pid netbackd)/task/$tid/stat"; }
t0=$(ticks)
sleep 3
t1=$(ticks)
log "vif$h.0's queue thread used $((t1 - t0)) ticks of $((3 * $(getconf CLK_TCK))) with half a packet posted"
[ $((t1 - t0)) -lt $(($(getconf CLK_TCK) / 2)) ] ||
	fail "vif$h.0's queue thread used $((t1 - t0)) ticks in 3 s waiting for half a packet's rest"
xenstore-write "/local/domain/$h/data/nb-go" 1
guest_wait bad data/nb-hostile "" 120 || fail "no word from the hostile guest"
[ "$(guest_read bad data/nb-hostile)" = disconnected ] ||
	fail "hostile guest: $(guest_read bad data/nb-hostile)"
[ "$(xenstore-read /local/domain/0/backend/vif/$h/0/state)" = 5 ] ||
	fail "backend state $(xenstore-read /local/domain/0/backend/vif/$h/0/state), not Closing"
st=$(netbackd --status) || fail "no --status"
log "$st"
# (its kernel netfront connected first)
echo "$st" | grep -q "^vif$h.0 dom$h Closing: connects 2 hostile 1" ||
	fail "vif$h.0 is not counted hostile"
n=$(grep -c "vif$h.0: frontend broke the protocol" "$XENLAB_CASE_DIR/netbackd.log")
[ "$n" = 1 ] || fail "$n log lines about the hostile frontend, not 1"

step "the good guest's traffic goes on"
run busybox ping -c 3 -W 5 10.13.0.6
xenstore-write "/local/domain/$(guest_domid good)/data/nb-cmd1" up
guest_wait good data/nb-res1 "" 90 || fail "no answer from the good guest"
[ "$(guest_read good data/nb-res1)" = ok ] || fail "good guest: $(guest_read good data/nb-res1)"

step "the hostile vif is served again when its frontend starts over"
fe=/local/domain/$h/device/vif/0
xenstore-write "$fe/state" 6
await 30 nb_be_state "$h" 6
xenstore-write "$fe/state" 1
await 30 nb_be_state "$h" 2

guest_destroy bad
nb_teardown good
