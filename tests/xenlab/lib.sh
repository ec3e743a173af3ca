# lib.sh: helpers for the lab's cases.  A case is a bash script in
# tests/xenlab/cases/NAME.sh that runs in dom0 with this file sourced.
# It passes if it returns 0 and never calls fail.  See README.md.
#
#   step "desc"                     name the step the case is in now
#   fail "message"                  fail the case (reports the current step)
#   wait_until SECS CMD...          poll CMD until it succeeds; 1 on timeout
#   await SECS CMD...               wait_until, or fail "timed out after SECSs"
#   guest_start NAME ROLE [ARGS..]  create a PV guest (128 MB) running ROLE; waits for
#                                   its data/booted key.  Options before NAME:
#                                   --mem MB, --cfg 'xl.cfg line', --no-wait
#   guest_domid NAME                print the domid
#   guest_read NAME KEY             read /local/domain/<domid>/KEY
#   guest_wait NAME KEY [VAL] [SECS]   wait for a guest key (and value)
#   guest_console NAME              print the path of the guest's console log
#   guest_wait_console NAME REGEX [SECS]  wait for a console line
#   guest_destroy NAME
#   (a guest named shared-* survives the case; guest_start reuses it)
#   daemon_start NAME [ARGS...]     run /usr/sbin/NAME -f ARGS under
#                                   xlab-sdwait; waits for READY=1
#   daemon_stop NAME [SECS]         SIGTERM, then check it exited 0
#   daemon_dir NAME                 its xlab-sdwait directory (pid, status, ...)
#   xen_consoled_stop / xen_consoled_start   Xen's own console daemon
#
# Timeouts: XENLAB_GUEST_BOOT_TIMEOUT (90), XENLAB_READY_TIMEOUT (30),
# XENLAB_STOP_TIMEOUT (20); the whole case: XENLAB_CASE_TIMEOUT (300).

export PATH=/xenlab/bin:/usr/sbin:/usr/bin:/sbin:/bin
: "${XENLAB_CASE:=adhoc}" "${XENLAB_CASE_DIR:=/tmp/xenlab/cases/adhoc}"
mkdir -p "$XENLAB_CASE_DIR" /run/xenlab/sd
_xl_step="start"
_xl_guests=""
_xl_daemons=""

_xl_ts() { date +%H:%M:%S.%3N; }
log() { echo "[$(_xl_ts)] $*"; }

step() {
	_xl_step=$*
	echo "$_xl_step" > "$XENLAB_CASE_DIR/step"
	log "== step: $_xl_step"
}

fail() {
	local msg="step '$_xl_step': $*"
	[ -f "$XENLAB_CASE_DIR/fail" ] || echo "$msg" > "$XENLAB_CASE_DIR/fail"
	log "FAIL: $msg"
	exit 1
}

wait_until() {
	local secs=$1 end
	shift
	end=$(( $(date +%s%N) + ${secs%.*} * 1000000000 ))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(date +%s%N)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

await() {
	local secs=$1
	wait_until "$@" || fail "timed out after ${secs}s"
}

# run CMD with a time limit, logging it; fail if it fails
run() {
	local secs=${XENLAB_CMD_TIMEOUT:-60}
	log "\$ $*"
	timeout -k 5 "$secs" "$@"
	local rc=$?
	[ $rc = 124 ] && fail "'$*' timed out after ${secs}s"
	[ $rc = 0 ] || fail "'$*' exited $rc"
}

# --- guests -----------------------------------------------------------------
# A guest NAME is <case>-NAME, except shared-* guests: those outlive the
# case that started them, and a later guest_start of the same name reuses
# the running guest (only for cases that cannot interfere with each other).
_xl_gname() {
	case $1 in
	shared-*) echo "$1" ;;
	*) echo "$XENLAB_CASE-$1" ;;
	esac
}

guest_domid() {
	xl domid "$(_xl_gname "$1")" 2>/dev/null
}

