# xud's xenconsoled logs all of 1000 numbered lines a guest prints, in
# order, each once, with an ISO 8601 UTC millisecond stamp on each line.
. /xenlab/bin/xcd-lab.sh
xcd_start -t guest

step "a guest prints 1000 numbered lines"
guest_start g xcd-lines 1000 XCDL
log=$(guest_console g)
await 120 grep -q "XCDL done" "$log"

step "all lines are in the log, in order"
xcd_seq "$log" XCDL 1000

step "each line has a UTC ISO 8601 stamp with milliseconds"
bad=$(grep 'XCDL [0-9]' "$log" | grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z XCDL [0-9]{6}')
[ "$bad" = 0 ] || fail "$bad lines without a proper stamp, e.g. $(grep 'XCDL [0-9]' "$log" | grep -vE '^[0-9-]{10}T' | head -1)"

step "the console is published for xl console"
tty=$(guest_read g console/tty) || fail "no console/tty"
[ -c "$tty" ] || fail "console/tty '$tty' is not a character device"

guest_destroy g
step "the trailer says the domain was destroyed"
await 10 grep -q "xenconsoled: domain .* destroyed" "$log"
xcd_finish
