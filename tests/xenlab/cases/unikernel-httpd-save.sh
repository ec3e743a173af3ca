# `xl save` and `xl restore` of the httpd unikernel (with a vif on the
# kernel's netback and vif-bridge, as in unikernel-httpd): after restore
# its netfront connects to the new domain's backend, data/resumed=1 and
# data/net=connected appear in the new domain's xenstore area, dom0 pings
# it, and wget gets the page again with an uptime that went on from
# before the save (a fresh boot would show less). xl shutdown ends it.
. /xenlab/bin/uk-lab.sh

BR=uksbr0 HOST=10.232.0.1 IP=10.232.0.2 MAC=00:16:3e:75:6b:12
trap '_xl_cleanup; uk_netback_undo' EXIT

step "xen-netback, bridge $BR"
uk_netback_bridge "$BR" "$HOST"

# The page's uptime in ms, if the page names the unikernel.
uptime_ms() {
	local p
	p=$(timeout 15 busybox wget -q -O - "http://$IP/" 2>/dev/null) || return 1
	echo "$p" | grep -q '<h1>xud httpd unikernel</h1>' || return 1
	echo "$p" | sed -n 's/.*up for \([0-9]*\)\.\([0-9]\{3\}\) s\..*/\1\2/p' | head -n 1
}

step "httpd boots with a vif and serves its page"
uk_start --mem 4 --cfg "vif = [ 'bridge=$BR,mac=$MAC,script=vif-bridge' ]" \
	web uk-httpd "ip=$IP mask=255.255.255.0"
uk_wait_ready web 60
prev=$(guest_domid web)
wait_until 20 busybox ping -c 1 -W 2 "$IP" || fail "no echo reply from $IP within 20 s"
up1=$(uptime_ms)
[ -n "$up1" ] || fail "no page with an uptime from $IP"
log "page before the save: up for $up1 ms"

step "xl save, xl restore"
img=$XENLAB_CASE_DIR/web.save
run xl save "$XENLAB_CASE-web" "$img"
guest_domid web >/dev/null && fail "the domain still runs after xl save"
grep -q '^httpd: suspending' "$(guest_console web)" ||
	fail "the guest did not say it suspends: $(tail -n 3 "$(guest_console web)")"
t0=$(date +%s%N)
run xl restore "$img"
id=$(guest_domid web) || fail "no domain after xl restore"
[ "$id" != "$prev" ] || fail "the restored domain kept domid $id"

step "the restored httpd connects its vif again and serves the page"
guest_wait web data/resumed 1 60 ||
	fail "no data/resumed=1 (console: $(tail -n 3 "$(guest_console web)"))"
[ "$(guest_read web data/net)" = connected ] ||
	fail "data/net is '$(guest_read web data/net)', not connected"
guest_wait_console web '^httpd: resumed \(1\), vif connected again' 10 ||
	fail "no 'resumed' line: $(tail -n 3 "$(guest_console web)")"
[ "$(xenstore-read "/local/domain/0/backend/vif/$id/0/state")" = 4 ] ||
	fail "the new backend's state is not 4"
wait_until 20 busybox ping -c 1 -W 2 "$IP" || fail "no echo reply from $IP after restore"
t1=$(date +%s%N)
up2=$(uptime_ms)
[ -n "$up2" ] || fail "no page from $IP after restore"
log "unikernel: httpd save/restore: page again $(uk_ms "$t0" "$t1") ms after xl restore started;" \
	"uptime $up1 ms before, $up2 ms after"
[ $((10#$up2)) -gt $((10#$up1)) ] ||
	fail "the uptime went back ($up1 -> $up2 ms): not the same guest's clock"

step "xl shutdown still powers it off"
uk_shutdown web httpd
