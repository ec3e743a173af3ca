#!/bin/sh
# bench/jitsud-qps.sh: warm-name throughput, side by side in one run, on
# this host (not in the lab: QEMU's emulation would measure the
# emulator): jitsud, NSD and Knot DNS serve the same zone (SOA, NS and
# 50 A names) on 127.0.0.1 high ports, response rate limiting off, one
# server thread each; dnsperf asks each the same 50 names (-c 4 -q 200),
# in turn, for QPS_ROUNDS rounds (5) of QPS_SECONDS (3 s) each, so that
# what else runs on the host falls on all three alike. With two or more
# cores, the servers are pinned to core 0 and dnsperf to core 1
# (taskset). Prints per server its median qps, p99 latency and its CPU
# time per answered query (its processes' user and system time: a figure
# that holds better than qps when other work shares the cores), then
#   jitsud-qps: jitsud=Q nsd=Q knot=Q qps_ratio=R cpu_ratio=C
# R = jitsud's qps / the faster of NSD's and Knot's, taken in each round
# (its three runs a few seconds apart), and the median of the rounds'
# ratios given: a burst of other load spoils a round, not R. C = the
# lower of NSD's and Knot's CPU time a query / jitsud's (above 1: jitsud
# is the cheapest), which says more when dnsperf's core sets the rate
# for all three. bench/jitsud runs it before its lab part; by hand:
# bench/jitsud-qps.sh [BUILDDIR].
#
# p99: dnsperf 2.10 prints only the mean latency and its deviation, so
# each server has a second, shorter run (QPS_LAT_SECONDS, 3 s) with -v,
# whose per-query lines give the latencies; printing them slows dnsperf,
# so that run's rate is lower than the first's (the same 200 queries
# outstanding).
#
# jitsud without Xen: jitsud itself opens xenstore and libxl, which this
# host does not have, so the bench runs bench/bin/jitsud-dnsproc (see its
# top): jitsud's real DNS process (dnsproc.c, server.c, udp.c, answer.c,
# limits), from the same configuration file code, behind a stand-in for
# the privileged process that says every service is up. The 50 names are
# services with a domain (vm = ...), so each query takes a running
# service's path, "used" messages to the privileged side included. No
# option or behaviour was added to jitsud for it.
#
# Needs dnsperf, nsd and knotd (Debian: dnsperf nsd knot); it installs
# nothing: without them it says so and exits 77. NSD and Knot run as the
# invoking user, with their configuration, pid files and data in a
# temporary directory, removed at the end.
#
# Measured (2026-12-07, this 2-core host, one run of 5 rounds of 3 s,
# while a lab's QEMU took 120-190% of the two cores: dnsperf got about
# half of its core and set much the same rate for all three; the issue's
# NSD 322-350k qps were on an idle host; the p99s are the host's stalls):
#   jitsud  100815 qps  p99 45.6 ms  server CPU 4.77 us a query
#   nsd      85258 qps  p99 49.7 ms  server CPU 5.29 us a query
#   knot     84266 qps  p99 28.3 ms  server CPU 5.20 us a query
#   qps_ratio=1.09 cpu_ratio=1.09 (rounds' ratios 0.78-1.21)
# Before jitsud's UDP batching (recvmmsg/sendmmsg) and kept answers, the
# run right after it (QPS_DNSPROC= that build):
#   jitsud   81837 qps  p99 21.0 ms  server CPU 7.15 us a query
#   nsd      81032 qps  p99 38.0 ms  server CPU 5.55 us a query
#   knot     86600 qps  p99 20.1 ms  server CPU 5.11 us a query
#   qps_ratio=0.92 cpu_ratio=0.71 (rounds' ratios 0.76-1.24)
set -u
missing=
for t in dnsperf:dnsperf nsd:nsd knotd:knot; do
	command -v "${t%%:*}" >/dev/null 2>&1 ||
		PATH=$PATH:/usr/sbin command -v "${t%%:*}" >/dev/null 2>&1 ||
		missing="$missing ${t#*:}"
done
if [ -n "$missing" ]; then
	echo "jitsud-qps: skipped: needs the Debian packages:$missing" \
		"(apt-get install$missing; then systemctl disable --now nsd knot)"
	exit 77
fi
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${1:-${builddir:-$srcdir/build}}
secs=${QPS_SECONDS:-3}
rounds=${QPS_ROUNDS:-5}
hz=$(getconf CLK_TCK)
latsecs=${QPS_LAT_SECONDS:-3}
base=${QPS_PORT:-15353}
# QPS_DNSPROC: another build of it (to compare two versions of jitsud)
dnsproc=${QPS_DNSPROC:-$builddir/bench/bin/jitsud-dnsproc}

