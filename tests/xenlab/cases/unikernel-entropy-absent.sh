# With no entropy daemon, the entropy unikernel reports so within 1 s of
# its boot instead of waiting: the time is the guest's own, from its first
# hypercall to its report (Xen system time), in its console line and
# data/entropy, not a sleep or the shell's wall clock around xl create.
# It still gets ready, and `xl shutdown` powers it off.
. /xenlab/bin/uk-lab.sh

step "no xentropyd is running"
pgrep -x xentropyd >/dev/null && fail "a xentropyd is running"

step "entropy boots, finds no daemon, and writes data/ready"
uk_start a uk-entropy
uk_wait_ready a 30
val=$(guest_read a data/entropy)
log "unikernel: entropy without a daemon: data/entropy '$val'"
case $val in
absent\ [0-9]*) ;;
*) fail "data/entropy is '$val', not 'absent <ms>' (console: $(tail -n 3 "$(guest_console a)"))" ;;
esac
ms=${val#absent }
[ "$ms" -lt 1000 ] || fail "the absent daemon was reported $ms ms after boot"

step "its console says so, with the same time"
guest_wait_console a "^entropy: no entropy daemon \\(checked $ms ms after boot\\)" 10 ||
	fail "no report in $(guest_console a): $(tail -n 3 "$(guest_console a)")"
guest_wait_console a '^entropy: ready [0-9]+ us after boot' 10 ||
	fail "no readiness line in $(guest_console a)"

step "xl shutdown powers it off"
uk_shutdown a entropy
