# jitsud's warm pool, with the hello unikernel: with pool = 2, jitsud
# creates two domains of the service at start and keeps them paused
# (never run); a query takes one: it is unpaused (and renamed to the
# service's domain name), and the answer comes once its data/ready is
# there; no domain is created for the summon, and the pool refills in the
# background. A restart adopts the pool's domains. With pool-boot
# (service hb), the pool's domain has booted (data/ready) before it was
# paused, and the pool refills only once the service has stopped: never
# two guests with the service's address at once. The time query ->
# answer and the unpause time inside jitsud are logged, not judged (the
# comparison belongs to bench/jitsud).
. /xenlab/bin/jd-lab.sh
jd_uk_cfg hp uk-hello
jd_uk_cfg hb uk-hello
# the pool's domains, for the case's end
_xl_guests="$_xl_guests hp-pool0 hp-pool1 hb-pool0"
conf=$XENLAB_CASE_DIR/jitsud.conf
cat > "$conf" <<CONF
listen = 127.0.0.1
[zone lab.test]
[service hp]
name = hp.lab.test
a = 10.0.0.31
xl-config = $XENLAB_CASE_DIR/hp.cfg
idle-timeout = 5s
boot-timeout = 60s
pool = 2
[service hb]
name = hb.lab.test
a = 10.0.0.32
xl-config = $XENLAB_CASE_DIR/hb.cfg
idle-timeout = 3s
boot-timeout = 60s
pool = 1
pool-boot = yes
CONF
paused() { xl list "$XENLAB_CASE-$1" 2>/dev/null | awk 'NR == 2 { print $5 }' | grep -q p; }
# summon ROUND: a query is answered by a pool domain, unpaused
summon() {
	local ids id st
	ids=" $(xl domid "$XENLAB_CASE-hp-pool0") $(xl domid "$XENLAB_CASE-hp-pool1") "
	jd_ask hp 10\\.0\\.0\\.31
	# (renamed right after the answer: off the summon's path)
	wait_until 10 xl domid "$XENLAB_CASE-hp" ||
		fail "no domain $XENLAB_CASE-hp after the answer: $(xl list)"
	id=$(xl domid "$XENLAB_CASE-hp")
	case $ids in *" $id "*) ;; *) fail "domain $id is not one of the pool's ($ids)" ;; esac
	[ "$(xenstore-read "/local/domain/$id/data/ready" 2>/dev/null)" = 1 ] ||
		fail "answered before data/ready of domain $id"
	paused hp && fail "domain $id is still paused"
	st=$(jd_svc_status hp)
	log "$st"
	echo "$st" | grep -q "state=ready domid=$id boots=$1 " || fail "not summoned from the pool: $st"
	grep -q "service hp: starting domain $id from its pool" "$XENLAB_CASE_DIR/jitsud.log" ||
		fail "no summon from the pool logged"
	grep -q "service hp: starting\$" "$XENLAB_CASE_DIR/jitsud.log" && fail "a domain was created for the summon"
	log "jitsud pool summon $1: query -> answer $jd_ms ms;" \
		"$(grep -o "service hp: ready (domain $id, [0-9]* ms after the query)" "$XENLAB_CASE_DIR/jitsud.log");" \
		"$(grep -o "domain $id unpaused from the pool (the unpause took [0-9]* us)" "$XENLAB_CASE_DIR/jitsud.log")"
}

step "jitsud starts and fills its pool: two paused domains"
daemon_start jitsud -c "$conf"
jd_await_status 120 hp "stopped .* pool=2/2\$"
paused hp-pool0 || fail "pool domain 0 is not paused: $(xl list)"
paused hp-pool1 || fail "pool domain 1 is not paused: $(xl list)"
xl domid "$XENLAB_CASE-hp" >/dev/null 2>&1 && fail "the service runs already"
log "$(jd_svc_status hp)"

step "a query takes a pool domain: unpaused, not created"
summon 1

step "pool-boot: the pool's domain booted before it was paused"
jd_await_status 120 hb "stopped .* pool=1/1\$"
paused hb-pool0 || fail "pool-boot's domain is not paused: $(xl list)"
b0=$(xl domid "$XENLAB_CASE-hb-pool0")
[ "$(xenstore-read "/local/domain/$b0/data/ready" 2>/dev/null)" = 1 ] ||
	fail "pool-boot's domain $b0 has no data/ready: it did not boot"
grep -q "service hb: pool domain 0 is domain $b0, booted and paused" "$XENLAB_CASE_DIR/jitsud.log" ||
	fail "no booted pool domain logged"

step "pool-boot: a query takes it; no refill while the service runs"
jd_ask hb 10\\.0\\.0\\.32
wait_until 10 xl domid "$XENLAB_CASE-hb" || fail "no domain $XENLAB_CASE-hb: $(xl list)"
[ "$(xl domid "$XENLAB_CASE-hb")" = "$b0" ] || fail "hb is not the booted pool domain $b0: $(xl list)"
paused hb && fail "domain $b0 is still paused"
xl domid "$XENLAB_CASE-hb-pool0" >/dev/null 2>&1 &&
	fail "the pool refilled while the service runs: $(xl list)"
log "jitsud pool-boot summon: query -> answer $jd_ms ms;" \
	"$(grep -o "service hb: ready (domain $b0, [0-9]* ms after the query)" "$XENLAB_CASE_DIR/jitsud.log");" \
	"$(grep -o "domain $b0 unpaused from the pool (the unpause took [0-9]* us)" "$XENLAB_CASE_DIR/jitsud.log")"

step "pool-boot: idle, stopped; then the pool refills, booted again"
await 60 sh -c "! xl domid $XENLAB_CASE-hb"
jd_await_status 120 hb "stopped .* pool=1/1\$"
paused hb-pool0 || fail "the refilled pool domain is not paused: $(xl list)"
b1=$(xl domid "$XENLAB_CASE-hb-pool0")
[ "$(xenstore-read "/local/domain/$b1/data/ready" 2>/dev/null)" = 1 ] ||
	fail "the refilled pool domain $b1 did not boot"

step "the pool refills in the background"
jd_await_status 120 hp ".* pool=2/2\$"
paused hp-pool0 && paused hp-pool1 || fail "the refilled pool is not paused: $(xl list)"

step "idle: destroyed; the next query takes a pool domain again"
await 60 sh -c "! xl domid $XENLAB_CASE-hp"
jd_await_status 30 hp "stopped .*stops=1 .* pool=2/2\$"
summon 2

step "a restart adopts the pool's domains"
jd_await_status 120 hp ".* pool=2/2\$"
p0=$(xl domid "$XENLAB_CASE-hp-pool0") p1=$(xl domid "$XENLAB_CASE-hp-pool1")
daemon_stop jitsud
daemon_start jitsud -c "$conf"
jd_svc_status hp | grep -q ' pool=2/2$' || fail "pool not adopted: $(jd_svc_status hp)"
[ "$(xl domid "$XENLAB_CASE-hp-pool0") $(xl domid "$XENLAB_CASE-hp-pool1")" = "$p0 $p1" ] ||
	fail "other pool domains after the restart: $(xl list)"
grep -q "service hp: pool domain 0 adopted (domain $p0)" "$XENLAB_CASE_DIR/jitsud.log" ||
	fail "no adoption logged"

daemon_stop jitsud