PATH=$PATH:/usr/sbin
if [ ! -x "$dnsproc" ]; then
	echo "jitsud-qps: no $dnsproc: build first (make)" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jitsud-qps.XXXXXX") || exit 1
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ "$(nproc)" -ge 2 ]; then
	srv_cpu="taskset -c 0" cli_cpu="taskset -c 1"
else
	srv_cpu= cli_cpu=
	echo "jitsud-qps: one core: servers and dnsperf are not pinned"
fi

# The zone, for all three.
n=50
{
	echo "bench.test. 60 IN SOA ns.bench.test. hostmaster.bench.test. 1 3600 600 604800 60"
	echo "bench.test. 60 IN NS ns.bench.test."
	for i in $(seq $n); do echo "n$i.bench.test. 60 IN A 10.0.$((i / 256)).$((i % 256))"; done
} > "$tmp/bench.test.zone"
for i in $(seq $n); do echo "n$i.bench.test A"; done > "$tmp/queries"

{
	cat <<EOF
listen = 127.0.0.1
port = $base
rrl-ratelimit = 0

[zone bench.test]
ns = ns.bench.test
mbox = hostmaster.bench.test
serial = 1
ttl = 60
EOF
	for i in $(seq $n); do
		printf '\n[service n%s]\nname = n%s.bench.test\na = 10.0.%s.%s\nttl = 60\nvm = bench%s\n' \
			"$i" "$i" $((i / 256)) $((i % 256)) "$i"
	done
} > "$tmp/jitsud.conf"

mkdir -p "$tmp/nsd"
cat > "$tmp/nsd/nsd.conf" <<EOF
server:
	ip-address: 127.0.0.1@$((base + 1))
	server-count: 1
	username: ""
	chroot: ""
	database: ""
	zonesdir: "$tmp/nsd"
	zonelistfile: "$tmp/nsd/zone.list"
	xfrdfile: "$tmp/nsd/xfrd.state"
	pidfile: "$tmp/nsd/nsd.pid"
	logfile: "$tmp/nsd/nsd.log"
	rrl-ratelimit: 0
	minimal-responses: yes
remote-control:
	control-enable: no
zone:
	name: bench.test
	zonefile: "$tmp/bench.test.zone"
EOF

mkdir -p "$tmp/knot"
cat > "$tmp/knot/knot.conf" <<EOF
server:
    rundir: "$tmp/knot"
    pidfile: "$tmp/knot/knot.pid"
    listen: 127.0.0.1@$((base + 2))
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
control:
    listen: "$tmp/knot/knot.sock"
log:
  - target: "$tmp/knot/knot.log"
    any: warning
database:
    storage: "$tmp/knot"
template:
  - id: default
    storage: "$tmp/knot"
zone:
  - domain: bench.test
    file: "$tmp/bench.test.zone"
EOF

# Waits until the server on port $1 answers n1 (10 s at most).
await() {
	for _ in $(seq 100); do
		echo "n1.bench.test A" | dnsperf -s 127.0.0.1 -p "$1" -n 1 -t 1 2>/dev/null |
			grep -q 'Queries completed: *1 ' && return 0
		sleep 0.1
	done
	return 1
}

# The CPU time (clock ticks) of process $1 and its descendants.
ticks() {
	all=$1 new=$1
	while [ -n "$new" ]; do
		kids=
		for p in $new; do kids="$kids $(pgrep -P "$p")"; done
		new=$(echo $kids)
		all="$all $new"
	done
	for p in $all; do
		# utime and stime, after the command name (which may hold spaces)
		sed 's/.*) //' "/proc/$p/stat" 2>/dev/null
	done | awk '{ t += $12 + $13 } END { print t + 0 }'
}

# One dnsperf run against server $2 (process $3) on port $1: its qps,
# answered queries and the server's CPU ticks into $tmp/$2.runs.
run() {
	t0=$(ticks "$3")
	$cli_cpu dnsperf -s 127.0.0.1 -p "$1" -d "$tmp/queries" -c 4 -q 200 \
		-l "$secs" > "$tmp/$2.out" 2>&1
	t1=$(ticks "$3")
	qps=$(sed -n 's/^ *Queries per second: *\([0-9.]*\).*/\1/p' "$tmp/$2.out")
	n=$(sed -n 's/^ *Queries completed: *\([0-9]*\).*/\1/p' "$tmp/$2.out")
	lost=$(sed -n 's/^ *Queries lost: *\([0-9]*\).*/\1/p' "$tmp/$2.out")
	echo "${qps:-0} ${n:-0} $((t1 - t0)) ${lost:-0}" >> "$tmp/$2.runs"
	printf ' %s=%.0f' "$2" "${qps:-0}"
}

