# xud's xenconsoled logs all of 1000 numbered lines a guest prints, in
# order, each once, with Xen's stamp ("[%Y-%m-%d %H:%M:%S] ", local time)
# on each line: Xen's format is the default.
. /xenlab/bin/xcd-lab.sh
xcd_start -t guest

step "a guest prints 1000 numbered lines"
guest_start g xcd-lines 1000 XCDL
log=$(guest_console g)
await 120 grep -q "XCDL done" "$log"

step "all lines are in the log, in order"
xcd_seq "$log" XCDL 1000

step "each line has Xen's stamp, in local time"
stamp='^\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\] '
bad=$(grep 'XCDL [0-9]' "$log" | grep -cvE "${stamp}XCDL [0-9]{6}")
[ "$bad" = 0 ] || fail "$bad lines without Xen's stamp, e.g. $(grep 'XCDL [0-9]' "$log" | grep -vE "$stamp" | head -1)"
first=$(grep -m1 'XCDL [0-9]' "$log" | cut -c2-20)
[ "$(date -d "$first" +%s)" -ge "$(($(date +%s) - 600))" ] ||
	fail "the stamp $first is not this machine's local time"

step "the console is published for xl console"
tty=$(guest_read g console/tty) || fail "no console/tty"
[ -c "$tty" ] || fail "console/tty '$tty' is not a character device"

step "xenconsoled --status shows the console's counts"
st=$XENLAB_CASE_DIR/status.out
/usr/sbin/xenconsoled --status > "$st" || fail "xenconsoled --status exited $?"
cat "$st"
line=$(grep "name=$XENLAB_CASE-g console=0 " "$st") || fail "no status line for the guest"
lines=$(echo "$line" | sed -n 's/.* lines=\([0-9]*\) .*/\1/p')
bytes=$(echo "$line" | sed -n 's/.* bytes=\([0-9]*\) .*/\1/p')
[ "${lines:-0}" -ge 1001 ] || fail "status says lines=$lines, the guest printed 1001"
[ "${bytes:-0}" -ge 12000 ] || fail "status says bytes=$bytes"
echo "$line" | grep -q "state=attached .* drops=0 .*limited_ms=[0-9]* sink=ok queued=0" ||
	fail "status line lacks state, drops, limited time or sink: $line"

guest_destroy g
step "the trailer says the domain was destroyed"
await 10 grep -q "xenconsoled: domain .* destroyed" "$log"
xcd_finish

step "xenconsoled --status says when no daemon runs"
out=$(/usr/sbin/xenconsoled --status 2>&1) && fail "xenconsoled --status exited 0 with no daemon"
echo "$out" | grep -q "not running" || fail "xenconsoled --status said: $out"
