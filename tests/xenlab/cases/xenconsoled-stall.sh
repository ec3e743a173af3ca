# A log write that blocks holds back only its own guest: guest s's log is
# a FIFO nobody reads, so once the pipe is full the daemon's write to it
# never returns. Meanwhile guest t's lines keep reaching its log and its
# xl console, and the daemon answers. Then the FIFO is read, and every
# line of s comes out of it, in order.
. /xenlab/bin/xcd-lab.sh
xcd_start

# the daemon's status for guest NAME, as SIGUSR1 logs it
dump_has() {
	kill -USR1 "$(daemon_pid xenconsoled)"
	wait_until 2 grep -q "$XENLAB_CASE-$1): console:.*$2" "$XENLAB_CASE_DIR/xenconsoled.log"
}
tick() {
	xcd_guest_key t data/tick "$1"
	await 60 grep -q "XCDT tick $1.\$" "$lt"
	await 30 grep -q "XCDT tick $1" "$out"
}

# 8000 lines (104 KB) are more than the pipe (64 KiB), our queue and the
# guest's own buffers hold, so the write to the FIFO stalls.
n=8000
# A Linux PV guest whose console ring stays full spins in hvc_xen's
# write (interrupts off), which slows the other guests a lot under
# emulation: t boots before s blocks, and the stall is kept short.
step "guest t boots"
guest_start t xcd-tick XCDT
lt=$(guest_console t)

step "guest s's log is a FIFO that nobody reads"
ls=$(guest_console s)
rm -f "$ls"
mkfifo "$ls"
cleanup() {
	[ -n "${cat_pid:-}" ] && kill "$cat_pid" 2>/dev/null
	[ -n "${xlc:-}" ] && kill -- -"$xlc" 2>/dev/null
	# Xen's daemon must not find a FIFO there later
	rm -f "$ls"
	xcd_cleanup
}
trap cleanup EXIT

step "guest s writes $n lines; its log write stalls"
guest_start s xcd-lines $n XCDS
await 120 dump_has s "sink=stalled"

step "guest t: its lines reach its log and xl console meanwhile"
out=$XENLAB_CASE_DIR/xl-console.out
setsid script -qfc "xl console $XENLAB_CASE-t" /dev/null < /dev/null > "$out" 2>&1 &
xlc=$!
for i in 1 2; do
	tick $i
done
log "2 tick lines of t logged and shown by xl console while s is stalled"
dump_has s "sink=stalled" || fail "guest s's log write is not stalled any more"
grep -q "XCDS" "$lt" && fail "s's lines in t's log"

step "the FIFO is read: every line of s comes out, in order"
cat "$ls" > "$XENLAB_CASE_DIR/s.out" &
cat_pid=$!
await 200 grep -q "XCDS done" "$XENLAB_CASE_DIR/s.out"
xcd_seq "$XENLAB_CASE_DIR/s.out" XCDS $n
await 10 dump_has s "sink=ok queued=0"
kill "$cat_pid"
cat_pid=
rm -f "$ls"
xcd_finish
