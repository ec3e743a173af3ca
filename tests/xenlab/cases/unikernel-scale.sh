# 100 unikernels at once. Each is the burst unikernel printing 200
# numbered lines of 64 bytes as soon as it boots, while the others are
# still being created: xud's xenconsoled logs every line of every one, in
# order, once. All are destroyed, and the daemon's fds and RSS come back
# to what they were before: fds exactly, RSS within 512 KiB (the skeleton
# trims the heaps once domains are gone; tables keep their size and
# glibc the tops of its arenas, 356 KiB when measured). Its RSS per
# running guest is printed, not judged.
# xenlab: timeout=600
. /xenlab/bin/uk-lab.sh
. /xenlab/bin/xcd-lab.sh
N=${XENLAB_UK_SCALE:-100} LINES=200 TAG=UKS

xcd_start
pid=$(daemon_pid xenconsoled)
proc_baseline "$pid" xenconsoled

step "$N burst unikernels are created, four xl creates at a time"
free0=$(xl info | awk '/^free_memory/ { print $3 }')
uk_many s uk-burst "$N" "tag=$TAG{} lines=$LINES now"
running=$(uk_many_ids s | wc -l)
log "$running guests running; Xen's free memory $free0 -> $(xl info | awk '/^free_memory/ { print $3 }') MB"
[ "$running" -eq "$N" ] || fail "$running guests running, not $N"

step "every guest printed all its lines (data/ready after its last)"
wait_until 120 uk_many_ready s || fail "not every guest wrote data/ready within 120 s"
rss1=$(proc_rss "$pid")
log "xenconsoled with $N guests: $(proc_fds "$pid") fds, RSS $rss1 KiB," \
	"$(( (rss1 - proc_rss0) / N )) KiB more per guest"

step "xenconsoled logged every line of every guest, in order, once"
logged() {
	local i
	for i in $(seq 1 "$N"); do
		grep -q "^$TAG$i end" "$(guest_console "s$i")" 2>/dev/null || return 1
	done
}
await 60 logged
for i in $(seq 1 "$N"); do
	f=$(guest_console "s$i")
	tr -d '\r' < "$f" | awk -v t="$TAG$i" -v n="$LINES" -v f="$f" '
		$1 == t && $2 ~ /^[0-9]+$/ {
			k++
			if ($2 + 0 != k || length($0) != 63) {
				print f ": line " k " is \"" $0 "\""; bad = 1; exit
			}
		}
		END { if (!bad && k != n) print f ": " k " numbered lines, not " n }' \
		> "$XENLAB_CASE_DIR/seq-bad"
	[ -s "$XENLAB_CASE_DIR/seq-bad" ] && fail "$(cat "$XENLAB_CASE_DIR/seq-bad")"
done
log "$N logs of $LINES lines each, complete"

step "all are destroyed, four at a time"
uk_many_destroy s

step "the daemon's fds and RSS come back to their baseline"
proc_back "$pid" xenconsoled
xcd_finish
