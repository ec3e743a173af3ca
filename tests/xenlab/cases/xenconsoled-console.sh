# xl console reads a guest's output through xud's pty, and a line typed
# into it reaches the guest.
. /xenlab/bin/xcd-lab.sh
xcd_start

step "a guest waits for input"
guest_start g xcd-input
log=$(guest_console g)
await 60 grep -q "XCD-WAITING" "$log"

step "xl console connects (under script, for a tty)"
fifo=$XENLAB_CASE_DIR/in.fifo out=$XENLAB_CASE_DIR/xl-console.out
mkfifo "$fifo"
exec 3<>"$fifo"
setsid script -qfc "xl console $XENLAB_CASE-g" /dev/null <&3 > "$out" 2>&1 &
xlc=$!
trap 'kill -- -$xlc 2>/dev/null; xcd_cleanup' EXIT

step "a typed line reaches the guest"
printf 'hello-xcd\r' >&3
await 30 grep -q "XCD-GOT:hello-xcd" "$log"

step "xl console shows the guest's answer"
await 30 grep -q "XCD-GOT:hello-xcd" "$out"
kill -- -"$xlc" 2>/dev/null
exec 3>&-
xcd_finish
