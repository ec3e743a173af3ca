# Retention: at start, the logs of domains that are gone and have not been
# written for the retention time are removed with their rotations; a
# recent log, a running guest's old log and other files stay.
. /xenlab/bin/xcd-lab.sh
d=$XCD_LOGDIR
gone=$d/guest-$XENLAB_CASE-gone.log
recent=$d/guest-$XENLAB_CASE-recent.log
other=$d/$XENLAB_CASE-notes.txt

step "a running guest whose log was last written 3 days ago"
guest_start g idle
live=$(guest_console g)
wait_until 30 test -f "$live" || fail "Xen's xenconsoled wrote no $live"
touch -d '3 days ago' "$live"

step "logs of gone domains: one 3 days old (with rotations), one recent"
for f in "$gone" "$gone.1" "$gone.2" "$other"; do
	echo old > "$f"
	touch -d '3 days ago' "$f"
done
echo recent > "$recent"
touch -d '1 hour ago' "$recent"

xcd_start -c "$(xcd_conf 'retention = 1d')"

step "the old log of the gone domain and its rotations are removed"
await 10 grep -q "retention: removed $gone" "$XENLAB_CASE_DIR/xenconsoled.log"
for f in "$gone" "$gone.1" "$gone.2"; do
	[ ! -e "$f" ] || fail "$f is still there"
done

step "the recent log, the running guest's log and other files stay"
for f in "$recent" "$live" "$other"; do
	[ -f "$f" ] || fail "$f was removed"
done
grep -q "retention: removed.*\(recent\|-g\.log\)" "$XENLAB_CASE_DIR/xenconsoled.log" &&
	fail "removal logged for a kept file: $(grep 'retention: removed' "$XENLAB_CASE_DIR/xenconsoled.log")"
rm -f "$recent" "$other"
xcd_finish
