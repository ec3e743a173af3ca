# The httpd unikernel on the kernel's netback and the standard vif-bridge
# script, in 4 MB (the smallest memory the domain builder accepts):
# its vif connects (data/ready, with data/net=connected); dom0 pings it,
# gets its UDP echo (port 7) and its page with wget (the page names it and
# its uptime, which grows); 100 sequential HTTP requests all succeed;
# xl shutdown powers it off and its vif goes away. A second httpd with no
# ip= on its command line takes the backend's ip key (xl's vif ip=);
# one with no vif gets ready with data/net=none.
# (uk_netback_bridge puts xen-netback back for the case, and leaves it
# as it found it.)
. /xenlab/bin/uk-lab.sh

BR=ukbr0 HOST=10.231.0.1 IP=10.231.0.2 MAC=00:16:3e:75:6b:02
trap '_xl_cleanup; uk_netback_undo' EXIT

step "xen-netback loaded and probing, bridge $BR up"
uk_netback_bridge "$BR" "$HOST"

step "httpd boots with a vif and gets ready"
uk_start --mem 4 --cfg "vif = [ 'bridge=$BR,mac=$MAC,script=vif-bridge' ]" \
	web uk-httpd "ip=$IP mask=255.255.255.0"
uk_wait_ready web 60
domid=$(guest_domid web)
log "unikernel: httpd (4 MB, vif) ready $(uk_ms "$uk_t0" "$uk_t_ready") ms after xl create started" \
	"(xl create returned after $(uk_ms "$uk_t0" "$uk_t_created") ms; guest's own boot $(guest_read web data/boot-us) us)"
[ "$(guest_read web data/net)" = connected ] ||
	fail "data/net is '$(guest_read web data/net)', not connected"
[ "$(guest_read web data/ip)" = "$IP" ] ||
	fail "data/ip is '$(guest_read web data/ip)', not $IP"
guest_wait_console web "^httpd: vif connected, mac $MAC, serving http://$IP/" 10 ||
	fail "no 'vif connected' line: $(tail -n 3 "$(guest_console web)")"
be=/local/domain/0/backend/vif/$domid/0
[ "$(xenstore-read "$be/state")" = 4 ] ||
	fail "the backend's state is '$(xenstore-read "$be/state")', not 4"
[ "$(xenstore-read "$be/hotplug-status" 2>/dev/null)" = connected ] ||
	fail "vif-bridge did not report hotplug-status=connected"
[ -e "/sys/class/net/$BR/brif/vif$domid.0" ] ||
	fail "vif$domid.0 is not on $BR: $(ls /sys/class/net/$BR/brif)"

step "dom0 pings it"
uk_ping "$IP"

step "UDP echo on port 7"
# bash's /dev/udp is a connected socket; dd reads the reply as one datagram
for msg in "hello from dom0 $$" "$(head -c 700 /dev/zero | tr '\0' x)"; do
	exec 3<>"/dev/udp/$IP/7" || fail "cannot open a UDP socket to $IP"
	printf '%s' "$msg" >&3
	got=$(timeout 10 dd bs=2048 count=1 status=none <&3)
	exec 3>&-
	[ "$got" = "$msg" ] ||
		fail "UDP echo of ${#msg} bytes returned ${#got} bytes: '${got:0:60}'"
	log "UDP echo: ${#msg} bytes back"
done

step "wget gets the page, with its name and uptime"
p1=$(uk_page "$IP") || fail "wget failed (exit $?): $(cat "$XENLAB_CASE_DIR/wget.err")"
echo "$p1" > "$XENLAB_CASE_DIR/page.html"
echo "$p1" | grep -q '<h1>xud httpd unikernel</h1>' ||
	fail "the page does not name the unikernel: $p1"
up1=$(echo "$p1" | sed -n 's/.*up for \([0-9]*\)\.\([0-9]\{3\}\) s\..*/\1\2/p')
[ -n "$up1" ] || fail "the page shows no uptime: $p1"
p2=$(uk_page "$IP") || fail "second wget failed (exit $?): $(cat "$XENLAB_CASE_DIR/wget.err")"
up2=$(echo "$p2" | sed -n 's/.*up for \([0-9]*\)\.\([0-9]\{3\}\) s\..*/\1\2/p')
log "page uptime ${up1} ms, then ${up2} ms"
[ -n "$up2" ] && [ $((10#$up2)) -gt $((10#$up1)) ] ||
	fail "the uptime did not grow between requests: $up1 -> $up2"

step "100 sequential HTTP requests all succeed"
uk_pages "$IP" 100
uk_page "$IP" nothing-here >/dev/null &&
	fail "a missing path was not answered with an error"

step "xl shutdown powers it off, and its vif goes"
uk_shutdown web httpd
wait_until 20 sh -c "! [ -e /sys/class/net/vif$domid.0 ]" ||
	fail "vif$domid.0 still exists after the domain went"

step "with no ip= it takes the backend's ip key (xl's vif ip=, as Qubes sets it)"
uk_start --mem 4 --cfg "vif = [ 'bridge=$BR,mac=00:16:3e:75:6b:03,ip=10.231.0.3,script=vif-bridge' ]" \
	qubes uk-httpd "mask=255.255.255.0"
uk_wait_ready qubes 60
[ "$(xenstore-read "/local/domain/0/backend/vif/$(guest_domid qubes)/0/ip")" = 10.231.0.3 ] ||
	fail "xl wrote no backend ip key"
[ "$(guest_read qubes data/ip)" = 10.231.0.3 ] ||
	fail "data/ip is '$(guest_read qubes data/ip)', not the backend's 10.231.0.3"
p=$(uk_page 10.231.0.3) ||
	fail "wget from 10.231.0.3 failed"
echo "$p" | grep -q '<h1>xud httpd unikernel</h1>' || fail "not the page: $p"

step "with no vif it still gets ready, data/net=none"
uk_start novif uk-httpd
uk_wait_ready novif 30
[ "$(guest_read novif data/net)" = none ] ||
	fail "data/net is '$(guest_read novif data/net)', not none"
log "unikernel: httpd without a vif ready $(uk_ms "$uk_t0" "$uk_t_ready") ms after xl create started (guest's own boot $(guest_read novif data/boot-us) us)"
