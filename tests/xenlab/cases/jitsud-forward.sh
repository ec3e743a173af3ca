# jitsud forwards names outside its zones to an upstream resolver in dom0
# (a second jitsud, on port 5300, serving up.test), over UDP and TCP, and
# still answers its own names itself.
up=$XENLAB_CASE_DIR/up.conf
cat > "$up" <<'CONF'
listen = 127.0.0.1:5300
[zone up.test]
[service www]
name = www.up.test
a = 10.1.1.1
CONF
conf=$XENLAB_CASE_DIR/jitsud.conf
cat > "$conf" <<'CONF'
listen = 127.0.0.1
out-of-zone = forward
forwarders = 127.0.0.1:5300
[zone lab.test]
[service www]
name = www.lab.test
a = 10.0.0.2
CONF

step "the upstream: a second jitsud on 127.0.0.1:5300"
# daemon_start keys its state by the program's name
ln -sf jitsud /usr/sbin/jitsud-up
daemon_start jitsud-up -c "$up" --control=/run/jitsud-up/control
out=$(timeout 20 jd-dig -p 5300 www.up.test 2>&1) || fail "upstream: $out"
log "upstream: $out"

step "jitsud, forwarding to it"
daemon_start jitsud -c "$conf"

step "a forwarded name over UDP, with our ID back"
out=$(timeout 20 jd-dig www.up.test 2>&1) || fail "jd-dig: $out"
log "$out"
echo "$out" | grep -Eq 'rcode=NOERROR .*an=1 .*answer=A:10\.1\.1\.1 ' || fail "no forwarded answer"

step "a forwarded NXDOMAIN, and one over TCP"
out=$(timeout 20 jd-dig no.up.test 2>&1) || fail "jd-dig: $out"
log "$out"
echo "$out" | grep -Eq 'rcode=NXDOMAIN .*authority=SOA$' || fail "no NXDOMAIN"
out=$(timeout 20 jd-dig -t www.up.test www.lab.test 2>&1) || fail "jd-dig -t: $out"
log "$out"
echo "$out" | grep -Eq 'answer=A:10\.1\.1\.1 ' || fail "no forwarded answer over TCP"
echo "$out" | grep -Eq 'rcode=NOERROR flags=qr,aa,rd an=1 .*answer=A:10\.0\.0\.2 ' ||
	fail "own name not answered over TCP"

step "the counters"
st=$(timeout 10 jitsud --status 2>&1) || fail "jitsud --status: $st"
log "status: $(echo "$st" | tr '\n' '|')"
echo "$st" | grep -q '^forwarded: 3 answered=3 servfail=0 ' || fail "forward counts"

step "upstream gone: SERVFAIL within the forwarding timeouts"
daemon_stop jitsud-up
out=$(timeout 20 jd-dig -w 10 www.up.test 2>&1) || fail "jd-dig: $out"
log "$out"
echo "$out" | grep -q 'rcode=SERVFAIL' || fail "not SERVFAIL"

daemon_stop jitsud
