# A query flood does not become a VM flood, and jitsuctl controls a
# running jitsud. Eight clients (source prefixes) ask for six services
# at once with max-running 2: no more than two domains ever exist, at
# most two boots happen, the rest is REFUSED and counted. A flood from one
# prefix is rate limited (dropped, every second one slipping out
# truncated) while another prefix, and TCP from the same one, are still
# answered. jitsuctl stops a booted service; a query for it within the
# minute is refused by its summon rate (one a minute); jitsuctl starts a
# service the flood could not, then stops it; status shows state, domid,
# boots, summon time and query counts.
svcs="s1 s2 s3 s4 s5 s6"
conf=$XENLAB_CASE_DIR/jitsud.conf
cat > "$conf" <<CONF
listen = 127.0.0.1
max-running = 2
limit-action = refuse
rrl-ratelimit = 50
rrl-slip = 2
[zone lab.test]
[service static]
name = static.lab.test
a = 10.0.1.1
CONF
n=0
for s in $svcs; do
	n=$((n + 1))
	cat > "$XENLAB_CASE_DIR/$s.cfg" <<CFG
name = "$XENLAB_CASE-$s"
type = "pv"
kernel = "/xenlab/bin/uk-hello"
memory = 4
vcpus = 1
CFG
	cat >> "$conf" <<CONF
[service $s]
name = $s.lab.test
a = 10.0.0.$n
xl-config = $XENLAB_CASE_DIR/$s.cfg
idle-timeout = 600s
boot-timeout = 90s
summon-rate = 1
summon-burst = 1
CONF
done
# the case's end destroys what is left
_xl_guests="$_xl_guests $svcs"

domains() { xl list 2>/dev/null | grep -c "^$XENLAB_CASE-s"; }
ctl_status() { timeout 10 jitsuctl status; }
# a service's row: SERVICE NAME STATE DOMID BOOTS SUMMON-MS QUERIES LIMITED
row() { ctl_status | awk -v s="$1" '$1 == s'; }
col() { row "$1" | awk -v c="$2" '{ print $c }'; }
limited() { timeout 10 jitsud --status | sed -n "s/^limited: .*$1=\([0-9]*\).*/\1/p"; }

step "jitsud starts; nothing is booted"
daemon_start jitsud -c "$conf"
[ "$(domains)" = 0 ] || fail "domains before any query: $(xl list)"
out=$(ctl_status) || fail "jitsuctl status: $out"
log "$out"
for s in $svcs; do
	[ "$(col "$s" 3)" = stopped ] || fail "$s not stopped: $(row "$s")"
done
[ "$(col static 3)" = up ] || fail "static not up: $(row static)"

step "a summon flood from eight prefixes: at most two domains"
t0=$(date +%s)
names=
for s in $svcs; do names="$names $s.lab.test"; done
( max=0
  while [ ! -f "$XENLAB_CASE_DIR/flood-done" ]; do
	n=$(domains); [ "$n" -gt "$max" ] && max=$n && echo "$max" > "$XENLAB_CASE_DIR/max"
	sleep 0.2
  done ) &
watcher=$!
pids=
for x in 1 2 3 4 5 6 7 8; do
	# shellcheck disable=SC2086
	timeout 120 jd-dig -b "127.0.$x.1" -w 100 $names $names > "$XENLAB_CASE_DIR/f$x" 2>&1 &
	pids="$pids $!"
done
wait $pids
touch "$XENLAB_CASE_DIR/flood-done"
wait $watcher
cat "$XENLAB_CASE_DIR"/f? > "$XENLAB_CASE_DIR/flood"
ok=$(grep -c 'rcode=NOERROR .*answer=A:10\.0\.0\.' "$XENLAB_CASE_DIR/flood")
refused=$(grep -c 'rcode=REFUSED' "$XENLAB_CASE_DIR/flood")
other=$(grep -vc 'rcode=NOERROR .*answer=A:10\.0\.0\.\|rcode=REFUSED' "$XENLAB_CASE_DIR/flood")
log "answers: $ok with an address, $refused REFUSED, $other other; most domains at once: $(cat "$XENLAB_CASE_DIR/max" 2>/dev/null)"
[ "$other" = 0 ] || fail "other answers: $(grep -v 'rcode=NOERROR\|rcode=REFUSED' "$XENLAB_CASE_DIR/flood" | head -n 3)"
[ "$ok" -gt 0 ] || fail "no service answered"
[ "$refused" -gt 0 ] || fail "nothing refused"
[ "$((ok + refused))" = $((8 * 12)) ] || fail "$((ok + refused)) answers of $((8 * 12))"
[ "$(cat "$XENLAB_CASE_DIR/max")" -le 2 ] || fail "$(cat "$XENLAB_CASE_DIR/max") domains at once"
[ "$(domains)" -le 2 ] || fail "domains: $(xl list)"
out=$(ctl_status)
log "$out"
boots=$(echo "$out" | awk '$1 ~ /^s[0-9]$/ { b += $5 } END { print b + 0 }')
[ "$boots" -ge 1 ] && [ "$boots" -le 2 ] || fail "$boots boots"
[ "$(limited max-running)" -gt 0 ] || fail "no max-running refusal counted: $(jitsud --status | grep limited)"
log "$(jitsud --status | grep -E '^(queries|answers|limited)')"

