# jitsud summons the hello unikernel when its name is looked up: AAAA of
# the A-only service does not boot it; five concurrent queries boot it
# once, and are answered only once its readiness key is there; after its
# idle timeout it is destroyed. A service whose readiness key never comes
# gets SERVFAIL at its boot timeout, and its domain is destroyed. With
# stop mode pause, the idle service is paused, and the next query
# unpauses the same domain. A jitsud restart while that service runs
# adopts its domain: no second boot.
for svc in hello never paused; do
	cat > "$XENLAB_CASE_DIR/$svc.cfg" <<CFG
name = "$XENLAB_CASE-$svc"
type = "pv"
kernel = "/xenlab/bin/uk-hello"
memory = 4
vcpus = 1
CFG
done
conf=$XENLAB_CASE_DIR/jitsud.conf
cat > "$conf" <<CONF
listen = 127.0.0.1
[zone lab.test]
[service hello]
name = hello.lab.test
a = 10.0.0.9
xl-config = $XENLAB_CASE_DIR/hello.cfg
idle-timeout = 10s
boot-timeout = 90s
[service never]
name = never.lab.test
a = 10.0.0.10
xl-config = $XENLAB_CASE_DIR/never.cfg
ready-key = data/never
boot-timeout = 20s
[service paused]
name = paused.lab.test
a = 10.0.0.11
xl-config = $XENLAB_CASE_DIR/paused.cfg
idle-timeout = 3s
stop-mode = pause
boot-timeout = 90s
CONF
# the case's end destroys what is left
_xl_guests="$_xl_guests hello never paused"

status() { timeout 10 jitsud --status 2>&1; }
svc_status() { status | grep "^service $1: state="; }
exists() { xl domid "$XENLAB_CASE-$1" >/dev/null 2>&1; }

step "jitsud starts; nothing is booted"
daemon_start jitsud -c "$conf"
exists hello && fail "hello runs already"
log "$(svc_status hello)"

step "AAAA of the A-only service: NODATA, and no boot"
out=$(timeout 20 jd-dig -T AAAA hello.lab.test 2>&1) || fail "jd-dig: $out"
log "$out"
echo "$out" | grep -Eq 'rcode=NOERROR flags=qr,aa,rd an=0 ns=1 .*authority=SOA$' || fail "not NODATA"
svc_status hello | grep -q 'state=stopped .*boots=0 ' || fail "booted: $(svc_status hello)"
exists hello && fail "a domain was created"

step "five concurrent queries: one boot, answered once data/ready is there"
pids=
for i in 1 2 3 4 5; do
	timeout 120 jd-dig -w 100 hello.lab.test > "$XENLAB_CASE_DIR/q$i" 2>&1 &
	pids="$pids $!"
done
wait $pids	# not the daemon, also a child of this shell
for i in 1 2 3 4 5; do
	log "query $i: $(cat "$XENLAB_CASE_DIR/q$i")"
	grep -Eq 'rcode=NOERROR flags=qr,aa,rd an=1 .*answer=A:10\.0\.0\.9 ' "$XENLAB_CASE_DIR/q$i" ||
		fail "query $i: $(cat "$XENLAB_CASE_DIR/q$i")"
done
id=$(xl domid "$XENLAB_CASE-hello") || fail "no hello domain after the answers"
[ "$(xenstore-read "/local/domain/$id/data/ready" 2>/dev/null)" = 1 ] ||
	fail "answered, but data/ready of domain $id is not 1"
log "$(svc_status hello)"
svc_status hello | grep -q "state=ready domid=$id boots=1 " || fail "not one boot: $(svc_status hello)"

step "idle for 10 s: the domain is destroyed"
await 60 sh -c "! xl domid $XENLAB_CASE-hello"
await 10 sh -c "jitsud --status | grep -q '^service hello: state=stopped .*stops=1 '"
log "$(svc_status hello)"

step "a readiness key that never comes: SERVFAIL at the boot timeout"
out=$(timeout 90 jd-dig -w 80 never.lab.test 2>&1) || fail "jd-dig: $out"
log "$out"
echo "$out" | grep -q 'rcode=SERVFAIL' || fail "not SERVFAIL"
await 30 sh -c "jitsud --status | grep -q '^service never: state=stopped .*boot-timeouts=1 '"
await 60 sh -c "! xl domid $XENLAB_CASE-never"
log "$(svc_status never)"

step "stop mode pause: paused when idle, unpaused by the next query"
out=$(timeout 120 jd-dig -w 100 paused.lab.test 2>&1) || fail "jd-dig: $out"
log "$out"
echo "$out" | grep -Eq 'rcode=NOERROR .*answer=A:10\.0\.0\.11 ' || fail "no answer"
id=$(xl domid "$XENLAB_CASE-paused") || fail "no paused domain"
await 60 sh -c "jitsud --status | grep -q '^service paused: state=paused domid=$id '"
xl list "$XENLAB_CASE-paused" | awk 'NR == 2 { print $5 }' | grep -q p ||
	fail "not paused: $(xl list "$XENLAB_CASE-paused" | tail -n 1)"
out=$(timeout 120 jd-dig -w 100 paused.lab.test 2>&1) || fail "jd-dig: $out"
log "$out"
echo "$out" | grep -Eq 'rcode=NOERROR .*answer=A:10\.0\.0\.11 ' || fail "no answer after the pause"
# (within its 3 s of idle time, before it is paused again)
st=$(svc_status paused)
log "$st"
echo "$st" | grep -q "state=ready domid=$id boots=2 " ||
	fail "not the same domain unpaused: $st"
log "$(status | tr '\n' '|')"

step "a restart while the service runs: its domain is adopted, not booted again"
daemon_stop jitsud
daemon_start jitsud -c "$conf"
st=$(svc_status paused)
log "$st"
echo "$st" | grep -Eq "state=(ready|paused) domid=$id boots=0 " || fail "not adopted: $st"
out=$(timeout 120 jd-dig -w 100 paused.lab.test 2>&1) || fail "jd-dig: $out"
log "$out"
echo "$out" | grep -Eq 'rcode=NOERROR .*answer=A:10\.0\.0\.11 ' || fail "no answer after the restart"
[ "$(xl domid "$XENLAB_CASE-paused")" = "$id" ] || fail "another domain: $(xl list)"
[ "$(xl list | grep -c "^$XENLAB_CASE-paused ")" = 1 ] || fail "two domains: $(xl list)"
grep -q "service paused: domain $id adopted" "$XENLAB_CASE_DIR/jitsud.log" ||
	fail "no adoption logged"

daemon_stop jitsud
