# Built-in rotation at a small size cap loses no line and splits none:
# the rotated files, oldest first, hold every line once, in order.
. /xenlab/bin/xcd-lab.sh
xcd_start -t guest -c "$(xcd_conf 'rotate-size = 4K
rotate-keep = 1000')"

step "a guest prints 2000 lines"
guest_start g xcd-lines 2000 XCDO
log=$(guest_console g)
await 120 grep -q "XCDO done" "$log"

step "the log was rotated"
files=$(ls "$log".* | sort -t. -k3,3nr | tr '\n' ' ')
count=$(echo $files | wc -w)
[ "$count" -ge 10 ] || fail "only $count rotated files"
log "$count rotated files"

step "no line lost or split across files"
xcd_seq $files "$log" XCDO 2000
for f in $files "$log"; do
	head -n 1 "$f" | grep -qE '^\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\] ' ||
		fail "$f does not start with a line in Xen's stamp"
	[ "$(stat -c %s "$f")" -le 5000 ] || fail "$f is $(stat -c %s "$f") bytes, cap 4K"
done
xcd_finish