guest_start() {
	local mem=${XENLAB_GUEST_MEM:-128} wait=1 cfgx=() name role args cfg domid a
	while :; do
		case $1 in
		--mem) mem=$2; shift 2 ;;
		--cfg) cfgx+=("$2"); shift 2 ;;
		--no-wait) wait=; shift ;;
		*) break ;;
		esac
	done
	name=$1 role=$2
	shift 2 || fail "guest_start: need NAME ROLE"
	case $name in shared-*)
		if guest_domid "$name" >/dev/null && [ "$(guest_read "$name" data/role)" = "$role" ]; then
			log "guest $name: reusing the running guest (domid $(guest_domid "$name"))"
			return 0
		fi ;;
	esac
	args=
	for a in "$@"; do
		case $a in *[,\ \"]*) fail "guest_start: argument '$a' has a comma, space or quote" ;; esac
		args=${args:+$args,}$a
	done
	cfg=$XENLAB_CASE_DIR/$name.cfg
	{
		echo "name = \"$(_xl_gname "$name")\""
		echo 'type = "pv"'
		echo 'kernel = "/xenlab/domu/vmlinux"'
		echo 'ramdisk = "/xenlab/domu/initrd.gz"'
		echo "extra = \"console=hvc0 loglevel=4 xenlab.role=$role${args:+ xenlab.args=$args}\""
		echo "memory = $mem"
		echo 'vcpus = 1'
		echo 'on_crash = "preserve"'
		for a in "${cfgx[@]}"; do echo "$a"; done
	} > "$cfg"
	log "guest $name: xl create (role $role${args:+ args $args})"
	timeout -k 5 60 xl create -q "$cfg" >> "$XENLAB_CASE_DIR/xl-create.log" 2>&1 || {
		tail -n 5 "$XENLAB_CASE_DIR/xl-create.log" | sed 's/^/  /'
		fail "xl create of guest $name failed: $(tail -n 1 "$XENLAB_CASE_DIR/xl-create.log")"
	}
	case $name in shared-*) ;; *) _xl_guests="$_xl_guests $name" ;; esac
	domid=$(guest_domid "$name") || fail "guest $name has no domid after xl create"
	log "guest $name: domid $domid"
	if [ -n "$wait" ]; then
		guest_wait "$name" data/booted 1 "${XENLAB_GUEST_BOOT_TIMEOUT:-90}" ||
			fail "guest $name did not write data/booted within ${XENLAB_GUEST_BOOT_TIMEOUT:-90}s"
		log "guest $name: booted"
	fi
}

guest_read() {
	local domid
	domid=$(guest_domid "$1") || return 1
	xenstore-read "/local/domain/$domid/$2" 2>/dev/null
}

guest_wait() {
	local domid
	domid=$(guest_domid "$1") || return 1
	xlab-gxs wait "/local/domain/$domid/$2" "${3:-}" "${4:-30}"
}

guest_console() {
	echo "/var/log/xen/console/guest-$(_xl_gname "$1").log"
}

guest_wait_console() {
	local f
	f=$(guest_console "$1")
	wait_until "${3:-30}" grep -qE "$2" "$f"
}

guest_destroy() {
	log "guest $1: xl destroy"
	timeout -k 5 30 xl destroy "$(_xl_gname "$1")" || fail "xl destroy of guest $1 failed"
	_xl_guests=${_xl_guests/ $1/}
}

# --- daemons ----------------------------------------------------------------
daemon_dir() { echo "/run/xenlab/sd/$1"; }

