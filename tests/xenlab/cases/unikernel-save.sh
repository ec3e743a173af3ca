# `xl save` and `xl restore` of the hello unikernel, twice: after each
# restore the new domain says "hello: resumed (N)" on its console, writes
# data/resumed=N and data/ready=1 in its new (empty) xenstore area, and
# `xl shutdown` still powers it off at the end. N counts in the guest's
# memory, so 2 after the second restore shows it continued where it was
# (a fresh boot would say 1), and the second save shows the restored
# domain published its p2m again (the restore clears it). First, `xl
# save -c` (a checkpoint: the suspend is cancelled) leaves the same domain
# running. (That comes first because xl's process that watches the domain
# for on_poweroff exits when the domain suspends, and only `xl restore`
# starts a new one: after a checkpoint, a powered-off domain would stay.)
. /xenlab/bin/uk-lab.sh

step "hello boots"
uk_start s uk-hello
uk_wait_ready s
guest_wait s data/pages "" 30 || fail "no data/pages"
prev=$(guest_domid s)

step "xl save -c: the suspend is cancelled and the guest runs on"
run xl save -c "$XENLAB_CASE-s" "$XENLAB_CASE_DIR/s.save3"
[ "$(guest_domid s)" = "$prev" ] || fail "xl save -c did not leave domain $prev running"
guest_wait_console s '^hello: suspend cancelled' 30 ||
	fail "no 'suspend cancelled' on the console: $(tail -n 3 "$(guest_console s)")"
guest_read s data/resumed >/dev/null &&
	fail "data/resumed is '$(guest_read s data/resumed)' after a cancelled suspend"

for n in 1 2; do
	step "save $n: xl save stops the domain, xl restore brings it back"
	img=$XENLAB_CASE_DIR/s.save$n
	t0=$(date +%s%N)
	run xl save "$XENLAB_CASE-s" "$img"
	t1=$(date +%s%N)
	guest_domid s >/dev/null && fail "the domain still runs after xl save"
	# (once more than the rounds: the cancelled one said it too)
	[ "$(grep -c '^hello: suspending' "$(guest_console s)")" = $((n + 1)) ] ||
		fail "the guest did not say it suspends: $(tail -n 3 "$(guest_console s)")"
	log "saved: $(stat -c %s "$img") bytes in $(uk_ms "$t0" "$t1") ms"
	run xl restore -p "$img"
	id=$(guest_domid s) || fail "no domain after xl restore"
	[ "$id" != "$prev" ] || fail "the restored domain kept domid $id"
	t2=$(date +%s%N)
	run xl unpause "$XENLAB_CASE-s"

	step "save $n: the restored guest resumes where it was"
	guest_wait s data/resumed "$n" 30 ||
		fail "no data/resumed=$n (it reads '$(guest_read s data/resumed)'; console: $(tail -n 3 "$(guest_console s)"))"
	t3=$(date +%s%N)
	[ "$(guest_read s data/ready)" = 1 ] || fail "no data/ready=1 after restore"
	guest_wait_console s "^hello: resumed \\($n\\)" 10 ||
		fail "no 'hello: resumed ($n)' on the console: $(tail -n 3 "$(guest_console s)")"
	log "unikernel: hello save/restore $n: domid $prev -> $id, restored in $(uk_ms "$t1" "$t2") ms," \
		"resumed $(uk_ms "$t2" "$t3") ms after unpause"
	prev=$id
done

step "the restored guest still obeys xl shutdown"
uk_shutdown s hello
