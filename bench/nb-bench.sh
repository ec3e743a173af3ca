# bench/nb-bench.sh: what bench/netbackd.lab.sh and
# bench/netbackd-copies.lab.sh share, sourced in the lab's dom0 (the run
# brings bench/*.sh along to /xenlab/bench).

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'; }
# a process's utime + stime in clock ticks, hz of them a second
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)
# a direction's name: "to" is dom0 -> guest (dom0 sends)
dir_name() { [ "$1" = to ] && echo 'dom0 -> guest' || echo 'guest -> dom0'; }
# per_gib FROM TO BYTES [PER_SECOND]: seconds per GiB moved, from two
# readings of a clock (ticks, with PER_SECOND of them a second)
per_gib() {
	awk -v a="$1" -v b="$2" -v n="$3" -v hz="${4:-1}" \
		'BEGIN { printf "%.2f\n", (b - a) / hz / (n / 1073741824) }'
}

# nb_tput DIR IP SECS WHAT: one xlab-tput run with the guest at IP, to or
# from it; TPUT_BYTES, TPUT_SECS and TPUT_MBIT from its line. WHAT names
# the run in the failure.
nb_tput() {
	local out
	out=$(timeout $(($3 + 60)) xlab-tput "$([ "$1" = to ] && echo send || echo recv)" \
		"$2" 5201 "$3") || fail "$4 ($1): xlab-tput failed: $out"
	TPUT_BYTES=$(echo "$out" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
	TPUT_SECS=$(echo "$out" | sed -n 's/.*secs=\([0-9.]*\).*/\1/p')
	TPUT_MBIT=$(echo "$out" | sed -n 's/.*mbit=\([0-9.]*\).*/\1/p')
	[ -n "$TPUT_BYTES" ] && [ "$TPUT_BYTES" -gt 0 ] || fail "$4 ($1): no bytes moved: $out"
}