daemon_start() {
	local name=$1 dir bin secs=${XENLAB_READY_TIMEOUT:-30}
	shift
	dir=$(daemon_dir "$name")
	bin=/usr/sbin/$name
	[ -x "$bin" ] || fail "daemon $name is not installed (no $bin)"
	# Debian's /usr/sbin/xenconsoled is a link to Xen's wrapper, not xud's
	case $(readlink "$bin") in *xen-utils-wrapper*|*/xen-4.17/*)
		fail "xud's $name is not installed ($bin is Xen's)" ;;
	esac
	rm -rf "$dir"
	mkdir -p "$dir"
	log "daemon $name: starting $bin -f $*"
	setsid xlab-sdwait "$dir" "$bin" -f "$@" > "$XENLAB_CASE_DIR/$name.log" 2>&1 < /dev/null &
	_xl_daemons="$_xl_daemons $name"
	wait_until "$secs" _xl_ready_or_exit "$dir"
	if [ -f "$dir/exit" ]; then
		tail -n 5 "$XENLAB_CASE_DIR/$name.log" | sed 's/^/  /'
		fail "daemon $name $(cat "$dir/exit") before READY=1: $(tail -n 1 "$XENLAB_CASE_DIR/$name.log")"
	fi
	[ -f "$dir/ready" ] || fail "daemon $name sent no READY=1 within ${secs}s"
	log "daemon $name: READY=1 (pid $(cat "$dir/pid"), status: $(cat "$dir/status" 2>/dev/null))"
}
_xl_ready_or_exit() { [ -f "$1/ready" ] || [ -f "$1/exit" ]; }

daemon_pid() { cat "$(daemon_dir "$1")/pid"; }

daemon_stop() {
	local name=$1 secs=${2:-${XENLAB_STOP_TIMEOUT:-20}} dir
	dir=$(daemon_dir "$name")
	[ -f "$dir/pid" ] || fail "daemon $name was not started"
	log "daemon $name: SIGTERM"
	kill -TERM "$(cat "$dir/pid")" 2>/dev/null
	wait_until "$secs" test -f "$dir/exit" ||
		fail "daemon $name still running ${secs}s after SIGTERM"
	_xl_daemons=${_xl_daemons/ $name/}
	log "daemon $name: $(cat "$dir/exit")"
	[ "$(cat "$dir/exit")" = "exited 0" ] ||
		fail "daemon $name $(cat "$dir/exit") after SIGTERM, not 0: $(tail -n 1 "$XENLAB_CASE_DIR/$name.log")"
}

# --- Xen's own xenconsoled ------------------------------------------------------
xen_consoled_stop() {
	local pid
	pid=$(pgrep -f '^/usr/lib/xen-4.17/bin/xenconsoled') || return 0
	kill -TERM $pid
	wait_until 10 sh -c "! kill -0 $pid" || fail "Xen's xenconsoled did not stop"
}
xen_consoled_start() {
	pgrep -f '^/usr/lib/xen-4.17/bin/xenconsoled' >/dev/null && return 0
	/usr/lib/xen-4.17/bin/xenconsoled --pid-file=/run/xen/xenconsoled.pid \
		--log=guest --log-dir=/var/log/xen/console || fail "Xen's xenconsoled did not start"
}

# --- case entry (called by xlab-run-cases) -------------------------------------
_xl_cleanup() {
	local n dir
	for n in $_xl_daemons; do
		dir=$(daemon_dir "$n")
		[ -f "$dir/exit" ] && continue
		kill -TERM "$(cat "$dir/pid" 2>/dev/null)" 2>/dev/null
		wait_until 5 test -f "$dir/exit" || kill -KILL "$(cat "$dir/pid")" 2>/dev/null
	done
	for n in $_xl_guests; do
		timeout 30 xl destroy "$(_xl_gname "$n")" >/dev/null 2>&1
	done
}

xenlab_case_main() {
	trap _xl_cleanup EXIT
	trap 'fail "case timed out after ${XENLAB_CASE_TIMEOUT:-300}s (XENLAB_CASE_TIMEOUT)"' TERM
	. "$1"
}

# daemon_lifecycle NAME [ARGS...]: the smoke test every xud daemon passes:
# it starts in the foreground, reports READY=1, and exits 0 on SIGTERM.
# Xen's own xenconsoled is stopped while ours runs, and restarted after.
daemon_lifecycle() {
	local name=$1
	if [ "$name" = xenconsoled ]; then
		step "stop Xen's xenconsoled"
		xen_consoled_stop
	fi
	step "$name starts and reports READY=1"
	daemon_start "$@"
	step "$name is still running after READY=1"
	kill -0 "$(daemon_pid "$name")" 2>/dev/null || fail "$name died after READY=1"
	step "$name exits 0 on SIGTERM"
	daemon_stop "$name"
	if [ "$name" = xenconsoled ]; then
		step "restart Xen's xenconsoled"
		xen_consoled_start
	fi
}

# --- the systemd boot (cases named install-systemd-*) --------------------------
# Those cases run in a second boot whose PID 1 is systemd (dom0/xlab-sd-main);
# xenstored runs, no console daemon does, and xud is not installed: the stage
# (what `make install DESTDIR=... prefix=/usr sysconfdir=/etc
# localstatedir=/var` produced; the lab has no compiler) is in /xenlab/stage.
#
#   xud_install                 install xud as xenconsoled(8) says for Debian
#   unit_prop UNIT PROP         one property (systemctl show -P)
#   unit_wait_state UNIT STATE [SECS]   wait for ActiveState
#   unit_exposure UNIT          print `systemd-analyze security UNIT` and
#                               the overall exposure ("0.7") on its last line
#   console_roundtrip NAME      `xl console` to guest NAME (role xcd-input):
#                               a typed line comes back
xud_install() {
	[ -d /xenlab/stage ] || fail "no /xenlab/stage: not the lab's systemd boot"
	# Debian's /usr/sbin/xenconsoled is xen-utils-common's link to its
	# wrapper: divert it, or dpkg puts it back over ours on an upgrade.
	if ! dpkg-divert --list /usr/sbin/xenconsoled | grep -q .; then
		run dpkg-divert --local --rename --divert /usr/sbin/xenconsoled.xen \
			/usr/sbin/xenconsoled
	fi
	log "\$ make install prefix=/usr sysconfdir=/etc localstatedir=/var (the stage, copied)"
	cp -a /xenlab/stage/. / || fail "cannot copy the stage into /"
	run systemctl daemon-reload
	[ "$(readlink -f /usr/sbin/xenconsoled)" = /usr/sbin/xenconsoled ] ||
		fail "/usr/sbin/xenconsoled is not xud's: $(readlink -f /usr/sbin/xenconsoled)"
}

unit_prop() { systemctl show -P "$2" "$1"; }

unit_wait_state() {
	wait_until "${3:-30}" _xl_unit_state "$1" "$2"
}
_xl_unit_state() { [ "$(unit_prop "$1" ActiveState)" = "$2" ]; }

unit_exposure() {
	local out
	out=$(timeout 60 systemd-analyze security --no-pager "$1" 2>&1) ||
		fail "systemd-analyze security $1 failed: $(echo "$out" | tail -n 1)"
	echo "$out"
	echo "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}

console_roundtrip() {
	local name=$1 fifo=$XENLAB_CASE_DIR/$1-in.fifo out=$XENLAB_CASE_DIR/$1-xl-console.log xlc
	rm -f "$fifo"
	mkfifo "$fifo"
	exec 4<>"$fifo"
	setsid script -qfc "xl console $(_xl_gname "$name")" /dev/null <&4 > "$out" 2>&1 &
	xlc=$!
	printf 'hello-%s\r' "$name" >&4
	wait_until 30 grep -q "XCD-GOT:hello-$name" "$out"
	local rc=$?
	kill -- -"$xlc" 2>/dev/null
	exec 4>&-
	return $rc
}
