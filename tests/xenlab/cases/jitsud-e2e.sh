# End to end: dom0's resolver (/etc/resolv.conf) points at jitsud, and
# one command, `busybox wget http://web.lab.test/`, looks the name up
# through glibc's getaddrinfo (A and AAAA), which boots the httpd
# unikernel (a vif on the kernel's netback and a bridge, created by libxl
# inside jitsud, vif-bridge run as its child); the A answer comes once
# the service is ready by all three checks (its data/ready key, the
# vif's hotplug-status, a TCP connect to port 80), and wget gets the page.
# resolv.conf's timeout is raised from glibc's 5 s: a boot with a vif
# under emulation takes about that long (a retry would join the same boot
# and work too, but later). The time of the whole command is logged.
. /xenlab/bin/jd-lab.sh
. /xenlab/bin/uk-lab.sh

BR=jdbr0 HOST=10.232.0.1 IP=10.232.0.2 MAC=00:16:3e:6a:64:02
resolv_saved=

e2e_cleanup() {
	_xl_cleanup
	[ "$resolv_saved" = yes ] && cp "$XENLAB_CASE_DIR/resolv.conf.was" /etc/resolv.conf
	[ "$resolv_saved" = none ] && rm -f /etc/resolv.conf
	uk_netback_undo
}
trap e2e_cleanup EXIT

step "xen-netback loaded and probing, bridge $BR up"
uk_netback_bridge "$BR" "$HOST"

jd_uk_cfg web uk-httpd "extra = \"ip=$IP mask=255.255.255.0\"" \
	"vif = [ 'bridge=$BR,mac=$MAC,script=vif-bridge' ]"
conf=$XENLAB_CASE_DIR/jitsud.conf
cat > "$conf" <<CONF
listen = 127.0.0.1
[zone lab.test]
[service web]
name = web.lab.test
a = $IP
xl-config = $XENLAB_CASE_DIR/web.cfg
ready = key hotplug tcp
ready-port = 80
boot-timeout = 90s
idle-timeout = 5m
CONF

step "jitsud answers for lab.test; dom0's resolver points at it"
daemon_start jitsud -c "$conf"
if [ -e /etc/resolv.conf ] || [ -L /etc/resolv.conf ]; then
	cp /etc/resolv.conf "$XENLAB_CASE_DIR/resolv.conf.was" 2>/dev/null || : > "$XENLAB_CASE_DIR/resolv.conf.was"
	resolv_saved=yes
	rm -f /etc/resolv.conf
else
	resolv_saved=none
fi
printf 'nameserver 127.0.0.1\noptions timeout:60 attempts:1\n' > /etc/resolv.conf
xl domid "$XENLAB_CASE-web" >/dev/null 2>&1 && fail "web runs already"

step "one command: wget http://web.lab.test/ boots httpd and gets its page"
t0=$(date +%s%N)
page=$(timeout 120 busybox wget -q -O - http://web.lab.test/ 2>"$XENLAB_CASE_DIR/wget.err") ||
	fail "wget failed (exit $?): $(cat "$XENLAB_CASE_DIR/wget.err"); $(jd_svc_status web)"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "$page" > "$XENLAB_CASE_DIR/page.html"
echo "$page" | grep -q '<h1>xud httpd unikernel</h1>' || fail "not the page: $page"
id=$(xl domid "$XENLAB_CASE-web") || fail "no web domain"
st=$(jd_svc_status web)
log "$st"
echo "$st" | grep -q "state=ready domid=$id boots=1 " || fail "not one summon: $st"
grep -q "service web: ready (domain $id" "$XENLAB_CASE_DIR/jitsud.log" || fail "no readiness logged"
[ "$(xenstore-read "/local/domain/0/backend/vif/$id/0/hotplug-status" 2>/dev/null)" = connected ] ||
	fail "the vif's hotplug-status is not connected"
log "jitsud e2e: wget http://web.lab.test/ (lookup, boot with a vif, page) took $ms ms;" \
	"$(grep -o "ready (domain $id, [0-9]* ms after the query)" "$XENLAB_CASE_DIR/jitsud.log")"

step "a second wget: answered at once, the same domain"
page=$(timeout 30 busybox wget -q -O - http://web.lab.test/ 2>"$XENLAB_CASE_DIR/wget.err") ||
	fail "second wget failed: $(cat "$XENLAB_CASE_DIR/wget.err")"
echo "$page" | grep -q '<h1>xud httpd unikernel</h1>' || fail "not the page: $page"
[ "$(xl domid "$XENLAB_CASE-web")" = "$id" ] || fail "another domain"
jd_svc_status web | grep -q "boots=1 " || fail "booted again: $(jd_svc_status web)"

daemon_stop jitsud
