# A guest with on_crash=destroy prints 5000 lines as fast as it can and
# panics: every line is logged, then the panic text, then the trailer.
. /xenlab/bin/xcd-lab.sh
xcd_start -t guest

step "a guest prints 5000 lines and panics"
guest_start --cfg 'on_crash = "destroy"' g xcd-crash 5000 XCDC
log=$(guest_console g)
await 120 sh -c "! xl domid $XENLAB_CASE-g"

step "the trailer says the domain crashed"
await 10 grep -q "xenconsoled: domain .* crashed" "$log"

step "all 5000 lines are in the log, in order"
xcd_seq "$log" XCDC 5000

step "the panic text follows the lines, and the trailer comes last"
tr -d '\r' < "$log" | awk '/XCDC 005000$/ { l = NR } /Kernel panic/ && l && !p { p = NR }
	END { exit !(l && p > l) }' || fail "no 'Kernel panic' after the last line"
tail -n 1 "$log" | grep -q "xenconsoled: domain .* crashed" ||
	fail "last line is not the trailer: $(tail -n 1 "$log")"
xcd_finish
