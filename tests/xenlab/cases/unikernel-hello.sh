# The hello unikernel boots in 4 MB: its console line and its readiness
# key appear, nearly all its pages are usable (it allocates and writes
# them after ready), and `xl shutdown` powers it off. Three boots, each timed
# from the start of `xl create` to data/ready seen in dom0 (printed, not
# judged), with the guest's own boot time (its first hypercall to ready).
. /xenlab/bin/uk-lab.sh
all_ready= all_created= all_boot=

for i in 1 2 3; do
	step "hello $i boots and writes data/ready"
	uk_start h$i uk-hello
	uk_wait_ready h$i
	ready=$(uk_ms "$uk_t0" "$uk_t_ready") created=$(uk_ms "$uk_t0" "$uk_t_created")
	boot=$(guest_read h$i data/boot-us)
	log "unikernel: hello run $i: ready $ready ms after xl create started" \
		"(xl create returned after $created ms; guest's own boot $boot us)"
	all_ready="$all_ready${all_ready:+,}$ready"
	all_created="$all_created${all_created:+,}$created"
	all_boot="$all_boot${all_boot:+,}$boot"

	step "hello $i: every free page was usable"
	guest_wait h$i data/pages "" 30 || fail "no data/pages"
	pages=$(guest_read h$i data/pages)
	log "hello $i: $pages pages (of 1024 in 4 MB) allocated, written and freed"
	[ "$pages" -ge 900 ] 2>/dev/null || fail "only '$pages' pages usable"

	step "hello $i: its console line is logged"
	guest_wait_console h$i '^hello: xud unikernel running' 10 ||
		fail "no console line in $(guest_console h$i): $(tail -n 3 "$(guest_console h$i)")"
	guest_wait_console h$i '^hello: ready [0-9]+ us' 10 ||
		fail "no readiness line in $(guest_console h$i)"

	step "hello $i: xl shutdown powers it off"
	run xl shutdown "$XENLAB_CASE-h$i"
	uk_wait_gone h$i 30
	grep -q '^hello: powering off' "$(guest_console h$i)" ||
		fail "the guest did not say it powers off: $(tail -n 3 "$(guest_console h$i)")"
	_xl_guests=${_xl_guests/ h$i/}
done
log "unikernel: hello in 4 MB: ready_ms=$all_ready xl_create_ms=$all_created guest_boot_us=$all_boot" \
	"(load average $(cut -d' ' -f1-3 /proc/loadavg) in dom0)"
