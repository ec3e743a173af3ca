# jitsud over TCP: two queries pipelined on one connection (sent in one
# write) get both their answers; an idle connection is closed.
conf=$XENLAB_CASE_DIR/jitsud.conf
cat > "$conf" <<'CONF'
listen = 127.0.0.1 ::1
tcp-idle-timeout = 2s
[zone lab.test]
[service www]
name = www.lab.test
a = 10.0.0.2
aaaa = 2001:db8::2
CONF

step "jitsud starts"
daemon_start jitsud -c "$conf"

step "two pipelined queries on one TCP connection"
out=$(timeout 20 jd-dig -t www.lab.test nope.lab.test 2>&1) || fail "jd-dig: $out"
log "$out"
[ "$(echo "$out" | wc -l)" = 2 ] || fail "not two answers"
echo "$out" | grep -Eq 'rcode=NOERROR flags=qr,aa,rd an=1 .*answer=A:10\.0\.0\.2 ' ||
	fail "no A answer"
echo "$out" | grep -Eq 'rcode=NXDOMAIN flags=qr,aa,rd an=0 ns=1 .*authority=SOA$' ||
	fail "no NXDOMAIN answer"

step "AAAA over TCP on IPv6"
out=$(timeout 20 jd-dig -t -s ::1 -T AAAA www.lab.test 2>&1) || fail "jd-dig: $out"
log "$out"
echo "$out" | grep -Eq 'rcode=NOERROR .*answer=AAAA:2001:db8::2 ' || fail "no AAAA"

step "the server counts the connections, and closes them when idle"
st=$(timeout 10 jitsud --status 2>&1) || fail "jitsud --status: $st"
log "status: $(echo "$st" | tr '\n' '|')"
echo "$st" | grep -q 'accepted=2 ' || fail "not 2 connections accepted"
await 15 sh -c "jitsud --status | grep -q 'tcp: open=0 '"

step "jitsud exits 0 on SIGTERM"
daemon_stop jitsud
