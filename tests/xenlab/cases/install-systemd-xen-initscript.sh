# Debian's own `xen` service (/etc/init.d/xen, run by systemd) with xud's
# xenconsoled swapped in the way xenconsoled(8) says under REPLACING XEN'S
# DAEMON: a dpkg-divert of the script's absolute path, and a link to ours.
# The script starts it with start-stop-daemon and expects it to go to the
# background, ready, with Debian's pid file.  Runs in the lab's systemd
# boot (README.md).
xen_bin=/usr/lib/xen-4.17/bin/xenconsoled
pidfile=/run/xenconsoled.pid
gname=$(_xl_gname g)

step "make install (prefix=/usr) on a Debian dom0"
xud_install

step "divert Xen's daemon and link ours in its place"
if ! dpkg-divert --list "$xen_bin" | grep -q .; then
	run dpkg-divert --local --rename --divert "$xen_bin.xen" "$xen_bin"
fi
run ln -sf /usr/sbin/xenconsoled "$xen_bin"
dpkg-divert --list 'xenconsoled*'
dpkg-divert --list '*/xenconsoled'
ls -l "$xen_bin" "$xen_bin.xen"
# Debian's script passes only XENCONSOLED_ARGS (and --pid-file)
grep -q '^XENCONSOLED_ARGS=' /etc/default/xen ||
	echo 'XENCONSOLED_ARGS="--log=guest"' >> /etc/default/xen
grep '^XENCONSOLED' /etc/default/xen

step "systemctl start xen: the script's start-stop-daemon returns"
# It returns once the daemon has gone to the background and is ready; a
# daemon that stays in the foreground keeps it (and systemctl) waiting.
if ! timeout 60 systemctl start xen.service; then
	systemctl status --no-pager xen.service 2>&1 | tail -n 15
	timeout 30 systemctl kill xen.service
	fail "systemctl start xen did not return within 60s: start-stop-daemon waits for xenconsoled to go to the background"
fi
systemctl status --no-pager xen.service 2>&1 | head -n 20
[ "$(unit_prop xen.service ActiveState)" = active ] ||
	fail "xen.service is $(unit_prop xen.service ActiveState)"
[ -s "$pidfile" ] || fail "no $pidfile"
pid=$(cat "$pidfile")
exe=$(readlink "/proc/$pid/exe") || fail "the pid in $pidfile ($pid) is not running"
[ "$exe" = /usr/sbin/xenconsoled ] || fail "the daemon in $pidfile runs $exe, not xud's"
cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline")
log "xenconsoled: pid $pid, $cmd"
grep -q '/xen.service$' "/proc/$pid/cgroup" || fail "xenconsoled is not in xen.service: $(cat "/proc/$pid/cgroup")"

step "a guest boots; its console is logged; xl console works"
guest_start g xcd-input
await 60 grep -q XCD-WAITING /var/log/xen/console/guest-$gname.log
console_roundtrip g || fail "xl console: no XCD-GOT:hello-g back within 30s"
await 30 grep -q XCD-GOT:hello-g /var/log/xen/console/guest-$gname.log

step "systemctl stop xen: xenconsoled exits on SIGTERM"
run systemctl stop xen.service
[ "$(unit_prop xen.service ActiveState)" = inactive ] ||
	fail "xen.service is $(unit_prop xen.service ActiveState) after stop"
[ "$(unit_prop xen.service Result)" = success ] ||
	fail "xen.service's result is $(unit_prop xen.service Result)"
! kill -0 "$pid" 2>/dev/null || fail "xenconsoled (pid $pid) still runs"
[ ! -e "$pidfile" ] || fail "$pidfile is left behind"
# its last words ("exiting") reach the journal, not a SIGKILL
journalctl -b --no-pager _PID="$pid" | tail -n 5
journalctl -b --no-pager -o cat _PID="$pid" | grep -q exiting ||
	fail "xenconsoled (pid $pid) did not log 'exiting': killed rather than stopped?"
