# xud's xenconsoled is killed with SIGKILL and restarted while a guest
# prints numbered lines: the log has no gap and no duplicate, because the
# new daemon continues from the ring's consumer index.
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

step "no gap, no duplicate"
xcd_seq "$log" XCDR 3000
xcd_finish
