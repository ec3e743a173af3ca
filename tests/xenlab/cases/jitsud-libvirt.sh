# jitsud's libvirt backend: libvirtd with its libxl driver in dom0, and
# jitsud with --backend=libvirt --connect xen:///system. A query for the
# stopped service boots the hello unikernel through libvirt (its xl config
# turned into domain XML by the driver) and is answered once data/ready is
# there; libvirt, not jitsud's libxl, created the domain (its state file
# under /run/libvirt/libxl). After the idle timeout the domain is
# destroyed through libvirt, and gone from libvirt too.
#
# The same libvirtd also listens on TCP (127.0.0.1, lab only: no TLS, no
# SASL), and a second jitsud connects with xen+tcp://localhost/system:
# libvirt's remote driver, over a TCP connection (seen established to
# port 16509), as to another host (jitsud takes "localhost" as this host,
# for its readiness key and save files). It summons and stops the service
# the same way. Then libvirtd stops: jitsud notices at once (libvirt's
# close callback), says so once; a query meanwhile gets SERVFAIL at once
# rather than waiting; libvirtd starts again, jitsud reconnects by itself,
# and the next query boots the service again.
#
# Adoption without libvirtd at the start: with the service's domain left
# running (a long idle time), jitsud is restarted while libvirtd is
# stopped: it sends READY=1 all the same, says it cannot connect, and the
# service is stopped as far as it knows; libvirtd starts, jitsud connects
# and adopts the domain (logged); a query is answered by that domain (the
# same id) with no boot.
. /xenlab/bin/jd-lab.sh
jd_uk_cfg lv uk-hello
dom=$XENLAB_CASE-lv
conf=$XENLAB_CASE_DIR/jitsud.conf
cat > "$conf" <<CONF
listen = 127.0.0.1
[zone lab.test]
[service lv]
name = lv.lab.test
a = 10.0.0.41
xl-config = $XENLAB_CASE_DIR/lv.cfg
idle-timeout = 3s
boot-timeout = 60s
CONF
# root on the local socket, no polkit in dom0; its log beside the case's
# (and TCP on loopback with no authentication: lab only)
cat > "$XENLAB_CASE_DIR/libvirtd.conf" <<CONF
auth_unix_rw = "none"
listen_tls = 0
listen_tcp = 1
listen_addr = "127.0.0.1"
auth_tcp = "none"
log_outputs = "3:file:$XENLAB_CASE_DIR/libvirtd.log"
CONF

step "libvirtd starts with its libxl driver"
# libvirt 9.0's libxl driver does not start when no CPU model of its
# cpu_map fits the featureset Xen reports, as under QEMU's emulated CPU
# here ("Cannot find suitable CPU model"): a model with no features fits
# any. Only this boot's rootfs (in RAM) is changed.
m=/usr/share/libvirt/cpu_map
if ! grep -q x86_xenlab.xml $m/index.xml; then
	printf "<cpus>\n  <model name='xenlab'>\n    <decode host='on' guest='off'/>\n  </model>\n</cpus>\n" > $m/x86_xenlab.xml
	sed -i "s|<include filename='x86_486.xml'/>|&\n    <include filename='x86_xenlab.xml'/>|" $m/index.xml
fi
# Only the libxl driver: the others (QEMU's wants its user, made by
# libvirt-daemon-system) are not in the lab's dom0.
lx=$(find /usr/lib -name libvirt_driver_libxl.so | head -n 1)
[ -n "$lx" ] || fail "no libvirt_driver_libxl.so in dom0"
mkdir -p "$XENLAB_CASE_DIR/drivers"
ln -sf "$lx" "$XENLAB_CASE_DIR/drivers/"
libvirtd_start() {
	# (daemon_start adds -f, which is libvirtd's --config)
	LIBVIRT_DRIVER_DIR=$XENLAB_CASE_DIR/drivers \
		daemon_start libvirtd "$XENLAB_CASE_DIR/libvirtd.conf" --listen
	wait_until 20 test -S /run/libvirt/libvirt-sock ||
		fail "no libvirtd socket: $(grep -E 'error|warning' "$XENLAB_CASE_DIR/libvirtd.log" | tail -n 3)"
}
libvirtd_start

