# jitsud answers in dom0 for its zone, over UDP on IPv4 and IPv6: A for a
# known name (any case), NXDOMAIN with the SOA for an unknown name in the
# zone, NODATA with the SOA for AAAA of an A-only name, the zone's SOA and
# NS, REFUSED outside the zone; --status counts them. The queries are
# parsed by jitsud's DNS process, which runs as nobody with no
# capabilities, beside the root process that would summon.
conf=$XENLAB_CASE_DIR/jitsud.conf
cat > "$conf" <<'CONF'
listen = 127.0.0.1 ::1
[zone lab.test]
[service www]
name = www.lab.test
a = 10.0.0.2
CONF

# ask WANT ARGS...: jd-dig ARGS must print a line matching the regex WANT
ask() {
	local want=$1 out
	shift
	out=$(timeout 20 jd-dig "$@" 2>&1) || fail "jd-dig $*: $out"
	log "jd-dig $*: $out"
	echo "$out" | grep -Eq "$want" || fail "jd-dig $*: '$out' does not match '$want'"
}

step "jitsud starts with the zone lab.test"
daemon_start jitsud -c "$conf"

step "A for a known name, in any case"
ask '^id=[0-9]+ rcode=NOERROR flags=qr,aa,rd an=1 ns=0 .*answer=A:10\.0\.0\.2 ' www.lab.test
ask 'rcode=NOERROR flags=qr,aa,rd an=1 .*answer=A:10\.0\.0\.2 ' WwW.LAB.test

step "NXDOMAIN with the SOA for an unknown name in the zone"
ask 'rcode=NXDOMAIN flags=qr,aa,rd an=0 ns=1 .*authority=SOA$' nope.lab.test

step "NODATA with the SOA for AAAA of an A-only name"
ask 'rcode=NOERROR flags=qr,aa,rd an=0 ns=1 .*authority=SOA$' -T AAAA www.lab.test

step "the zone's SOA and NS"
ask 'rcode=NOERROR flags=qr,aa,rd an=1 .*answer=SOA ' -T SOA lab.test
ask 'rcode=NOERROR flags=qr,aa,rd an=1 .*answer=NS ' -T NS lab.test

step "REFUSED outside the zone (no forwarding configured)"
ask 'rcode=REFUSED flags=qr,rd an=0 ns=0 ' www.example.com

step "the same over IPv6"
ask 'rcode=NOERROR flags=qr,aa,rd an=1 .*answer=A:10\.0\.0\.2 ' -s ::1 www.lab.test

step "--status counts the queries by rcode and service"
st=$(timeout 10 jitsud --status 2>&1) || fail "jitsud --status: $st"
log "status: $(echo "$st" | tr '\n' '|')"
echo "$st" | grep -q '^queries: 8$' || fail "not 8 queries"
echo "$st" | grep -q 'noerror=6 .*nxdomain=1 notimp=0 refused=1' || fail "rcodes"
echo "$st" | grep -q '^service www: name=www.lab.test queries=4 limited=0$' || fail "service count"

step "privilege separation: the DNS process is nobody's"
pid=$(daemon_pid jitsud)
dns=$(pgrep -P "$pid") || fail "jitsud ($pid) has no DNS process"
[ "$(echo "$dns" | wc -w)" = 1 ] || fail "jitsud has more than one child: $dns"
uid=$(awk '/^Uid:/ { print $2 " " $3 " " $4 " " $5 }' "/proc/$dns/status")
caps=$(awk '/^CapEff:/ { print $2 }' "/proc/$dns/status")
log "jitsud $pid (uid $(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")), DNS process $dns: uid $uid, CapEff $caps"
n=$(id -u nobody)
[ "$uid" = "$n $n $n $n" ] || fail "the DNS process has uids $uid, not nobody's ($n)"
[ "$caps" = 0000000000000000 ] || fail "the DNS process has capabilities $caps"

step "jitsud exits 0 on SIGTERM"
daemon_stop jitsud
