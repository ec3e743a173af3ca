# With max-open-logs = 2, four guests printing numbered lines at once
# each get every line in their log, in order, once, while the daemon
# never has more than two log files open: its fds stay at what it had
# with no guest, plus a pty pair per console, plus two logs. All consoles
# share one event-channel handle.
. /xenlab/bin/xcd-lab.sh
xcd_start -t guest -c "$(xcd_conf 'max-open-logs = 2')"
pid=$(daemon_pid xenconsoled)
n=1500

# "TOTAL LOGS EVTCHN PTYS": the daemon's fds, its log files among them,
# its event-channel handles and its pty fds (masters and slaves).
fd_count() {
	ls -l "/proc/$pid/fd" 2>/dev/null | awk -v d="$XCD_LOGDIR/" '
		/^l/ { t++ }
		index($0, "-> " d) { l++ }
		/-> \/dev\/xen\/evtchn$/ { e++ }
		/-> \/dev\/(ptmx|pts\/[0-9]+)$/ { p++ }
		END { printf "%d %d %d %d\n", t, l, e, p }'
}

step "the daemon's fds with no guest of this case"
read -r t0 l0 e0 p0 <<< "$(fd_count)"
log "fds: $t0 in all, $l0 log files, $e0 evtchn, $p0 pty"
# A shared guest may have its log open now or not: the bound counts the
# fds that are not logs, and at most max-open-logs logs on top.
base=$((t0 - l0))

step "four guests boot, each waiting to print $n lines"
# one after the other: xl create of a guest while others boot takes
# longer than its timeout under emulation
for g in 1 2 3 4; do
	# 10 lines every 20 ms: the guests' writes interleave for a while
	guest_start g$g xcd-lines $n XCF$g 10 20000 go
done

step "they print at once; the daemon's fds are sampled meanwhile"
samples=$XENLAB_CASE_DIR/fd-samples
: > "$samples"
for g in 1 2 3 4; do
	xcd_guest_key g$g data/go 1
done
all_done() {
	for g in 1 2 3 4; do
		grep -q "XCF$g done" "$(guest_console g$g)" || return 1
	done
}
# As often as dom0 manages (a sample forks twice), until all four are
# done: the sampler uses builtins only between samples.
stop=$XENLAB_CASE_DIR/fd-stop
(
	SECONDS=0
	while [ ! -e "$stop" ] && [ "$SECONDS" -lt 600 ]; do
		fd_count >> "$samples"
	done
) &
sampler=$!
wait_until 300 all_done; ok=$?
touch "$stop"
wait "$sampler"
[ "$ok" = 0 ] || fail "the guests did not finish printing within 300 s"
log "$(wc -l < "$samples") samples; most: $(sort -n -k1,1 "$samples" | tail -n 1)"

step "at most two log files were open, and the fds stayed bounded"
# 4 consoles: a pty master and the slave the daemon keeps open each; no
# other fd comes with a console (rings are mapped, ports go through the
# one handle), so the bound is exact: no constant on top.
max=$((base + 4 * 2 + 2))
[ "$(wc -l < "$samples")" -ge 10 ] || fail "only $(wc -l < "$samples") samples"
awk -v max="$max" '
	$2 > 2 { print "sample " NR ": " $2 " log files open"; exit 1 }
	$1 > max { print "sample " NR ": " $1 " fds, more than " max; exit 1 }
	$3 != 1 { print "sample " NR ": " $3 " evtchn handles"; exit 1 }
' "$samples" > "$XENLAB_CASE_DIR/fd-bad" || fail "$(cat "$XENLAB_CASE_DIR/fd-bad")"
read -r t l e p <<< "$(fd_count)"
[ "$p" -eq $((p0 + 8)) ] || fail "$p pty fds, not $p0 + 8"
[ "$e" -eq 1 ] || fail "$e evtchn handles open, not 1"
ls -l "/proc/$pid/fd" | grep evtchn
log "fds now: $t in all (bound $max), $l log files, $e evtchn, $p pty"

step "every guest's log has all its lines, in order, once"
for g in 1 2 3 4; do
	xcd_seq "$(guest_console g$g)" XCF$g $n
done

step "--status shows the cap and that logs were closed to make room"
st=$XENLAB_CASE_DIR/status.out
/usr/sbin/xenconsoled --status > "$st" || fail "xenconsoled --status exited $?"
head -n 1 "$st"
open=$(sed -n '1s/.* open-logs=\([0-9]*\)\/2 .*/\1/p' "$st")
reopens=$(sed -n '1s/.* log-reopens=\([0-9]*\).*/\1/p' "$st")
[ -n "$open" ] && [ "$open" -le 2 ] || fail "status head: open-logs not n/2"
[ "${reopens:-0}" -gt 0 ] || fail "no log was closed to make room: log-reopens=$reopens"

step "destroyed, each guest's trailer reaches its closed log"
for g in 1 2 3 4; do
	guest_destroy g$g
done
for g in 1 2 3 4; do
	await 30 grep -q "xenconsoled: domain .* destroyed" "$(guest_console g$g)"
done
[ "$(fd_count | cut -d' ' -f2)" -le 2 ] || fail "more than 2 log files open"
xcd_finish
