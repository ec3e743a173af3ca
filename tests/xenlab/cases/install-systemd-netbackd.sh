# netbackd under its hardened unit, installed, with a vif connected: the
# sandbox (seccomp filter, MemoryDenyWriteExecute, AF_UNIX only, a
# private /dev) lets netbackd.service (Type=notify) serve the httpd
# unikernel's vif on a queue thread of its own. dom0 gets the page
# through it; the unit's process has the thread, named vif<d>.0-q<N>
# (the name set from inside the sandbox); --status counts the traffic
# with no errors; the unit never restarted and no syscall was refused
# (SystemCallErrorNumber=EPERM turns one into an error netbackd would
# log). Once the guest is destroyed its vif and thread are gone and the
# same process runs on; systemctl stop ends it with status 0.
# systemd-analyze security's exposure is at most 2.5. Runs in the lab's
# systemd boot (README.md).
. /xenlab/bin/nb-lab.sh
. /xenlab/bin/uk-lab.sh

IP=10.13.0.4 MAC=00:16:3e:0d:00:04
max_exposure=2.5

# a failed step leaves no netbackd for the next case
unit_up=
trap '_xl_cleanup; [ -z "$unit_up" ] || timeout 60 systemctl stop netbackd.service' EXIT

step "make install (prefix=/usr) on a Debian dom0"
xud_install
# another case of this boot may have loaded it (Debian's xen script)
if [ -e /sys/module/xen_netback ]; then
	log "xen-netback is loaded: unloading it"
	run modprobe -r xen-netback
fi
nb_host

step "systemctl start netbackd (Type=notify): active/running"
[ "$(unit_prop netbackd.service Type)" = notify ] ||
	fail "netbackd.service is Type=$(unit_prop netbackd.service Type)"
unit_up=1
run systemctl start netbackd.service
s="$(unit_prop netbackd.service ActiveState)/$(unit_prop netbackd.service SubState)"
[ "$s" = active/running ] || fail "netbackd.service is $s"
pid=$(unit_prop netbackd.service MainPID)
log "netbackd.service: pid $pid, status '$(unit_prop netbackd.service StatusText)'"

step "systemctl start xenconsoled: xl create waits for the guest's console"
run systemctl start xenconsoled.service

nb_httpd web "$IP" "$MAC"

step "dom0 gets its page through the vif, 10 times"
p=$(uk_page "$IP") || fail "wget failed (exit $?): $(cat "$XENLAB_CASE_DIR/wget.err")"
echo "$p" | grep -q '<h1>xud httpd unikernel</h1>' ||
	fail "the page does not name the unikernel: $p"
uk_pages "$IP" 9

step "each queue on a thread of the unit's process, named for it"
fe=$(xenstore-read "/local/domain/0/backend/vif/$d/0/frontend")
nq=$(xenstore-read "$fe/multi-queue-num-queues" 2>/dev/null || echo 1)
st=$(netbackd --status) || fail "no --status"
log "$st"
for q in $(seq 0 $((nq - 1))); do
	tid=$(nb_vif_field "vif$d.0" "  queue $q:" thread)
	[ -n "$tid" ] || fail "queue $q: no thread in --status"
	[ "$tid" != "$pid" ] || fail "queue $q: on netbackd's main thread"
	[ -d "/proc/$pid/task/$tid" ] || fail "queue $q: no thread $tid in netbackd.service's process ($pid)"
	comm=$(cat "/proc/$pid/task/$tid/comm")
	log "queue $q: thread $tid '$comm', cpu ticks $(awk '{ print $14 + $15 }' "/proc/$pid/task/$tid/stat")"
	[ "$comm" = "vif$d.0-q$q" ] || fail "queue $q: thread $tid is named '$comm', not vif$d.0-q$q"
