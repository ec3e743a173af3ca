#!/bin/sh
# bench/jitsud-qps.sh: warm-name throughput, side by side in one run, on
# this host (not in the lab: QEMU's emulation would measure the
# emulator): jitsud, NSD and Knot DNS serve the same zone (SOA, NS and
# 50 A names) on 127.0.0.1 high ports, response rate limiting off, one
# server thread each; dnsperf asks each the same 50 names (-c 4 -q 200,
# $QPS_SECONDS s, 10 by default). With two or more cores, each server is
# pinned to core 0 and dnsperf to core 1 (taskset). Prints per server
# its queries per second and p99 latency, then
#   jitsud-qps: jitsud=Q nsd=Q knot=Q qps_ratio=R
# R = jitsud's qps / the faster of NSD's and Knot's. bench/jitsud runs it
# before its lab part; by hand: bench/jitsud-qps.sh [BUILDDIR].
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
# Measured (2026-12-07, this host, 2 cores, one run of 10 s each):
# FIGURES
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${1:-${builddir:-$srcdir/build}}
secs=${QPS_SECONDS:-10}
hz=$(getconf CLK_TCK)
latsecs=${QPS_LAT_SECONDS:-3}
base=${QPS_PORT:-15353}
dnsproc=$builddir/bench/bin/jitsud-dnsproc

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

# Runs dnsperf against server $2 (process $3) on port $1: its qps, p99 and
# CPU time per answered query into results.
measure() {
	port=$1 name=$2 spid=$3
	t0=$(ticks "$spid")
	$cli_cpu dnsperf -s 127.0.0.1 -p "$port" -d "$tmp/queries" -c 4 -q 200 \
		-l "$secs" > "$tmp/$name.out" 2>&1
	t1=$(ticks "$spid")
	qps=$(sed -n 's/^ *Queries per second: *\([0-9.]*\).*/\1/p' "$tmp/$name.out")
	done_=$(sed -n 's/^ *Queries completed: *\([0-9]*\).*/\1/p' "$tmp/$name.out")
	lost=$(sed -n 's/^ *Queries lost: *\([0-9]*\).*/\1/p' "$tmp/$name.out")
	avg=$(sed -n 's/^ *Average Latency (s): *\([0-9.]*\).*/\1/p' "$tmp/$name.out")
	cpu=$(awk "BEGIN { n = ${done_:-0}; if (n) printf \"%.2f\", ($t1 - $t0) * 1e6 / $hz / n; else print \"-\" }")
	# into a file: a reader in a pipe could take the server's core
	$cli_cpu dnsperf -s 127.0.0.1 -p "$port" -d "$tmp/queries" -c 4 -q 200 \
		-l "$latsecs" -v > "$tmp/$name.v" 2>/dev/null
	awk '$1 == ">" { print $NF }' "$tmp/$name.v" | sort -g > "$tmp/$name.lat"
	rm -f "$tmp/$name.v"
	p99=$(awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", v[int(NR * 0.99 + 0.5)] * 1000; else print "-" }' \
		"$tmp/$name.lat")
	printf '%-7s %8.0f qps  p99 %s ms  (mean %.3f ms, lost %s; server CPU %s us a query)\n' \
		"$name:" "${qps:-0}" "$p99" "$(awk "BEGIN { print ${avg:-0} * 1000 }")" \
		"${lost:--}" "$cpu"
	echo "$name ${qps:-0} $p99 $cpu" >> "$tmp/results"
}

fail() {
	echo "jitsud-qps: $*" >&2
	for f in "$tmp"/*.log "$tmp"/*/*.log; do [ -s "$f" ] && sed "s|^|$f: |" "$f" >&2; done
	exit 1
}

echo "jitsud-qps: 50 names, dnsperf -c 4 -q 200 for $secs s (p99 from $latsecs s with -v)"

$srv_cpu "$dnsproc" "$tmp/jitsud.conf" > "$tmp/jitsud.log" 2>&1 &
jpid=$!
pids="$pids $jpid"
await "$base" || fail "jitsud's DNS process does not answer"
measure "$base" jitsud "$jpid"
kill "$jpid"
wait "$jpid"
grep -E '^(queries|answers|limited|messages):' "$tmp/jitsud.log" | sed 's/^/  jitsud /'

$srv_cpu nsd -d -c "$tmp/nsd/nsd.conf" > "$tmp/nsd/stderr.log" 2>&1 &
npid=$!
pids="$pids $npid"
await $((base + 1)) || fail "nsd does not answer"
measure $((base + 1)) nsd "$npid"
kill "$npid"
wait "$npid"

$srv_cpu knotd -c "$tmp/knot/knot.conf" > "$tmp/knot/stderr.log" 2>&1 &
kpid=$!
pids="$pids $kpid"
await $((base + 2)) || fail "knotd does not answer"
measure $((base + 2)) knot "$kpid"
kill "$kpid"
wait "$kpid"
pids=

awk '{ q[$1] = $2 } END {
	best = (q["nsd"] > q["knot"]) ? q["nsd"] : q["knot"]
	r = (best > 0) ? q["jitsud"] / best : 0
	printf "jitsud-qps: jitsud=%.0f nsd=%.0f knot=%.0f qps_ratio=%.2f\n",
	    q["jitsud"], q["nsd"], q["knot"], r
}' "$tmp/results"
