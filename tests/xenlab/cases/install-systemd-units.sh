# xud installed with `make install` in a dom0 whose PID 1 is systemd: its
# units start (Type=notify), reload and stop; the daemons log to the
# journal with their own fields; Xen's settings files, their defaults, and
# a log directory outside /var/log/xen work; `systemd-analyze security`
# rates both units.  Runs in the lab's systemd boot (README.md).
max_exposure=1.5
gname=$(_xl_gname g)

step "Xen's settings file, and a log directory outside /var/log/xen (a drop-in)"
mkdir -p /srv/xen-console /etc/systemd/system/xenconsoled.service.d
cat > /etc/default/xencommons <<'CONF'
XENCONSOLED_TRACE=all
XENCONSOLED_LOG_DIR=/srv/xen-console
CONF
# ReadWritePaths= takes no variables: the drop-in xenconsoled(8) describes
cat > /etc/systemd/system/xenconsoled.service.d/log-dir.conf <<'CONF'
[Service]
ReadWritePaths=/srv/xen-console
CONF

step "make install (prefix=/usr) on a Debian dom0"
xud_install
systemctl cat xenconsoled.service | grep -E '^(ExecStart|EnvironmentFile|Environment|WatchdogSec|ReadWritePaths)='

step "systemctl start xenconsoled xentropyd (Type=notify)"
run systemctl start xenconsoled.service xentropyd.service
for u in xenconsoled xentropyd; do
	s="$(unit_prop $u.service ActiveState)/$(unit_prop $u.service SubState)"
	[ "$s" = active/running ] || fail "$u.service is $s"
	[ "$(unit_prop $u.service WatchdogUSec)" != 0 ] || fail "$u.service has no watchdog"
	log "$u.service: active, pid $(unit_prop $u.service MainPID), watchdog $(unit_prop $u.service WatchdogUSec), status '$(unit_prop $u.service StatusText)'"
done
cmd=$(tr '\0' ' ' < /proc/"$(unit_prop xenconsoled.service MainPID)"/cmdline)
log "xenconsoled runs as: $cmd"
case $cmd in *--log=all*--log-dir=/srv/xen-console*) ;;
*) fail "xenconsoled's command line does not follow /etc/default/xencommons: $cmd" ;; esac
run timeout 10 xenconsoled --status

step "a guest's console: its log in /srv/xen-console, xl console through the unit's /dev"
guest_start g xcd-input
d=$(guest_domid g)
await 60 grep -q XCD-WAITING /srv/xen-console/guest-$gname.log
console_roundtrip g || fail "xl console: no XCD-GOT:hello-g back within 30s"
# --log=all: the hypervisor's console too (read with no capability)
await 30 test -s /srv/xen-console/hypervisor.log

step "the journal has the daemons' own fields (journalctl -o json)"
check_journal() { # UNIT PYTHON-CONDITION: an entry where it holds (printed)
	journalctl -b -u "$1" -o json --no-pager > "$XENLAB_CASE_DIR/$1.json" 2>&1
	python3 - "$XENLAB_CASE_DIR/$1.json" "$2" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if eval(sys.argv[2], {}, {"e": e}):
        print(json.dumps({k: v for k, v in e.items() if not k.startswith("__")}, sort_keys=True))
        sys.exit(0)
sys.exit(1)
PY
}
wait_until 30 check_journal xenconsoled.service "e.get('XEN_DOMID') == '$d'" ||
	fail "no journal entry from xenconsoled.service with XEN_DOMID=$d (see xenconsoled.service.json)"
check_journal xenconsoled.service \
	"e.get('XEN_DOMID') == '$d' and e.get('XEN_DOMAIN_NAME') == '$gname' and e.get('SYSLOG_IDENTIFIER') == 'xenconsoled' and e.get('_TRANSPORT') == 'journal' and e.get('PRIORITY', '').isdigit()" ||
	fail "no native journal entry with XEN_DOMID=$d, XEN_DOMAIN_NAME=$gname, SYSLOG_IDENTIFIER=xenconsoled, PRIORITY (see xenconsoled.service.json)"
check_journal xentropyd.service \
	"e.get('SYSLOG_IDENTIFIER') == 'xentropyd' and e.get('_TRANSPORT') == 'journal' and e.get('PRIORITY', '').isdigit()" ||
	fail "no native journal entry from xentropyd with SYSLOG_IDENTIFIER and PRIORITY (see xentropyd.service.json)"

step "systemctl reload: same process, active again"
for u in xenconsoled xentropyd; do
	pid=$(unit_prop $u.service MainPID)
	run systemctl reload $u.service
	unit_wait_state $u.service active 30 || fail "$u.service is $(unit_prop $u.service ActiveState) after reload"
	[ "$(unit_prop $u.service MainPID)" = "$pid" ] || fail "$u.service's pid changed on reload"
done
wait_until 30 check_journal xenconsoled.service "'reopening log files' in e.get('MESSAGE', '')" ||
	fail "xenconsoled did not log that it reopened its logs"

step "systemd-analyze security: exposure <= $max_exposure"
for u in xenconsoled xentropyd; do
	out=$(unit_exposure $u.service)
	echo "$out" | sed '$d'
	e=$(echo "$out" | tail -n 1)
	log "$u.service: exposure $e"
	awk -v e="$e" -v m="$max_exposure" 'BEGIN { exit !(e != "" && e + 0 <= m + 0) }' ||
		fail "$u.service's exposure is '$e', above $max_exposure"
done

step "systemctl stop: both exit cleanly"
run systemctl stop xenconsoled.service xentropyd.service
for u in xenconsoled xentropyd; do
	r="$(unit_prop $u.service ActiveState) $(unit_prop $u.service Result) $(unit_prop $u.service ExecMainStatus)"
	log "$u.service after stop: $r"
	[ "$r" = "inactive success 0" ] || fail "$u.service after stop: $r (want inactive success 0)"
done

step "without the settings file: the unit's defaults"
rm -f /etc/default/xencommons
run systemctl start xenconsoled.service
cmd=$(tr '\0' ' ' < /proc/"$(unit_prop xenconsoled.service MainPID)"/cmdline)
log "xenconsoled runs as: $cmd"
case $cmd in *--log=guest*--log-dir=/var/log/xen/console*) ;;
*) fail "xenconsoled's command line lacks the unit's defaults: $cmd" ;; esac
run systemctl stop xenconsoled.service
