# Multi-queue: netbackd offers multi-queue-max-queues (dom0's CPUs, at
# most 4: 2 in the lab), a Linux guest with 2 vcpus takes 2 queues and
# writes their rings and channels under queue-0/ and queue-1/, and
# netbackd serves both: 32 TCP connections from dom0 to closed ports
# of the guest (each a flow of its own: the TAP's kernel steers them
# to the queues by hash, and the guest's netfront its resets) leave
# packets counted both ways on each queue, and 8 MiB cross each way
# with matching sums. Then netbackd restarts with --max-queues=1 under
# the guest: it offers 1 (the key), the connected frontend keeps its 2
# queues (no reconnect: its state stays Connected) and both carry
# packets again; once the guest reloads netfront, it takes the 1 queue
# offered. Each connected queue is served by a thread of its own:
# --status names the thread of each, netbackd's /proc/<pid>/task has
# them (named vif<d>.0-q<N>), apart from the main thread and each
# other, and the one of a queue that went away is gone.
# xenlab: timeout=600
. /xenlab/bin/nb-lab.sh
IP=10.13.0.5

nb_setup
NB_CFG='vcpus = 2' nb_guest g 5 8
d=$(guest_domid g)
be=/local/domain/0/backend/vif/$d/0
fe=$(xenstore-read "$be/frontend")

step "the guest has 2 vcpus and took 2 queues"
log "$(xl vcpu-list "$(_xl_gname g)")"
[ "$(xenstore-read "$be/multi-queue-max-queues")" = 2 ] ||
	fail "multi-queue-max-queues is '$(xenstore-read "$be/multi-queue-max-queues")', not 2"
[ "$(xenstore-read "$fe/multi-queue-num-queues")" = 2 ] ||
	fail "the frontend's multi-queue-num-queues is '$(xenstore-read "$fe/multi-queue-num-queues" 2>&1)', not 2"
for q in 0 1; do
	xenstore-exists "$fe/queue-$q/tx-ring-ref" && xenstore-exists "$fe/queue-$q/rx-ring-ref" ||
		fail "no ring refs under $fe/queue-$q"
	log "queue-$q: $(xenstore-ls "$fe/queue-$q" | tr '\n' ' ')"
done
grep -q "vif$d.0 connected (2 queues" "$XENLAB_CASE_DIR/netbackd.log" ||
	fail "netbackd did not log 2 queues for vif$d.0"

# both_queues N: N connections from dom0 to closed ports of the guest,
# refused; each queue in --status carried packets both ways
both_queues() {
	step "$1 connections from dom0 to closed ports of the guest, refused"
	for p in $(seq 6000 $((6000 + $1 - 1))); do
		if timeout 10 bash -c "exec 3<>/dev/tcp/$IP/$p" 2>/dev/null; then
			fail "port $p of the guest accepted a connection"
		fi
	done
	st=$(netbackd --status) || fail "no --status"
	log "$st"

	step "each queue carried packets both ways"
	for q in 0 1; do
		line=$(echo "$st" | grep -A 4 "^vif$d.0 " | grep "^  queue $q:") ||
			fail "no connected queue $q of vif$d.0 in --status"
		tx=$(echo "$line" | awk '{ print $5 }')
		rx=$(echo "$line" | awk '{ print $10 }')
		log "queue $q: tx $tx rx $rx packets"
		[ "${tx:-0}" -gt 0 ] && [ "${rx:-0}" -gt 0 ] ||
			fail "queue $q: tx $tx rx $rx packets: not both ways"
	done
	queue_threads 2 "$st"
}

# queue_threads N STATUS: vif$d.0's N queues each on a thread of
# netbackd's own, not the main one, named for the queue; sets TIDS
queue_threads() {
	local pid q tid n
	step "each of the $1 queues on a thread of its own"
	pid=$(daemon_pid netbackd)
	TIDS=
	for q in $(seq 0 $(($1 - 1))); do
		tid=$(echo "$2" | grep -A 6 "^vif$d.0 " | grep "^  queue $q:" |
			sed -n 's/.* thread \([0-9][0-9]*\).*/\1/p')
		[ -n "$tid" ] || fail "queue $q: no thread in --status"
		[ "$tid" != "$pid" ] || fail "queue $q: on netbackd's main thread"
		[ -d "/proc/$pid/task/$tid" ] || fail "queue $q: no thread $tid in netbackd ($pid)"
		[ "$(cat "/proc/$pid/task/$tid/comm")" = "vif$d.0-q$q" ] ||
			fail "queue $q: thread $tid is '$(cat "/proc/$pid/task/$tid/comm")'"
		log "queue $q: thread $tid, cpu ticks $(awk '{ print $14 + $15 }' "/proc/$pid/task/$tid/stat")"
		case " $TIDS " in *" $tid "*) fail "queue $q shares thread $tid" ;; esac
		TIDS="$TIDS $tid"
	done
	n=$(cat /proc/"$pid"/task/*/comm 2>/dev/null | grep -c "^vif$d.0-q")
	[ "$n" = "$1" ] || fail "netbackd has $n queue threads for vif$d.0, not $1"
}
both_queues 32

step "8 MiB dom0 -> guest"
nb_to_guest g "$IP" 8

step "8 MiB guest -> dom0"
nb_from_guest g 8
log "$(netbackd --status)"

step "netbackd restarts with --max-queues=1 under the 2-queue guest"
daemon_stop netbackd
daemon_start netbackd -v --max-queues=1
await 30 nb_connected "$d"
[ "$(xenstore-read "$be/multi-queue-max-queues")" = 1 ] ||
	fail "multi-queue-max-queues is '$(xenstore-read "$be/multi-queue-max-queues")', not 1"
grep -q "vif$d.0 connected (2 queues" "$XENLAB_CASE_DIR/netbackd.log" ||
	fail "the new netbackd did not take over vif$d.0's 2 queues: $(grep "vif$d.0" "$XENLAB_CASE_DIR/netbackd.log")"
[ "$(xenstore-read "$fe/state")" = 4 ] || fail "the frontend is in state $(xenstore-read "$fe/state"), not Connected"
# (half as many flows: all 16 on one queue is a 1 in 32768 chance)
both_queues 16

step "the guest reloads netfront: it takes the 1 queue offered"
nb_ask g reload
[ "$NB_ANSWER" = ok ] || fail "guest: $NB_ANSWER"
await 30 nb_connected "$d"
grep -q "vif$d.0 connected (1 queue," "$XENLAB_CASE_DIR/netbackd.log" ||
	fail "netbackd did not log 1 queue for vif$d.0: $(grep "vif$d.0" "$XENLAB_CASE_DIR/netbackd.log")"
[ "$(xenstore-read "$fe/multi-queue-num-queues")" = 1 ] ||
	fail "the frontend's multi-queue-num-queues is '$(xenstore-read "$fe/multi-queue-num-queues" 2>&1)', not 1"
run busybox ping -c 1 -W 5 "$IP"
old=$TIDS
st=$(netbackd --status) || fail "no --status"
log "$st"
queue_threads 1 "$st"
for tid in $old; do
	[ ! -d "/proc/$(daemon_pid netbackd)/task/$tid" ] ||
		fail "thread $tid of the 2-queue connection is still there"
done

nb_teardown g
