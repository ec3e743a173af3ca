# --log=hv: Xen's own console ring goes to hypervisor.log, from the boot
# messages on, and what Xen prints later (here the output of a debug key)
# follows within a moment, timestamped as asked, in Xen's format, after
# Xen's "Logfile Opened". (--replace-escape is taken with --log=hv; no
# one but Xen writes to its ring in a release build, so the ESC it would
# replace is shown by tests/unit/test-linefmt.)
. /xenlab/bin/xcd-lab.sh
hv=$XCD_LOGDIR/hypervisor.log
rm -f "$hv"
xcd_start --log=hv -t hv --replace-escape

step "hypervisor.log has Xen's boot messages"
await 10 grep -q "Xen version 4.17" "$hv"

step "what Xen prints later reaches hypervisor.log"
xl debug-keys h
await 30 grep -q "'h' pressed" "$hv"

step "it starts with Xen's stamped \"Logfile Opened\""
head -n 1 "$hv" | grep -qE '^\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\] Logfile Opened$' ||
	fail "first line: $(head -n 1 "$hv")"

step "each line carries Xen's timestamp"
line=$(grep -m1 "'h' pressed" "$hv")
case $line in
"["[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]" "[0-9][0-9]:*"] "*) ;;
*) fail "no timestamp on: $line" ;;
esac

step "no guest log is written with --log=hv"
ls "$XCD_LOGDIR"/guest-"$XENLAB_CASE"-* 2>/dev/null && fail "guest logs with --log=hv"
xcd_finish
