# console/limit bounds the backlog that xl console finds of a console
# nobody read, as in Xen's daemon (libxl writes 1 MiB there): of what did
# not fit, the oldest bytes go and the newest stay, and the log file
# still gets every line. The kernel's pty buffers keep what was written
# to the pty before the backlog filled (the first lines), as they do
# for Xen's daemon.
# The daemon reads the node when it attaches, so the case sets a small
# limit on a running guest and restarts ours, which attaches again.
. /xenlab/bin/xcd-lab.sh
xcd_start

n=20000 limit=4096
step "a guest waits to print $n lines"
guest_start g xcd-lines $n XCDL $n 0 go
d=$(guest_domid g)
log=$(guest_console g)

step "console/limit = $limit; ours restarts and attaches again"
xenstore-write "/local/domain/$d/console/limit" "$limit"
daemon_stop xenconsoled
daemon_start xenconsoled --log=guest --log-dir="$XCD_LOGDIR"

step "the guest prints; the log gets every line"
xenstore-write "/local/domain/$d/data/go" 1
await 120 grep -q "XCDL done" "$log"
xcd_seq "$log" XCDL $n

step "xl console gets at most $limit bytes more than the pty holds, ending with the last line"
out=$XENLAB_CASE_DIR/xl-console.out
setsid script -qfc "xl console $XENLAB_CASE-g" /dev/null < /dev/null > "$out" 2>&1 &
xlc=$!
trap 'kill -- -$xlc 2>/dev/null; xcd_cleanup' EXIT
await 30 grep -q "XCDL done" "$out"
kill -- -"$xlc" 2>/dev/null
got=$(grep -c "^XCDL [0-9]" "$out")
log "xl console showed $got of the $n lines ($(wc -c < "$out") bytes)"
[ "$got" -gt 0 ] || fail "no backlog at all"
# The kernel's pty buffers hold up to 64 KiB more than our backlog, as
# they do for Xen's daemon: 12 bytes a line, at most (limit + 68K) / 12.
# Without the limit (1 MiB) all $n lines (240 KB) would be kept.
[ "$got" -le $(((limit + 69632) / 12)) ] || fail "$got lines: more than console/limit holds"
grep -q "^XCDL $(printf %06d $n)" "$out" || fail "the newest line is missing"
xcd_finish