done
n=$(cat /proc/"$pid"/task/*/comm 2>/dev/null | grep -c "^vif$d.0-q")
[ "$n" = "$nq" ] || fail "netbackd has $n queue threads for vif$d.0, not $nq"

step "netbackd --status counted the traffic, with no errors"
tx=$(nb_vif_field "vif$d.0" "  tx packets" packets)
rx=$(nb_vif_field "vif$d.0" "  rx packets" packets)
txe=$(nb_vif_field "vif$d.0" "  tx packets" errors)
rxe=$(nb_vif_field "vif$d.0" "  rx packets" errors)
log "vif$d.0: tx $tx rx $rx packets, errors $txe/$rxe"
# per request at least a SYN+ACK and the page from the guest, and the
# SYN and the request from dom0
[ "${tx:-0}" -ge 20 ] && [ "${rx:-0}" -ge 20 ] ||
	fail "vif$d.0: tx $tx rx $rx packets, expected at least 20 each way"
[ "$txe" = 0 ] && [ "$rxe" = 0 ] || fail "vif$d.0: tx errors $txe, rx errors $rxe"

# sandbox_clean: the unit is the same process, running, never
# restarted, and neither the journal nor the kernel has a refused call
sandbox_clean() {
	local s
	s="$(unit_prop netbackd.service ActiveState)/$(unit_prop netbackd.service SubState)"
	[ "$s" = active/running ] || fail "netbackd.service is $s ($(unit_prop netbackd.service Result))"
	[ "$(unit_prop netbackd.service MainPID)" = "$pid" ] ||
		fail "netbackd.service's pid is $(unit_prop netbackd.service MainPID), not $pid"
	[ "$(unit_prop netbackd.service NRestarts)" = 0 ] ||
		fail "netbackd.service restarted $(unit_prop netbackd.service NRestarts) times"
	journalctl -b -u netbackd.service --no-pager > "$XENLAB_CASE_DIR/netbackd.journal.log" 2>&1
	! grep -Eiq 'SIGSYS|seccomp|Operation not permitted|Bad system call' \
		"$XENLAB_CASE_DIR/netbackd.journal.log" ||
		fail "netbackd.service: $(grep -Ei 'SIGSYS|seccomp|Operation not permitted|Bad system call' "$XENLAB_CASE_DIR/netbackd.journal.log" | head -n 1)"
	# a filter's kill or log action is audited (type 1326)
	! dmesg | grep -E 'type=1326' | grep -q "pid=$pid " ||
		fail "the kernel logged a seccomp action on netbackd: $(dmesg | grep -E 'type=1326' | grep "pid=$pid " | head -n 1)"
}

step "the unit still runs, never restarted, no syscall refused"
# the unit's /dev lets netbackd grant its copy buffers to itself
# (gntalloc): its copies go to Xen directly, not through gntdev
[ "$(nb_vif_field "vif$d.0" "  queue 0:" copies)" = direct ] ||
	fail "netbackd.service: vif$d.0's copies are not direct: $(netbackd --status)"
# the filter lets a queue's thread move to its interrupts' CPU
# (sched_setaffinity, allowed out of @resources)
cpu=$(nb_vif_field "vif$d.0" "  queue 0:" cpu)
[ -n "$cpu" ] && [ "$(nb_allowed "vif$d.0" 0)" = "$cpu" ] ||
	fail "netbackd.service: queue 0's thread did not move to its interrupts' CPU: $(netbackd --status | grep 'queue 0:'), allowed $(nb_allowed "vif$d.0" 0)"
sandbox_clean

step "systemd-analyze security: exposure <= $max_exposure"
out=$(unit_exposure netbackd.service)
echo "$out" | sed '$d'
e=$(echo "$out" | tail -n 1)
log "netbackd.service: exposure $e"
awk -v e="$e" -v m="$max_exposure" 'BEGIN { exit !(e != "" && e + 0 <= m + 0) }' ||
	fail "netbackd.service's exposure is '$e', above $max_exposure"

step "the guest destroyed: its vif and queue threads gone, netbackd runs on"
guest_destroy web
await 30 nb_gone "$d"
no_threads() { ! cat /proc/"$pid"/task/*/comm 2>/dev/null | grep -q "^vif$d.0-q"; }
wait_until 10 no_threads ||
	fail "netbackd still has threads for vif$d.0: $(cat /proc/"$pid"/task/*/comm | grep "^vif$d.0-q" | tr '\n' ' ')"
sandbox_clean
log "$(netbackd --status)"

step "systemctl stop: netbackd exits, status 0"
run systemctl stop netbackd.service
unit_up=
r="$(unit_prop netbackd.service ActiveState) $(unit_prop netbackd.service Result) $(unit_prop netbackd.service ExecMainStatus)"
log "netbackd.service after stop: $r"
[ "$r" = "inactive success 0" ] || fail "netbackd.service after stop: $r (want inactive success 0)"
true
