#!/bin/sh
# bench/hostshare.sh SECS PATTERN: a filter for a lab benchmark's output
# that adds to each line matching PATTERN (grep -E; a run's result, printed
# as the run ends) what the host's CPUs did over the last SECS seconds:
# QEMU's share (the whole lab: Xen, dom0, guests), the rest of the host's,
# and steal (time the host's own hypervisor gave to others). A round that
# is slow for both backends while QEMU got less of the host was the host's
# doing, not the backend's. The figures are in % of the host's CPUs.
secs=$1 pattern=$2
samples=$(mktemp) || exit 1
trap 'kill "$sampler" 2>/dev/null; rm -f "$samples"' EXIT INT TERM

# a sample: time, the host's busy and steal ticks, QEMU's ticks
sample() {
	# (the lab runs one QEMU at a time; a comm is cut to 15 bytes)
	q=$(grep -lx qemu-system-x86 /proc/[0-9]*/comm 2>/dev/null | head -n 1)
	q=${q#/proc/} q=${q%/comm}
	echo "$(date +%s.%N)" \
		"$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $9 }' /proc/stat)" \
		"$(awk '{ print $14 + $15 }' "/proc/${q:-0}/stat" 2>/dev/null || echo -)"
}
while :; do sample; sleep 0.5; done >> "$samples" &
sampler=$!
hz=$(getconf CLK_TCK)
ncpu=$(getconf _NPROCESSORS_ONLN)

while IFS= read -r line; do
	if printf '%s\n' "$line" | grep -Eq -- "$pattern"; then
		line="$line$(awk -v s="$secs" -v hz="$hz" -v n="$ncpu" '
			{ t[NR] = $1; b[NR] = $2; st[NR] = $3; q[NR] = $4 }
			END {
				if (NR < 2) exit
				for (a = NR; a > 1 && t[NR] - t[a] < s; a--) ;
				cap = (t[NR] - t[a]) * hz * n / 100
				if (cap <= 0 || q[a] == "-" || q[NR] == "-") exit
				qs = (q[NR] - q[a]) / cap
				# (the two counts are read apart: a little below 0 is 0)
				rest = (b[NR] - b[a]) / cap - qs
				printf "; host over the run: QEMU %.0f%%, the rest %.0f%%, steal %.0f%%",
					qs, rest < 0 ? 0 : rest, (st[NR] - st[a]) / cap
			}' "$samples")"
	fi
	printf '%s\n' "$line"
done
