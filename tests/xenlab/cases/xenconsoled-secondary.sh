# Secondary consoles: a device/console/1 marked type=xenconsoled (libxl
# marks the consoles it means for xenconsoled so; xl's channel= ones get
# type=ioemu, for qemu) is served by xud's xenconsoled as a xenbus
# backend: the guest's hvc_xen shows it as /dev/hvc1, writes 1000 lines
# to it, and they all land in guest-<name>@<console name>.log in order,
# while the primary console's log keeps only the primary's lines.
. /xenlab/bin/xcd-lab.sh
xcd_start

n=1000
step "a guest waits for its secondary console"
guest_start g xcd-sec $n XCDS
d=$(guest_domid g)
be=/local/domain/0/backend/console/$d/1
fe=/local/domain/$d/device/console/1
trap 'xenstore-rm "$be" 2>/dev/null; xcd_cleanup' EXIT

step "write the console's nodes as a toolstack would, type=xenconsoled"
xcd_sec_device g 1 sec

step "the daemon connects it (backend state 4)"
await 60 sh -c "[ \"\$(xenstore-read $be/state)\" = 4 ]"
ls=$XCD_LOGDIR/guest-$XENLAB_CASE-g@sec.log
lp=$(guest_console g)

step "all $n lines are in the secondary log, in order; primary unaffected"
await 120 grep -q "XCDS done" "$ls"
xcd_seq "$ls" XCDS $n
await 30 grep -q "XCDS primary done" "$lp"
grep -q "XCDS 0" "$lp" && fail "secondary console lines in the primary log"
grep -q "XCDS primary" "$ls" && fail "primary console lines in the secondary log"
[ -n "$(xenstore-read "$fe/tty")" ] || fail "no pty published for console 1"
# The tty node names a file xl console opens as root: the guest may read
# it, never write it (the node is in the guest's own directory).
xenstore-ls -p "$fe" | grep -q "^tty = .*(n0,r$d)" ||
	fail "tty node not read-only to the guest: $(xenstore-ls -p "$fe" | grep '^tty')"

step "the status shows both consoles"
kill -USR1 "$(daemon_pid xenconsoled)"
await 5 grep -q "console=sec state=attached" "$XENLAB_CASE_DIR/xenconsoled.log"

step "xl destroy: the secondary log ends with the trailer"
guest_destroy g
await 20 grep -q "xenconsoled: domain .* destroyed" "$ls"
xcd_finish