step "jitsud --backend=libvirt --connect xen:///system starts; nothing is booted"
# (libvirtd's drivers start after its READY=1; one that fails ends it,
# and jitsud cannot connect)
daemon_start jitsud -c "$conf" --backend=libvirt --connect xen:///system
xl domid "$dom" >/dev/null 2>&1 && fail "$dom runs already"
jd_svc_status lv | grep -q 'state=stopped .*boots=0 ' || fail "not stopped: $(jd_svc_status lv)"

step "a query boots the service through libvirt, answered once it is ready"
jd_ask lv 10\\.0\\.0\\.41
log "query -> answer: $jd_ms ms"
id=$(xl domid "$dom") || fail "no domain $dom after the answer"
[ "$(xenstore-read "/local/domain/$id/data/ready" 2>/dev/null)" = 1 ] ||
	fail "answered, but data/ready of domain $id is not 1"
[ -f "/run/libvirt/libxl/$dom.xml" ] ||
	fail "libvirt did not create domain $id: no /run/libvirt/libxl/$dom.xml ($(ls /run/libvirt/libxl 2>&1))"
st=$(jd_svc_status lv)
log "$st"
echo "$st" | grep -q "state=ready domid=$id boots=1 " || fail "not one boot: $st"

step "idle for 3 s: destroyed through libvirt"
await 30 sh -c "! xl domid $dom"
jd_await_status 10 lv "stopped .*stops=1 "
await 10 sh -c "! test -e /run/libvirt/libxl/$dom.xml"
log "$(jd_svc_status lv)"
lverr=$(grep 'libvirt:' "$XENLAB_CASE_DIR/jitsud.log" | grep -v 'libvirt: connected to')
[ -z "$lverr" ] || fail "libvirt reported errors: $lverr"

daemon_stop jitsud

step "jitsud --connect xen+tcp://localhost/system: the remote driver, over TCP"
# localhost, for the remote driver's getaddrinfo, if the rootfs lacks it
getent hosts localhost >/dev/null || echo "127.0.0.1 localhost" >> /etc/hosts
uri=xen+tcp://localhost/system
daemon_start jitsud -c "$conf" --backend=libvirt --connect $uri
# (jitsud's libvirt thread connects after the start, not before it)
wait_until 10 grep -q "libvirt: connected to $uri" "$XENLAB_CASE_DIR/jitsud.log" ||
	fail "jitsud did not connect: $(tail -n 3 "$XENLAB_CASE_DIR/jitsud.log")"
tcp=$(ss -Htn state established '( dport = :16509 )')
log "TCP to libvirtd: $tcp"
[ -n "$tcp" ] || fail "no TCP connection to libvirtd's port 16509"
jd_ask lv 10\\.0\\.0\\.41
log "query -> answer (remote driver): $jd_ms ms"
id=$(xl domid "$dom") || fail "no domain $dom after the answer"
[ -f "/run/libvirt/libxl/$dom.xml" ] || fail "libvirt did not create domain $id"
jd_svc_status lv | grep -q "state=ready domid=$id boots=1 " || fail "not one boot: $(jd_svc_status lv)"
await 30 sh -c "! xl domid $dom"
jd_await_status 10 lv "stopped .*stops=1 "
log "$(jd_svc_status lv)"

step "libvirtd stops: noticed at once; a query gets SERVFAIL at once"
daemon_stop libvirtd
lost="connection to $uri is lost"
wait_until 10 grep -q "$lost" "$XENLAB_CASE_DIR/jitsud.log" ||
	fail "jitsud did not notice libvirtd going: $(tail -n 3 "$XENLAB_CASE_DIR/jitsud.log")"
