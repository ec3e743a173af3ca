# The syslog sink: one message per guest line (the lab's dom0 runs no
# journald). busybox syslogd is the receiver.
. /xenlab/bin/xcd-lab.sh
[ -e /dev/log ] && fail "/dev/log exists already; this case runs its own syslogd"
out=$XENLAB_CASE_DIR/syslog.out
busybox syslogd -n -O "$out" &
sl=$!
trap 'kill $sl 2>/dev/null; rm -f /dev/log; xcd_cleanup' EXIT
await 10 test -S /dev/log
xcd_start -c "$(xcd_conf 'sink = syslog')"

step "a guest prints 500 lines"
guest_start g xcd-lines 500 XCDS
await 120 grep -q "guest-$XENLAB_CASE-g: XCDS done" "$out"

step "each line is a syslog message of its own"
xcd_seq "$out" XCDS 500
grep -q "xenconsoled.*guest-$XENLAB_CASE-g: XCDS 000001$" "$out" ||
	fail "unexpected message format: $(grep -m1 XCDS "$out")"
guest_destroy g
await 10 grep -q "guest-$XENLAB_CASE-g: \[xenconsoled: domain .* destroyed" "$out"
xcd_finish