step "jitsuctl stop: a booted service stops; its summon rate refuses a query"
a=$(ctl_status | awk '$1 ~ /^s[0-9]$/ && $3 == "ready" { print $1; exit }')
[ -n "$a" ] || fail "no ready service: $(ctl_status)"
id=$(xl domid "$XENLAB_CASE-$a") || fail "$a is ready, but has no domain"
[ "$(col "$a" 4)" = "$id" ] || fail "$a: domid $(col "$a" 4), xl says $id"
[ "$(col "$a" 6)" -gt 0 ] || fail "$a: no summon time: $(row "$a")"
[ "$(col "$a" 7)" -gt 0 ] || fail "$a: no queries counted: $(row "$a")"
out=$(timeout 10 jitsuctl stop "$a") || fail "jitsuctl stop $a: $out"
log "$out"
await 60 sh -c "! xl domid $XENLAB_CASE-$a"
await 10 sh -c "jitsuctl status | awk '\$1 == \"$a\" && \$3 == \"stopped\"' | grep -q ."
# one summon a minute, spent at the flood: refused (proved only within it)
out=$(timeout 20 jd-dig -b 127.0.30.1 "$a.lab.test" 2>&1)
log "$out"
[ $(( $(date +%s) - t0 )) -lt 55 ] || fail "too slow: the minute of $a's summon is over, the rate shows nothing"
echo "$out" | grep -q 'rcode=REFUSED' || fail "$a summoned again within its minute"
[ "$(limited summon-rate)" -gt 0 ] || fail "no summon-rate refusal counted"
[ "$(col "$a" 8)" -gt 0 ] || fail "$a: no limited queries counted: $(row "$a")"
xl domid "$XENLAB_CASE-$a" >/dev/null 2>&1 && fail "$a booted again"

step "a flood from one prefix is rate limited; another prefix and TCP are not"
pids=
many=
for i in $(seq 32); do many="$many static.lab.test"; done
for i in 1 2 3 4 5 6 7 8 9 10; do
	# shellcheck disable=SC2086
	timeout 20 jd-dig -b 127.0.40.1 -w 3 $many > "$XENLAB_CASE_DIR/r$i" 2>&1 &
	pids="$pids $!"
done
wait $pids
cat "$XENLAB_CASE_DIR"/r* > "$XENLAB_CASE_DIR/rrl"
full=$(grep -c 'rcode=NOERROR .*answer=A:10\.0\.1\.1' "$XENLAB_CASE_DIR/rrl")
tc=$(grep -Ec 'rcode=NOERROR flags=[a-z,]*\<tc\>[a-z,]* an=0' "$XENLAB_CASE_DIR/rrl")
log "320 queries from 127.0.40.0/24: $full answered, $tc truncated; $(jitsud --status | grep '^limited')"
[ "$full" -lt 320 ] || fail "all 320 answered"
[ "$full" -ge 50 ] || fail "fewer answers ($full) than a second's budget"
[ "$(limited rrl)" -gt 0 ] || fail "nothing rate limited"
[ "$(limited rrl-slipped)" -gt 0 ] || fail "nothing slipped"
[ "$tc" -gt 0 ] || fail "no truncated answer came"
out=$(timeout 20 jd-dig -b 127.0.41.1 static.lab.test 2>&1) || fail "another prefix: $out"
echo "$out" | grep -q 'rcode=NOERROR .*answer=A:10\.0\.1\.1' || fail "another prefix: $out"
out=$(timeout 20 jd-dig -t -b 127.0.40.1 static.lab.test 2>&1) || fail "TCP: $out"
echo "$out" | grep -q 'rcode=NOERROR .*answer=A:10\.0\.1\.1' || fail "TCP: $out"

step "jitsuctl start: a service the flood could not start; then stop"
c=$(ctl_status | awk '$1 ~ /^s[0-9]$/ && $3 == "stopped" && $5 == 0 { print $1; exit }')
[ -n "$c" ] || fail "no service left unbooted: $(ctl_status)"
out=$(timeout 10 jitsuctl start "$c.lab.test") || fail "jitsuctl start $c: $out"
log "$out"
echo "$out" | grep -q "service $c: starting" || fail "jitsuctl start: $out"
await 90 sh -c "jitsuctl status | awk '\$1 == \"$c\" && \$3 == \"ready\"' | grep -q ."
id=$(xl domid "$XENLAB_CASE-$c") || fail "$c is ready, but has no domain"
log "$(row "$c")"
[ "$(col "$c" 4)" = "$id" ] && [ "$(col "$c" 5)" = 1 ] ||
	fail "not one boot of domain $id: $(row "$c")"
[ "$(xenstore-read "/local/domain/$id/data/ready" 2>/dev/null)" = 1 ] ||
	fail "ready, but data/ready of domain $id is not 1"
out=$(timeout 20 jd-dig "$c.lab.test" 2>&1) || fail "jd-dig: $out"
echo "$out" | grep -q 'rcode=NOERROR .*answer=A:10\.0\.0\.' || fail "$c not answered: $out"
out=$(timeout 10 jitsuctl stop "$c") || fail "jitsuctl stop $c: $out"
await 60 sh -c "! xl domid $XENLAB_CASE-$c"
log "$(ctl_status)"

step "jitsuctl refuses what it cannot do"
out=$(timeout 10 jitsuctl start nope.lab.test 2>&1) && fail "start nope: $out"
echo "$out" | grep -q 'no service nope.lab.test' || fail "start nope: $out"
out=$(timeout 10 jitsuctl stop static 2>&1) && fail "stop static: $out"
echo "$out" | grep -q 'no domain' || fail "stop static: $out"
out=$(timeout 10 jitsuctl stop "$c" 2>&1) || fail "stop $c again: $out"
echo "$out" | grep -q 'not running already' || fail "stop $c again: $out"

daemon_stop jitsud