out=$(timeout 30 jd-dig -w 20 lv.lab.test 2>&1) || fail "jd-dig: $out"
log "$out"
echo "$out" | grep -q 'rcode=SERVFAIL' || fail "not SERVFAIL while libvirtd is gone: $out"
jd_await_status 10 lv "stopped .*boots=2 failures=1 "
grep -q "service lv: cannot start: no connection to libvirt" "$XENLAB_CASE_DIR/jitsud.log" ||
	fail "no reason logged: $(tail -n 3 "$XENLAB_CASE_DIR/jitsud.log")"

step "libvirtd is back: jitsud reconnects by itself; a query boots the service"
libvirtd_start
wait_until 20 grep -q "connected to $uri again" "$XENLAB_CASE_DIR/jitsud.log" ||
	fail "jitsud did not reconnect: $(tail -n 3 "$XENLAB_CASE_DIR/jitsud.log")"
log "$(grep "libvirt: " "$XENLAB_CASE_DIR/jitsud.log")"
jd_ask lv 10\\.0\\.0\\.41
log "query -> answer after the reconnection: $jd_ms ms"
id=$(xl domid "$dom") || fail "no domain $dom after the answer"
jd_svc_status lv | grep -q "state=ready domid=$id boots=3 failures=1 " || fail "not booted again: $(jd_svc_status lv)"
await 30 sh -c "! xl domid $dom"
jd_await_status 10 lv "stopped .*stops=2 "
[ "$(grep -c "$lost" "$XENLAB_CASE_DIR/jitsud.log")" = 1 ] ||
	fail "the loss not logged once: $(grep "$lost" "$XENLAB_CASE_DIR/jitsud.log")"

step "jitsud restarted while libvirtd is stopped, its service's domain running: READY=1"
# a long idle time: the domain outlives jitsud's restart
long=$XENLAB_CASE_DIR/jitsud-long.conf
sed 's/^idle-timeout = .*/idle-timeout = 300s/' "$conf" > "$long"
daemon_stop jitsud
daemon_start jitsud -c "$long" --backend=libvirt --connect $uri
jd_ask lv 10\\.0\\.0\\.41
id=$(xl domid "$dom") || fail "no domain $dom after the answer"
daemon_stop jitsud
daemon_stop libvirtd
xl domid "$dom" >/dev/null 2>&1 || fail "$dom went with jitsud or libvirtd"
# (daemon_start fails the case without READY=1)
daemon_start jitsud -c "$long" --backend=libvirt --connect $uri
wait_until 10 grep -q "cannot connect to $uri" "$XENLAB_CASE_DIR/jitsud.log" ||
	fail "no failed connect logged: $(tail -n 3 "$XENLAB_CASE_DIR/jitsud.log")"
st=$(jd_svc_status lv)
log "$st"
echo "$st" | grep -q "state=stopped .*boots=0 " || fail "not stopped before libvirtd: $st"

step "libvirtd starts: jitsud connects and adopts the domain; a query boots nothing"
libvirtd_start
wait_until 30 grep -q "service lv: domain $id adopted (running)" "$XENLAB_CASE_DIR/jitsud.log" ||
	fail "domain $id not adopted: $(tail -n 3 "$XENLAB_CASE_DIR/jitsud.log")"
log "$(grep -E 'libvirt: |adopted' "$XENLAB_CASE_DIR/jitsud.log")"
jd_ask lv 10\\.0\\.0\\.41
log "query -> answer after the adoption: $jd_ms ms"
[ "$(xl domid "$dom")" = "$id" ] || fail "not domain $id: $(xl list)"
st=$(jd_svc_status lv)
log "$st"
echo "$st" | grep -q "state=ready domid=$id boots=0 " || fail "booted again: $st"
# stopped through libvirt, not left behind for the next libvirtd
timeout 10 jitsuctl stop lv || fail "jitsuctl stop lv"
await 30 sh -c "! xl domid $dom"

daemon_stop jitsud
daemon_stop libvirtd
