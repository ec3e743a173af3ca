# The smallest memory hello boots in: 4 MB must work; 1, 2 and 3 MB are
# tried and what happens is printed (a measurement, not judged). Seen
# with Xen 4.17: the domain builder refuses them ("count_pgtables: not
# enough memory for initial mapping (0x3ff > 0x300)"), since it rounds
# the initial mapping up to 4 MB; the guest's own needs are far smaller.
. /xenlab/bin/uk-lab.sh

for m in 1 2 3; do
	step "hello in $m MB (measured)"
	if uk_start --mem "$m" --try m$m uk-hello; then
		if wait_until 30 sh -c "[ \"\$(xenstore-read /local/domain/$(guest_domid m$m)/data/ready 2>/dev/null)\" = 1 ]"; then
			log "unikernel: hello in $m MB: ready"
		else
			log "unikernel: hello in $m MB: created, not ready within 30 s"
		fi
		guest_destroy m$m
	else
		# the domain builder's reason, not libxl's clean-up lines after it
		log "unikernel: hello in $m MB: xl create refused it:" \
			"$(grep 'xc: error' "$XENLAB_CASE_DIR/xl-create.log" | tail -n 1)"
	fi
done

step "hello in 4 MB boots"
uk_start --mem 4 m4 uk-hello
uk_wait_ready m4
log "unikernel: hello in 4 MB: ready"
