# Leaks: 20 create/destroy cycles of the httpd unikernel, each with a
# vif served by netbackd (vif-bridge puts the TAP on xenbr0): each time
# its vif connects, dom0 gets its page through netbackd, and after the
# destroy its vif and TAP are gone. netbackd's fds and RSS are then
# where they were before the 20 cycles: fds at most, RSS within 512 KiB
# (uk-lab.sh's proc_back, as unikernel-scale.sh judges xenconsoled). The baseline is taken
# after one cycle before them, when the allocator has seen a vif's
# buffers once (glibc raises its mmap threshold on the first free of
# one, and keeps what it took for the next).
# xenlab: timeout=600
. /xenlab/bin/nb-lab.sh
. /xenlab/bin/uk-lab.sh

IP=10.13.0.7 MAC=00:16:3e:0d:00:07
N=${NB_LEAK_CYCLES:-20}

nb_setup
pid=$(daemon_pid netbackd)

# cycle K: one create, page and destroy
cycle() {
	local d p
	uk_start --mem 4 --cfg "vif = [ 'bridge=xenbr0,mac=$MAC,script=vif-bridge' ]" \
		web uk-httpd "ip=$IP mask=255.255.255.0"
	uk_wait_ready web 60
	d=$(guest_domid web)
	wait_until 20 nb_connected "$d" ||
		fail "cycle $1: no Connected vif$d.0 in netbackd --status: $(netbackd --status)"
	wait_until 20 busybox ping -c 1 -W 2 "$IP" || fail "cycle $1: no echo reply from $IP"
	p=$(uk_page "$IP") || fail "cycle $1: wget failed: $(cat "$XENLAB_CASE_DIR/wget.err")"
	echo "$p" | grep -q '<h1>xud httpd unikernel</h1>' ||
		fail "cycle $1: not the unikernel's page: $p"
	guest_destroy web
	await 30 nb_gone "$d"
}

step "one cycle first; then the baseline"
cycle 0
proc_baseline "$pid" netbackd

step "$N create, page, destroy cycles"
for k in $(seq 1 "$N"); do
	cycle "$k"
done
st=$(netbackd --status) || fail "no --status"
log "$st"
echo "$st" | grep -q '^vifs: 0$' || fail "netbackd still has vifs: $st"

step "netbackd's fds and RSS are back at their baseline"
proc_back "$pid" "netbackd after $N cycles"

step "netbackd exits 0"
daemon_stop netbackd
