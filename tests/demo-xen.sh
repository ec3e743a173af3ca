# The lab's demo, run in dom0 by `make demo-xen` (./quickstart demo):
# xud's xenconsoled captures a guest's console while xentropyd hands the
# guest entropy at boot.
step "replace Xen's xenconsoled with xud's"
xen_consoled_stop
daemon_start xenconsoled --log=guest --log-dir=/var/log/xen/console --timestamp=guest
step "start xentropyd"
daemon_start xentropyd
log "xud daemons running:"
ps -o pid,rss,args -C xenconsoled,xentropyd

step "boot a guest"
guest_start g demo
guest_wait g data/demo-done 1 60 || fail "the demo guest did not finish"

step "the guest's console, as xud's xenconsoled logged it"
cat "$(guest_console g)"

step "xentropyd's statistics (SIGUSR1)"
kill -USR1 "$(daemon_pid xentropyd)"
wait_until 5 grep -q "stats:" "$XENLAB_CASE_DIR/xentropyd.log"
grep "stats:" "$XENLAB_CASE_DIR/xentropyd.log" | tail -n 3

step "an entropy unikernel: 4 MB, served by xentropyd at boot"
. /xenlab/bin/uk-lab.sh
uk_start ent uk-entropy
uk_wait_ready ent 30
log "ready $(uk_ms "$uk_t0" "$uk_t_ready") ms after xl create started; its console:"
cat "$(guest_console ent)"

log "jitsud (DNS summoning) and netbackd (userspace netback) are shown by"
log "their lab cases (make check-xen CASES='jitsud-* netbackd-*')."
step "stop the daemons"
guest_destroy g
guest_destroy ent
daemon_stop xentropyd
daemon_stop xenconsoled
xen_consoled_start