# The p99 latency (ms) of server $2 on port $1, from a run with -v.
p99() {
	# into a file: a reader in a pipe could take the server's core
	$cli_cpu dnsperf -s 127.0.0.1 -p "$1" -d "$tmp/queries" -c 4 -q 200 \
		-l "$latsecs" -v > "$tmp/$2.v" 2>/dev/null
	awk '$1 == ">" { print $NF }' "$tmp/$2.v" | sort -g > "$tmp/$2.lat"
	rm -f "$tmp/$2.v"
	awk '{ v[NR] = $1 } END {
		if (NR) printf "%.3f", v[int(NR * 0.99 + 0.5)] * 1000; else print "-" }' \
		"$tmp/$2.lat"
}

fail() {
	echo "jitsud-qps: $*" >&2
	for f in "$tmp"/*.log "$tmp"/*/*.log; do [ -s "$f" ] && sed "s|^|$f: |" "$f" >&2; done
	exit 1
}

echo "jitsud-qps: 50 names, dnsperf -c 4 -q 200, $rounds rounds of $secs s" \
	"each in turn (p99 from $latsecs s with -v)"

# All three up at once (an idle server takes no CPU), then asked in turn,
# round after round: a change in what else runs on the host falls on
# each alike.
$srv_cpu "$dnsproc" "$tmp/jitsud.conf" > "$tmp/jitsud.log" 2>&1 &
jpid=$!
pids="$pids $jpid"
$srv_cpu nsd -d -c "$tmp/nsd/nsd.conf" > "$tmp/nsd/stderr.log" 2>&1 &
npid=$!
pids="$pids $npid"
$srv_cpu knotd -c "$tmp/knot/knot.conf" > "$tmp/knot/stderr.log" 2>&1 &
kpid=$!
pids="$pids $kpid"
for _ in $(seq 100); do
	grep -q '^jitsud-dnsproc: ready' "$tmp/jitsud.log" && break
	sleep 0.1
done
await "$base" || fail "jitsud's DNS process does not answer"
await $((base + 1)) || fail "nsd does not answer"
await $((base + 2)) || fail "knotd does not answer"
for r in $(seq "$rounds"); do
	printf 'round %s:' "$r"
	# each goes first in its turn
	set -- "$base jitsud $jpid" "$((base + 1)) nsd $npid" \
		"$((base + 2)) knot $kpid"
	for _ in $(seq $(((r - 1) % 3))); do
		x=$1
		shift
		set -- "$@" "$x"
	done
	for x in "$@"; do
		run $x
	done
	# this round's ratio: its three runs were a few seconds apart
	r=$(tail -q -n 1 "$tmp/jitsud.runs" "$tmp/nsd.runs" "$tmp/knot.runs" |
		awk '{ q[NR] = $1 } END {
			best = (q[2] > q[3]) ? q[2] : q[3]
			printf "%.3f", (best > 0) ? q[1] / best : 0 }')
	echo "$r" >> "$tmp/ratios"
	echo " ratio=$r"
done
for s in jitsud:$base nsd:$((base + 1)) knot:$((base + 2)); do
	name=${s%%:*}
	# the median round's qps; CPU time over all rounds
	awk -v name="$name" -v p99="$(p99 "${s#*:}" "$name")" -v hz="$hz" '
		{ q[NR] = $1; n += $2; t += $3; lost += $4 }
		END {
			for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
				if (q[j] < q[i]) { x = q[i]; q[i] = q[j]; q[j] = x }
			med = q[int((NR + 1) / 2)]
			cpu = n ? sprintf("%.2f", t * 1e6 / hz / n) : "-"
			printf "%-7s %8.0f qps  p99 %s ms  (lost %d; server CPU %s us a query)\n",
			    name ":", med, p99, lost, cpu
			print name, med, cpu > "/dev/stderr"
		}' "$tmp/$name.runs" 2>> "$tmp/results"
done
kill "$jpid"
wait "$jpid"
grep -E '^(queries|answers|dropped|limited|messages):' "$tmp/jitsud.log" | sed 's/^/  jitsud /'

# cpu_ratio: the cheaper of NSD's and Knot's CPU time a query over
# jitsud's (above 1: jitsud spends less), for when dnsperf's core, not
# the servers', sets the rate.
r=$(sort -g "$tmp/ratios" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
awk -v r="$r" '{ q[$1] = $2; c[$1] = $3 } END {
	low = (c["nsd"] < c["knot"]) ? c["nsd"] : c["knot"]
	cr = (c["jitsud"] > 0) ? sprintf("%.2f", low / c["jitsud"]) : "-"
	printf "jitsud-qps: jitsud=%.0f nsd=%.0f knot=%.0f qps_ratio=%.2f cpu_ratio=%s\n",
	    q["jitsud"], q["nsd"], q["knot"], r, cr
}' "$tmp/results"
