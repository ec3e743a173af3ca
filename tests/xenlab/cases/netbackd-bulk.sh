# A large transfer each way through netbackd, between dom0 and a Linux
# PV guest's netfront, with matching byte counts and sums at both ends
# (xlab-tput put and take: a pseudo-random stream that does not repeat,
# hashed in order, so a dropped, doubled or damaged segment cannot go
# unseen). NB_BULK_MIB sets the size (default 100). Durations are
# logged, never judged (bench/ is for speed).
# Between the two, the queue's thread must be on a CPU its interrupts
# ("evtchn:vifD.0-q0", netbackd names them after the queue) arrive on;
# its interrupts are then moved to the other CPU, and after the second
# transfer the thread must have followed them there.
# xenlab: timeout=600
. /xenlab/bin/nb-lab.sh
mib=${NB_BULK_MIB:-100}

nb_setup
nb_guest g 3 "$mib"
d=$(guest_domid g)

step "$mib MiB dom0 -> guest"
nb_to_guest g 10.13.0.3 "$mib"

step "the queue's thread on the CPU of its interrupts"
q0=evtchn:vif$d.0-q0
# the CPUs that counted interrupts of q0, one per line
irq_cpus() {
	awk -v n="$q0" '$NF == n { for (i = 2; i < NF && $i ~ /^[0-9]+$/; i++) if ($i > 0) print i - 2 }' \
		/proc/interrupts | sort -u
}
# the queue's CPU, and its thread's allowed CPUs
q_cpu() { nb_vif_field "vif$d.0" "  queue 0:" cpu; }
q_allowed() { nb_allowed "vif$d.0" 0; }
log "$(grep -F "$q0" /proc/interrupts)"
[ -n "$(irq_cpus)" ] || fail "no interrupt is named $q0 in /proc/interrupts, or none came"
cpu=$(q_cpu)
[ -n "$cpu" ] || fail "queue 0 follows no CPU: $(netbackd --status | grep 'queue 0:')"
irq_cpus | grep -qx "$cpu" || fail "queue 0 is on CPU $cpu, its interrupts came on $(irq_cpus | paste -sd,)"
[ "$(q_allowed)" = "$cpu" ] || fail "queue 0's thread may run on $(q_allowed), not only CPU $cpu"
other=$((1 - cpu))
nb_irqs_to "$q0" "$other"

step "$mib MiB guest -> dom0"
nb_from_guest g "$mib"
log "$(grep -F "$q0" /proc/interrupts)"
[ "$(q_cpu)" = "$other" ] && [ "$(q_allowed)" = "$other" ] ||
	fail "queue 0 did not follow its interrupts to CPU $other: cpu $(q_cpu), allowed $(q_allowed)"

step "netbackd's counters"
st=$(netbackd --status) || fail "no --status"
log "$st"

nb_teardown g
