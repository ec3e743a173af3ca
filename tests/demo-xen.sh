# The lab's demo, run in dom0 by `make demo-xen` (./quickstart demo):
# xud's xenconsoled captures a guest's console while xentropyd hands the
# guest entropy at boot; an entropy unikernel boots in 4 MB; a Linux
# guest's traffic goes through netbackd; the httpd unikernel boots and
# serves its page to dom0; then jitsud boots it just in time for a DNS
# query, and wget gets the page.
step "replace Xen's xenconsoled with xud's"
xen_consoled_stop
daemon_start xenconsoled --log=guest --log-dir=/var/log/xen/console --timestamp=guest
step "start xentropyd"
daemon_start xentropyd
log "xud daemons running:"
ps -o pid,rss,args -C xenconsoled,xentropyd

step "boot a guest"
guest_start g demo
guest_wait g data/demo-done 1 60 || fail "the demo guest did not finish"

step "the guest's console, as xud's xenconsoled logged it"
cat "$(guest_console g)"

step "xentropyd's statistics (SIGUSR1)"
kill -USR1 "$(daemon_pid xentropyd)"
wait_until 5 grep -q "stats:" "$XENLAB_CASE_DIR/xentropyd.log"
grep "stats:" "$XENLAB_CASE_DIR/xentropyd.log" | tail -n 3

step "an entropy unikernel: 4 MB, served by xentropyd at boot"
. /xenlab/bin/uk-lab.sh
uk_start ent uk-entropy
uk_wait_ready ent 30
log "ready $(uk_ms "$uk_t0" "$uk_t_ready") ms after xl create started; its console:"
cat "$(guest_console ent)"

guest_destroy g
guest_destroy ent

step "netbackd: a Linux guest's network through xud's userspace netback"
# the lab boots without the kernel's xen-netback, so netbackd serves the vif
BR=xenbr0 HOST=10.13.0.1 NET=10.13.0.9
run modprobe tun
run modprobe bridge
run ip link add "$BR" type bridge
run ip addr add "$HOST/24" dev "$BR"
run ip link set "$BR" up
daemon_start netbackd
guest_start --cfg "vif=['bridge=$BR,mac=00:16:3e:0d:00:09,script=vif-bridge']" net \
	tput-server "$NET" "$HOST"
guest_wait net data/tput ready 90 || fail "the guest's network: $(guest_read net data/tput)"
d=$(guest_domid net)
log "the guest pinged dom0 through netbackd; TCP for 5 s each way (xlab-tput):"
log "dom0 -> guest: $(timeout 60 xlab-tput send "$NET" 5201 5)"
log "guest -> dom0: $(timeout 60 xlab-tput recv "$NET" 5201 5)"
log "netbackd --status:"
netbackd --status | grep -A 2 "^vif$d.0 "
guest_destroy net
await 30 sh -c "! xenstore-exists /local/domain/0/backend/vif/$d"
daemon_stop netbackd

step "the httpd unikernel boots (4 MB, a vif on the kernel's netback) and serves a page"
run modprobe xen-netback
ab=/sys/bus/xen-backend/drivers_autoprobe
[ -f "$ab" ] && [ "$(cat "$ab")" != 1 ] && echo 1 > "$ab"
WEB=10.13.0.2
uk_start --cfg "vif = [ 'bridge=$BR,mac=00:16:3e:75:6b:02,script=vif-bridge' ]" \
	web uk-httpd "ip=$WEB mask=255.255.255.0"
uk_wait_ready web 60
log "ready $(uk_ms "$uk_t0" "$uk_t_ready") ms after xl create started (its own boot $(guest_read web data/boot-us) us); its console:"
cat "$(guest_console web)"
uk_ping "$WEB"
log "dom0: wget http://$WEB/"
uk_page "$WEB" || fail "wget failed: $(cat "$XENLAB_CASE_DIR/wget.err")"
uk_pages "$WEB" 20

guest_destroy web

step "jitsud: a DNS query boots the httpd unikernel just in time"
. /xenlab/bin/jd-lab.sh
jd_uk_cfg jweb uk-httpd "extra = \"ip=$WEB mask=255.255.255.0\"" \
	"vif = [ 'bridge=$BR,mac=00:16:3e:75:6b:02,script=vif-bridge' ]"
cat > "$XENLAB_CASE_DIR/jitsud.conf" <<CONF
listen = 127.0.0.1
[zone demo.test]
[service web]
name = web.demo.test
a = $WEB
xl-config = $XENLAB_CASE_DIR/jweb.cfg
ready = key hotplug tcp
ready-port = 80
boot-timeout = 90s
idle-timeout = 5m
CONF
cat "$XENLAB_CASE_DIR/jitsud.conf"
daemon_start jitsud -c "$XENLAB_CASE_DIR/jitsud.conf"
xl domid "$XENLAB_CASE-jweb" >/dev/null 2>&1 && fail "the service runs already"
log "no domain for the service yet; dom0: jd-dig web.demo.test"
t0=$(date +%s%N)
timeout 120 jd-dig -w 100 web.demo.test || fail "no answer"
log "answered $(( ($(date +%s%N) - t0) / 1000000 )) ms after the query, once the unikernel was ready;" \
	"$(grep -o "ready (domain [0-9]*, [0-9]* ms after the query)" "$XENLAB_CASE_DIR/jitsud.log")"
log "dom0: wget http://$WEB/"
uk_page "$WEB" || fail "wget failed: $(cat "$XENLAB_CASE_DIR/wget.err")"
log "jitsud --status:"
jitsud --status
daemon_stop jitsud

step "stop the daemons"
daemon_stop xentropyd
daemon_stop xenconsoled
xen_consoled_start
