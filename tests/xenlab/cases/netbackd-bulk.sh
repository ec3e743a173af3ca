# A large transfer each way through netbackd, between dom0 and a Linux
# PV guest's netfront, with matching sha256 sums at both ends: a random
# 4 MiB block repeated (urandom is too slow under emulation), so a
# dropped, doubled or damaged segment cannot go unseen. NB_BULK_MIB
# sets the size (default 100, a multiple of 4). Durations are logged,
# never judged (bench/ is for speed).
# xenlab: timeout=600
. /xenlab/bin/nb-lab.sh
mib=${NB_BULK_MIB:-100}

nb_setup
nb_guest g 3 "$mib"
d=$(guest_domid g)

step "$mib MiB dom0 -> guest"
mkfifo "$XENLAB_CASE_DIR/tx.fifo"
sha256sum < "$XENLAB_CASE_DIR/tx.fifo" | cut -d' ' -f1 > "$XENLAB_CASE_DIR/tx.sum" &
sum_pid=$!
t0=$(date +%s.%N)
set -o pipefail
nb_stream "$mib" | tee "$XENLAB_CASE_DIR/tx.fifo" |
	timeout 240 busybox nc 10.13.0.3 5002 || fail "sending to the guest failed"
set +o pipefail
wait $sum_pid
guest_wait g data/nb-rx-sum "" 120 || fail "the guest reported no sum"
t1=$(date +%s.%N)
sent=$(cat "$XENLAB_CASE_DIR/tx.sum")
got=$(guest_read g data/nb-rx-sum)
log "dom0 -> guest: $mib MiB in $(nb_secs "$t0" "$t1") s, sent $sent, guest got $got"
[ -n "$sent" ] && [ "$sent" = "$got" ] || fail "sums differ: sent $sent, guest got $got"

step "$mib MiB guest -> dom0"
# busybox nc half-closes when its stdin ends, which stops the sender:
# a fifo held open for writing (<>) never ends
mkfifo "$XENLAB_CASE_DIR/hold.fifo"
busybox nc -l -p 5001 0<>"$XENLAB_CASE_DIR/hold.fifo" | sha256sum | cut -d' ' -f1 > "$XENLAB_CASE_DIR/rx.sum" &
rx_pid=$!
t0=$(date +%s.%N)
xenstore-write "/local/domain/$d/data/nb-send" 1
guest_wait g data/nb-tx-sum "" 300 || fail "the guest reported no sum"
wait_until 60 nb_exited $rx_pid || fail "dom0's listener did not finish"
t1=$(date +%s.%N)
got=$(cat "$XENLAB_CASE_DIR/rx.sum")
sent=$(guest_read g data/nb-tx-sum)
log "guest -> dom0: $mib MiB in $(nb_secs "$t0" "$t1") s, guest sent $sent, dom0 got $got"
[ -n "$got" ] && [ "$sent" = "$got" ] || fail "sums differ: guest sent $sent, dom0 got $got"

step "netbackd's counters"
st=$(netbackd --status) || fail "no --status"
log "$st"

nb_teardown g
