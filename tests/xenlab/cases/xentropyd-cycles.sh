# xentropyd: 30 guests are created, offered a channel (serve-all) and
# destroyed; afterwards the daemon's fd count is back to its baseline, its
# RSS within 64 KiB of it, no grant mapping is left, and it tracks no guest.
. /xenlab/bin/xentropyd-lab.sh

rounds=10 per=3

step "start xentropyd serving every guest"
conf=$(xe_conf "serve-all = yes")
daemon_start xentropyd -c "$conf"
pid=$(xe_pid)

fds() { ls "/proc/$pid/fd" | wc -l; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }
gnt() { grep -c gntalloc "/proc/$pid/maps"; }
idle() { xl list | awk 'NR > 1 && $2 != 0' | grep -q . && return 1; return 0; }

# cycle N: create $per guests at once, wait for their channels, destroy them
cycle() {
	local i name ids= d pids=
	for i in $(seq 1 $per); do
		name=$XENLAB_CASE-c$1-$i
		{
			echo "name = \"$name\""; echo 'type = "pv"'
			echo 'kernel = "/xenlab/domu/vmlinux"'
			echo 'ramdisk = "/xenlab/domu/initrd.gz"'
			echo 'extra = "console=hvc0 loglevel=4 xenlab.role=idle"'
			echo 'memory = 128'; echo 'vcpus = 1'
		} > "$XENLAB_CASE_DIR/$name.cfg"
		timeout 60 xl create -q -p "$XENLAB_CASE_DIR/$name.cfg" \
			>> "$XENLAB_CASE_DIR/xl-create.log" 2>&1 &
		pids="$pids $!"
	done
	# only these: the daemon is a background job of this shell too
	wait $pids
	pids=
	for i in $(seq 1 $per); do
		d=$(xl domid "$XENLAB_CASE-c$1-$i") || fail "cycle $1: guest $i was not created"
		ids="$ids $d"
	done
	for d in $ids; do
		await 30 sh -c "xenstore-read /local/domain/$d/data/xentropy/server | grep -q '^1 0 ready '"
	done
	for i in $(seq 1 $per); do
		timeout 30 xl destroy "$XENLAB_CASE-c$1-$i" &
		pids="$pids $!"
	done
	wait $pids
	await 30 idle
}

step "warm-up cycle"
cycle 0
await 10 test "$(gnt)" = 0
f0=$(fds) r0=$(rss)
log "baseline: $f0 fds, RSS $r0 KiB"

for n in $(seq 1 $rounds); do
	step "cycle $n of $rounds ($per guests)"
	cycle "$n"
	log "after cycle $n: $(fds) fds, RSS $(rss) KiB, $(gnt) grant mappings"
done

step "no guest tracked, nothing held"
s=$(xe_stats none)
grep -q "stats: 0 guests, 0 channels" "$XENLAB_CASE_DIR/xentropyd.log" ||
	fail "the daemon still tracks guests: $(grep 'stats: [0-9]* guests' "$XENLAB_CASE_DIR/xentropyd.log" | tail -n 1)"
[ "$(gnt)" = 0 ] || fail "$(gnt) grant mappings left"
f1=$(fds) r1=$(rss)
log "after $((rounds * per)) guests: $f1 fds (baseline $f0), RSS $r1 KiB (baseline $r0)"
[ "$f1" = "$f0" ] || fail "fd count $f1, baseline $f0"
[ "$r1" -le $((r0 + 64)) ] || fail "RSS $r1 KiB, baseline $r0 KiB"
n=$(grep -c "exit\|gone:" "$XENLAB_CASE_DIR/xentropyd.log")
log "$n guests logged statistics when they went"
daemon_stop xentropyd
