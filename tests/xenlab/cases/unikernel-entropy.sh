# The entropy unikernel fetches 4096 bytes from xud's xentropyd over
# vchan at boot, in 4 MB: its data/entropy and console line say how many
# bytes came and how long it took (the guest's own Xen system time,
# logged, not judged), and the daemon's status counts the same bytes in
# one request for that domain. The guest hangs up (the daemon offers a
# fresh channel), and `xl shutdown` powers it off. Twice: a second guest
# is served as well as the first.
. /xenlab/bin/uk-lab.sh

step "start xentropyd"
daemon_start xentropyd -v

for i in 1 2; do
	step "entropy $i boots, fetches, and writes data/ready"
	uk_start e$i uk-entropy
	uk_wait_ready e$i 30
	d=$(guest_domid e$i)
	val=$(guest_read e$i data/entropy)
	log "unikernel: entropy run $i: data/entropy '$val', ready $(uk_ms "$uk_t0" "$uk_t_ready") ms after xl create started (guest's own boot $(guest_read e$i data/boot-us) us)"
	case $val in
	4096\ [0-9]*) ;;
	*) fail "data/entropy is '$val', not '4096 <us>' (console: $(tail -n 3 "$(guest_console e$i)"))" ;;
	esac

	step "entropy $i: its console says so"
	guest_wait_console e$i '^entropy: 4096 bytes from xentropyd \(dom0\) in [0-9]+ us' 10 ||
		fail "no fetch line in $(guest_console e$i): $(tail -n 3 "$(guest_console e$i)")"
	log "$(grep '^entropy: 4096 bytes' "$(guest_console e$i)" | tr -d '\r')"

	step "entropy $i: xentropyd served dom$d those bytes; the guest hung up"
	# after a client hangs up, the daemon offers a fresh channel
	want="^dom$d(.*): 4096 bytes in 1 requests, 0 throttled, 0 errors, channel offered (2 set up)"
	wait_until 10 sh -c "xentropyd --status | grep -q '$want'" ||
		fail "xentropyd --status: $(xentropyd --status | grep "^dom$d(")"
	log "$(xentropyd --status | grep "^dom$d(")"

	step "entropy $i: xl shutdown powers it off"
	uk_shutdown e$i entropy
done
grep "closing channel" "$XENLAB_CASE_DIR/xentropyd.log" &&
	fail "xentropyd closed an entropy guest's channel"
daemon_stop xentropyd
