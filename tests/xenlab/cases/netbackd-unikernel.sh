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

nb_httpd web "$IP" "$MAC"

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
