# A destroyed domain can stay dying for as long as another domain maps
# one of its pages (a leaked backend mapping does that), and xenstored
# fires @releaseDomain when it starts to die, not when it is gone. Here a
# dom0 tool holds a hello unikernel's console page through `xl destroy`:
# the daemon ends the log at once ("destroyed"), and once the page is let
# go and the domain is gone, the console's fds come back with no xenstore
# event to tell of it.
. /xenlab/bin/uk-lab.sh
. /xenlab/bin/xcd-lab.sh
xcd_start
pid=$(daemon_pid xenconsoled)
proc_baseline "$pid" xenconsoled

step "hello boots; a dom0 tool maps its console page"
uk_start z uk-hello
uk_wait_ready z
domid=$(guest_domid z)
hold_in=$XENLAB_CASE_DIR/hold.in
mkfifo "$hold_in"
xlab-hold "$domid" < "$hold_in" > "$XENLAB_CASE_DIR/hold.out" 2>&1 &
hold=$!
exec 7> "$hold_in"		# the tool holds the page until this closes
await 10 grep -qx held "$XENLAB_CASE_DIR/hold.out"

step "xl destroy: the domain stays dying, its log ends at once"
guest_destroy z
await 20 grep -q "xenconsoled: domain .* destroyed" "$(guest_console z)"
listed() { xl list | awk -v d="$domid" '$2 == d'; }
[ -n "$(listed)" ] || fail "domain $domid is gone already: the page held nothing"
log "domain $domid left dying: $(listed)"

step "the page is let go: the domain goes, the daemon lets go of its console"
exec 7>&-
wait "$hold" || fail "xlab-hold: $(cat "$XENLAB_CASE_DIR/hold.out")"
gone() { [ -z "$(listed)" ]; }
await 30 gone
proc_back "$pid" xenconsoled
xcd_finish
