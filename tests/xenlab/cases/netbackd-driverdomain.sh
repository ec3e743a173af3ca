# The Qubes shape: netbackd runs in a driver domain, a Linux PV guest
# standing in for a Qubes firewall VM, and serves another guest's vif
# (backend=<driver domain> in its vif spec); the client, the httpd
# unikernel, and the driver domain reach each other through it.
#
# The driver domain (driver_domain=1, which xl.cfg(5) asks of a domain
# that runs backends and xl devd) boots the lab's domU initramfs plus a second
# archive built here from dom0's own Debian files: netbackd as installed,
# xl, bash, iproute2, the xenstore tools, Xen's hotplug scripts, their
# libraries, and the tun, bridge and privcmd modules (nb_driver_files).
# Its role, nb-driver, creates xenbr0 and runs netbackd and `xl devd`,
# Xen's standard way to run a driver domain's hotplug scripts: dom0's xl
# runs none for a backend in another domain. xl devd runs Xen's
# vif-bridge unchanged, which puts the TAP on xenbr0 and writes
# hotplug-status=connected, and netbackd connects the vif. (libxl opens
# privcmd, whose hypercalls Linux blocks in a domU without a target
# domain: xl devd logs "failed to retrieve the maximum number of cpus"
# and goes on, as it needs none; netbackd needs none either.)
#
# Shown: the vif's backend is in the driver domain, Connected, with
# hotplug-status=connected from vif-bridge and the TAP on xenbr0 there,
# and dom0 has no backend for it; the driver domain pings the unikernel
# and gets its page; netbackd there counted the traffic both ways with
# no errors; once the unikernel is destroyed, its vif's nodes go from
# the driver domain.
. /xenlab/bin/uk-lab.sh

DD_IP=10.13.0.1 IP=10.13.0.4 MAC=00:16:3e:0d:00:04

# nb_driver_files: the programs of dom0's that the driver domain runs,
# and the shared libraries ldd names for them
nb_driver_files() {
	local f
	for f in /usr/sbin/netbackd /usr/lib/xen-4.17/bin/xl /bin/bash /bin/ip \
		/usr/bin/xenstore-read /usr/bin/xenstore-write /usr/bin/xenstore-rm \
		/usr/bin/xenstore-exists /usr/bin/xenstore-list; do
		echo "$f"
		ldd "$f" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
	done | sort -u
}

# nb_driver_initrd OUT: the lab's domU initramfs, uncompressed, then an
# archive of nb_driver_files, the hotplug scripts and the modules (Linux
# unpacks concatenated archives; uncompressed, so that xl passes it on
# as it is and dom0 spends no time compressing it)
nb_driver_initrd() {
	local r=$XENLAB_CASE_DIR/dd-root f m k=/lib/modules/$(uname -r)/kernel
	rm -rf "$r"
	for f in $(nb_driver_files); do
		mkdir -p "$r${f%/*}"
		cp -L "$f" "$r$f" || fail "cannot copy $f"
	done
	mkdir -p "$r/etc/xen" "$r/lib/modules/dd"
	cp -a /etc/xen/scripts /etc/xen/xl.conf "$r/etc/xen/" || fail "cannot copy /etc/xen"
	for m in net/llc/llc net/802/stp net/bridge/bridge drivers/net/tun drivers/xen/xen-privcmd; do
		cp "$k/$m.ko" "$r/lib/modules/dd/" || fail "no module $m"
	done
	{
		zcat /xenlab/domu/initrd.gz &&
		(cd "$r" && find . | busybox cpio -o -H newc)
	} > "$1" || fail "cannot build $1"
	log "driver domain initramfs: $(du -k "$1" | cut -f1) KiB"
}

step "the driver domain's initramfs"
nb_driver_initrd "$XENLAB_CASE_DIR/dd-initrd"
rm -rf "$XENLAB_CASE_DIR/dd-root"

step "the driver domain boots and runs netbackd and xl devd"
guest_start --mem 256 --cfg "ramdisk = \"$XENLAB_CASE_DIR/dd-initrd\"" \
	--cfg 'driver_domain = 1' dd nb-driver "$DD_IP" "$IP"
dd=$(guest_domid dd)
# xl has loaded it: dom0's memory back
rm -f "$XENLAB_CASE_DIR/dd-initrd"
guest_wait dd data/dd-ready "" 60 || fail "the driver domain did not get ready"
[ "$(guest_read dd data/dd-ready)" = 1 ] || fail "driver domain: $(guest_read dd data/dd-ready)"

step "the httpd unikernel boots with its vif's backend in the driver domain"
uk_start --cfg "vif = [ 'backend=$XENLAB_CASE-dd,bridge=xenbr0,mac=$MAC,script=vif-bridge' ]" \
	web uk-httpd "ip=$IP mask=255.255.255.0"
uk_wait_ready web 60
d=$(guest_domid web)
[ "$(guest_read web data/net)" = connected ] ||
	fail "data/net is '$(guest_read web data/net)', not connected"
be=$(xenstore-read "/local/domain/$d/device/vif/0/backend")
[ "$be" = "/local/domain/$dd/backend/vif/$d/0" ] ||
	fail "the vif's backend is '$be', not in the driver domain (domid $dd)"

step "the backend in the driver domain is Connected, vif-bridge (run by xl devd) reported"
wait_until 20 sh -c "[ \"\$(xenstore-read $be/state)\" = 4 ]" ||
	fail "backend state '$(xenstore-read "$be/state")', not 4"
[ "$(xenstore-read "$be/hotplug-status" 2>/dev/null)" = connected ] ||
	fail "no hotplug-status=connected in the driver domain's backend"
xenstore-exists "/local/domain/0/backend/vif/$d" && fail "dom0 has a backend for the vif"

step "the driver domain pings the unikernel and gets its page"
guest_wait dd data/dd-status "" 90 || fail "the driver domain reported nothing"
brif=$(guest_read dd data/dd-brif)
[ "$brif" = "vif$d.0" ] || fail "xenbr0's ports in the driver domain: '$brif', not vif$d.0"
[ "$(guest_read dd data/dd-ping)" = ok ] || fail "ping: $(guest_read dd data/dd-ping)"
[ "$(guest_read dd data/dd-page)" = ok ] || fail "page: $(guest_read dd data/dd-page)"

step "netbackd in the driver domain counted the traffic"
st=$(guest_read dd data/dd-status | tr '|' '\n')
log "$st"
vst=$(echo "$st" | grep -A 2 "^vif$d.0 dom$d Connected")
[ -n "$vst" ] || fail "no Connected vif$d.0 in the driver domain's netbackd --status"
tx=$(echo "$vst" | awk '/^  tx packets/ { print $3 }')
rx=$(echo "$vst" | awk '/^  rx packets/ { print $3 }')
txe=$(echo "$vst" | awk '/^  tx packets/ { print $9 }')
rxe=$(echo "$vst" | awk '/^  rx packets/ { print $9 }')
# 6 echo replies and the page's TCP segments each way at least
[ "${tx:-0}" -ge 8 ] && [ "${rx:-0}" -ge 8 ] ||
	fail "vif$d.0: tx $tx rx $rx packets, expected at least 8 each way"
[ "$txe" = 0 ] && [ "$rxe" = 0 ] || fail "vif$d.0: tx errors $txe, rx errors $rxe"

step "the unikernel is destroyed, its vif's nodes go from the driver domain"
guest_destroy web
await 30 sh -c "! xenstore-exists /local/domain/$dd/backend/vif/$d"
