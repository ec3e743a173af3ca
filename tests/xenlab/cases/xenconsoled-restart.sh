# xud's xenconsoled is killed with SIGKILL and restarted while a guest
# prints numbered lines: the log has no gap, because the new daemon
# continues from the ring's consumer index, which moves only once the
# log has the bytes. What its writer threads had logged but the loop had
# not yet given back to the ring when the kill came is logged again: at
# most one run of the lines in flight, no more than the console's queue
# (32 KiB) and ring (2 KiB) hold. (A SIGTERM repeats nothing: it drains.)
. /xenlab/bin/xcd-lab.sh
xcd_start

step "a guest prints 3000 lines, slowly"
guest_start g xcd-lines 3000 XCDR 20 20000
log=$(guest_console g)
await 60 grep -q "XCDR 000200" "$log"

step "kill -9 the daemon while the guest prints"
kill -KILL "$(daemon_pid xenconsoled)"
await 10 test -f "$(daemon_dir xenconsoled)/exit"
grep -q "XCDR done" "$log" && fail "the guest finished before the kill: nothing proven"

step "restart it"
daemon_start xenconsoled --log=guest --log-dir="$XCD_LOGDIR"
await 180 grep -q "XCDR done" "$log"

step "no gap; at most the lines in flight at the kill repeated"
XCD_SEQ_REPLAY=$(( (32768 + 2048) / 13 )) xcd_seq "$log" XCDR 3000
xcd_finish
