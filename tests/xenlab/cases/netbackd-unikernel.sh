# A second client of netbackd: the httpd unikernel's own netfront
# (unikernel/rt/netfront*.c), with the kernel's xen-netback not loaded and
# vif-bridge putting the TAP on xenbr0. Its vif connects (backend state 4),
# dom0 pings it, gets its page with wget, and 20 sequential requests all
# get the page; netbackd's --status counts the traffic both ways, with no
# errors.
. /xenlab/bin/nb-lab.sh
. /xenlab/bin/uk-lab.sh

IP=10.13.0.4 MAC=00:16:3e:0d:00:04
REQS=20

nb_setup

step "httpd boots with a vif on xenbr0 and gets ready"
uk_start --mem 4 --cfg "vif = [ 'bridge=xenbr0,mac=$MAC,script=vif-bridge' ]" \
	web uk-httpd "ip=$IP mask=255.255.255.0"
uk_wait_ready web 60
d=$(guest_domid web)
[ "$(guest_read web data/net)" = connected ] ||
	fail "data/net is '$(guest_read web data/net)', not connected"
guest_wait_console web "^httpd: vif connected, mac $MAC, serving http://$IP/" 10 ||
	fail "no 'vif connected' line: $(tail -n 3 "$(guest_console web)")"

step "netbackd serves it: backend state 4, vif-bridge reported, vif$d.0 on xenbr0"
wait_until 20 nb_be_state "$d" 4 ||
	fail "backend state '$(xenstore-read "/local/domain/0/backend/vif/$d/0/state")', not 4"
[ "$(xenstore-read "/local/domain/0/backend/vif/$d/0/hotplug-status" 2>/dev/null)" = connected ] ||
	fail "vif-bridge did not report hotplug-status=connected"
[ -e "/sys/class/net/xenbr0/brif/vif$d.0" ] || fail "vif$d.0 is not on xenbr0"
nb_connected "$d" || fail "no Connected vif$d.0 in netbackd --status: $(netbackd --status)"

step "dom0 pings it through netbackd"
uk_ping "$IP"

step "dom0 gets its page through netbackd"
p=$(uk_page "$IP") || fail "wget failed (exit $?): $(cat "$XENLAB_CASE_DIR/wget.err")"
echo "$p" | grep -q '<h1>xud httpd unikernel</h1>' ||
	fail "the page does not name the unikernel: $p"

step "$REQS sequential HTTP requests all succeed"
uk_pages "$IP" "$REQS"

step "netbackd counted the traffic"
st=$(netbackd --status) || fail "no --status"
log "$st"
# vif$d.0's two counter lines follow its own
vst=$(echo "$st" | grep -A 2 "^vif$d.0 dom$d ")
tx=$(echo "$vst" | awk '/^  tx packets/ { print $3 }')
rx=$(echo "$vst" | awk '/^  rx packets/ { print $3 }')
txe=$(echo "$vst" | awk '/^  tx packets/ { print $9 }')
rxe=$(echo "$vst" | awk '/^  rx packets/ { print $9 }')
# 6 echo replies and, per request, at least a SYN+ACK and the page
# from the guest; as many and more from dom0 (a lab run counted
# 70 and 102)
min=$((6 + 2 * (REQS + 1)))
[ "${tx:-0}" -ge "$min" ] && [ "${rx:-0}" -ge "$min" ] ||
	fail "vif$d.0: tx $tx rx $rx packets, expected at least $min each way"
[ "$txe" = 0 ] && [ "$rxe" = 0 ] || fail "vif$d.0: tx errors $txe, rx errors $rxe"

nb_teardown web
