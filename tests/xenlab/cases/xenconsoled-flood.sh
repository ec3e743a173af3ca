# A guest flooding its console, held by the rate limit (2 KiB/s, burst
# 2 KiB: a one-second period) with its ring full, does not delay another
# guest's lines by more than that period: the quiet guest's tick lines
# go from its ring to its log no more than 1 s later than they did before
# the flood.
. /xenlab/bin/xcd-lab.sh
xcd_start -c "$(xcd_conf 'rate-limit = 2K
rate-burst = 2K')"

# tick N: ask the quiet guest for line N; ms is how long the line took
# from the guest's ring (the guest reports data/ticked after writing it)
# to the log. Under emulation a spinning guest slows the other guests
# themselves; that is the hypervisor's doing, not the console daemon's.
tick() {
	local t0
	xcd_guest_key q data/tick "$1"
	await 60 sh -c "[ \"\$(xenstore-read /local/domain/$(guest_domid q)/data/ticked)\" = $1 ]"
	t0=$(date +%s%N)
	await 30 grep -q "XCDQ tick $1.\$" "$lq"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
# the flooding guest's console is being held by the limiter
flood_limited() {
	kill -USR1 "$(daemon_pid xenconsoled)"
	wait_until 2 grep -q "$XENLAB_CASE-f): console:.*limited_ms=[1-9]" "$XENLAB_CASE_DIR/xenconsoled.log"
}

step "a quiet guest: its tick lines without a flood"
guest_start q xcd-tick XCDQ
lq=$(guest_console q)
base=0
for i in 1 2 3; do
	tick $i
	log "tick $i: $ms ms"
	[ "$ms" -gt "$base" ] && base=$ms
done

step "a flooding guest, held by the rate limit"
guest_start f xcd-flood XCDF
lf=$(guest_console f)
await 60 grep -q "XCDF 000000100" "$lf"
await 60 flood_limited

step "the quiet guest's tick lines during the flood"
worst=0
for i in 4 5 6 7 8; do
	tick $i
	log "tick $i: $ms ms"
	[ "$ms" -gt "$worst" ] && worst=$ms
done
log "worst tick: $worst ms during the flood, $base ms before it"
grep -q "XCDF" "$lq" && fail "flood lines in the quiet guest's log"
[ "$worst" -le $((base + 1000)) ] ||
	fail "a quiet guest's line took $worst ms during the flood, $base ms before it"
xcd_finish
