# jitsud under systemd, installed: jitsud.socket holds port 53 (UDP and
# TCP), and the first query starts jitsud.service (Type=notify) with the
# sockets and is answered, over UDP and TCP. Under the hardened unit the
# DNS process runs as nobody with no capabilities. systemctl stop ends
# both processes, with status 0. systemd-analyze security's exposure is
# logged. Runs in the lab's systemd boot (README.md).
step "make install (prefix=/usr) on a Debian dom0"
xud_install
# where this build reads it (its configured sysconfdir)
conf=$(jitsud --help 2>&1 | sed -n 's/.*configuration (default \(.*\))$/\1/p')
[ -n "$conf" ] || fail "jitsud --help names no default configuration"
log "jitsud's configuration: $conf"
mkdir -p "$(dirname "$conf")"
cat > "$conf" <<'CONF'
[zone lab.test]
[service www]
name = www.lab.test
a = 10.0.0.2
CONF

step "systemctl start jitsud.socket: port 53 is held, jitsud is not running"
run systemctl start jitsud.socket
[ "$(unit_prop jitsud.socket ActiveState)" = active ] ||
	fail "jitsud.socket is $(unit_prop jitsud.socket ActiveState)"
[ "$(unit_prop jitsud.service ActiveState)" = inactive ] ||
	fail "jitsud.service is $(unit_prop jitsud.service ActiveState) before any query"

step "the first query starts jitsud.service and is answered"
out=$(timeout 60 jd-dig -s 127.0.0.1 -w 50 www.lab.test 2>&1) || fail "jd-dig: $out"
log "jd-dig: $out"
echo "$out" | grep -Eq 'rcode=NOERROR flags=qr,aa,rd an=1 .*answer=A:10\.0\.0\.2 ' ||
	fail "not answered: $out"
unit_wait_state jitsud.service active 30 ||
	fail "jitsud.service is $(unit_prop jitsud.service ActiveState)"
out=$(timeout 30 jd-dig -t -s ::1 -w 20 www.lab.test nope.lab.test 2>&1) || fail "jd-dig -t: $out"
log "jd-dig -t: $out"
echo "$out" | grep -q 'rcode=NXDOMAIN' || fail "no NXDOMAIN over TCP: $out"
log "jitsud.service: pid $(unit_prop jitsud.service MainPID), status '$(unit_prop jitsud.service StatusText)'"

step "the DNS process is nobody's, with no capability"
pid=$(unit_prop jitsud.service MainPID)
dns=$(pgrep -P "$pid") || fail "jitsud ($pid) has no DNS process"
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$dns/status")
caps=$(awk '/^CapEff:/ { print $2 }' "/proc/$dns/status")
log "DNS process $dns: uid $uid, CapEff $caps"
[ "$uid" = "$(id -u nobody)" ] || fail "the DNS process runs as uid $uid"
[ "$caps" = 0000000000000000 ] || fail "the DNS process has capabilities $caps"

step "systemd-analyze security (logged)"
out=$(unit_exposure jitsud.service)
echo "$out" | sed '$d'
log "jitsud.service: exposure $(echo "$out" | tail -n 1)"

step "systemctl stop: both processes exit, status 0"
run systemctl stop jitsud.service jitsud.socket
r="$(unit_prop jitsud.service ActiveState) $(unit_prop jitsud.service Result) $(unit_prop jitsud.service ExecMainStatus)"
log "jitsud.service after stop: $r"
[ "$r" = "inactive success 0" ] || fail "jitsud.service after stop: $r"
kill -0 "$dns" 2>/dev/null && fail "the DNS process $dns outlived jitsud"
true
