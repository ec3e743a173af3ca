# uk-lab.sh: steps shared by the unikernel lab cases, sourced by
# tests/xenlab/cases/unikernel-*.sh from /xenlab/bin in dom0 (after lib.sh).
UK_BIN=/xenlab/bin

# uk_start [--cfg 'xl.cfg line']... NAME IMAGE [EXTRA]: xl create the
# unikernel IMAGE (e.g. uk-hello) in 4 MB as <case>-NAME, with EXTRA as
# its command line; the case's cleanup destroys it. Does not wait. Sets
# uk_t0 (ns, before xl create) and uk_t_created (ns, after it returned).
uk_start() {
	local cfgx=() name image extra cfg a
	while [ "$1" = --cfg ]; do
		cfgx+=("$2")
		shift 2
	done
	name=$1 image=$2 extra=${3:-}
	[ -f "$UK_BIN/$image" ] || fail "no unikernel image $UK_BIN/$image"
	cfg=$XENLAB_CASE_DIR/$name.cfg
	{
		echo "name = \"$XENLAB_CASE-$name\""
		echo 'type = "pv"'
		echo "kernel = \"$UK_BIN/$image\""
		echo 'memory = 4'
		echo 'vcpus = 1'
		echo "extra = \"$extra\""
		echo 'on_poweroff = "destroy"'
		for a in "${cfgx[@]}"; do echo "$a"; done
	} > "$cfg"
	log "unikernel $name: xl create ($image${extra:+, extra '$extra'})"
	uk_t0=$(date +%s%N)
	timeout -k 5 60 xl create -q "$cfg" >> "$XENLAB_CASE_DIR/xl-create.log" 2>&1 || {
		tail -n 5 "$XENLAB_CASE_DIR/xl-create.log" | sed 's/^/  /'
		fail "xl create of unikernel $name failed: $(tail -n 1 "$XENLAB_CASE_DIR/xl-create.log")"
	}
	uk_t_created=$(date +%s%N)
	# lib.sh's list: the case's end destroys what is left
	_xl_guests="$_xl_guests $name"
	log "unikernel $name: domid $(guest_domid "$name" || echo '(gone already)')"
}

# uk_wait_ready NAME [SECS]: waits for data/ready=1; sets uk_t_ready (ns).
uk_wait_ready() {
	guest_wait "$1" data/ready 1 "${2:-30}" ||
		fail "unikernel $1 wrote no data/ready=1 within ${2:-30}s (console: $(tail -n 3 "$(guest_console "$1")" 2>/dev/null))"
	uk_t_ready=$(date +%s%N)
}

# uk_wait_gone NAME [SECS]: the domain no longer exists.
uk_wait_gone() {
	wait_until "${2:-30}" sh -c "! xl domid '$(_xl_gname "$1")'" ||
		fail "unikernel $1 still exists after ${2:-30}s: $(xl list | grep "$(_xl_gname "$1")")"
}

# uk_ms A B: milliseconds from ns A to ns B.
uk_ms() {
	echo $(( ($2 - $1) / 1000000 ))
}
