# The rate key: a vif with xl's rate=1Mb/s (libxl writes the backend's
# rate as "<bytes>,<usec>": 6250 bytes per 50 ms) limits what the guest
# transmits. 2 MiB from the guest to dom0 arrive whole (matching sums),
# netbackd held packets back for credit (its rate-deferred counter is
# not 0), and the bytes it passed are no more than the credit of the
# time the transfer took at most (dom0's clock before asking and after
# all arrived, so the window can only be overestimated): a burst of
# 128 KiB plus one interval's credit per interval begun, and one more,
# with 10% to spare.
# Without the limit, the transfer takes well under a second and breaks that.
# Then the rate key changes while the guest is connected, as the kernel's
# netback takes it: a value that does not parse keeps the limit (one
# warning), and 3Mb/s written live (18750 bytes per 50 ms) carries the
# next 2 MiB faster than the old limit's credit would allow in the time
# they took, still held back for credit and within the new limit's
# (unlimited, the guest sends over 100Mb/s here: both limits hold it
# back, or they would prove nothing about following them).
# xenlab: timeout=600
. /xenlab/bin/nb-lab.sh
MIB=2

nb_setup
NB_VIF=',rate=1Mb/s' nb_guest g 6 "$MIB"
d=$(guest_domid g)
be=/local/domain/0/backend/vif/$d/0

step "libxl wrote rate as bytes,usec; netbackd limits vif$d.0"
rate=$(xenstore-read "$be/rate") || fail "no $be/rate"
log "rate: $rate"
case $rate in
[0-9]*,[0-9]*) ;;
*) fail "rate '$rate' is not <bytes>,<usec>" ;;
esac
B=${rate%,*} U=${rate#*,}
[ "$B" -gt 0 ] && [ "$U" -gt 0 ] || fail "rate '$rate'"
grep -q "vif$d.0 connected (.*rate limited" "$XENLAB_CASE_DIR/netbackd.log" ||
	fail "netbackd did not log vif$d.0 as rate limited"

step "$MIB MiB guest -> dom0 under the limit"
b0=$(nb_vif_field "vif$d.0" "  tx packets" bytes)
nb_from_guest g "$MIB"
b1=$(nb_vif_field "vif$d.0" "  tx packets" bytes)
deferred=$(nb_vif_field "vif$d.0" "  tx packets" rate-deferred)
st=$(netbackd --status)
log "$st"

step "netbackd held packets for credit, and passed no more than the credit"
bytes=$((b1 - b0))
us=$(awk -v a="$NB_T0" -v b="$NB_T1" 'BEGIN { printf "%d", (b - a) * 1000000 + 1 }')
burst=$((B > 131072 ? B : 131072))
# (and 10% more: the bound is exact, the test need not be)
bound=$(( (burst + B * (us / U + 2)) * 11 / 10 ))
log "vif$d.0: $bytes bytes in at most $us us: bound $bound; rate-deferred $deferred"
[ "$bytes" -ge $((MIB * 1048576)) ] ||
	fail "only $bytes bytes counted for $MIB MiB sent: nothing proven"
[ "${deferred:-0}" -gt 0 ] || fail "no packet was held for credit (rate-deferred ${deferred:-none})"
[ "$bytes" -le "$bound" ] || fail "$bytes bytes passed, more than the credit $bound"

step "a rate written live that does not parse keeps the limit"
xenstore-write "$be/rate" fast
await 10 grep -q "vif$d.0: the toolstack's new rate \"fast\" does not parse; keeping the old limit" \
	"$XENLAB_CASE_DIR/netbackd.log"
netbackd --status | grep -q "^vif$d.0 dom$d Connected: .* rate $rate\$" ||
	fail "--status does not show the old rate $rate: $(netbackd --status | grep "^vif$d.0 ")"

step "the rate raised live to 3Mb/s: $MIB MiB more follow the new limit"
B2=18750 U2=50000
xenstore-write "$be/rate" "$B2,$U2"
await 10 grep -q "vif$d.0: rate now $B2 bytes per $U2 us" "$XENLAB_CASE_DIR/netbackd.log"
netbackd --status | grep -q "^vif$d.0 dom$d Connected: .* rate $B2,$U2\$" ||
	fail "--status does not show the new rate: $(netbackd --status | grep "^vif$d.0 ")"
b0=$(nb_vif_field "vif$d.0" "  tx packets" bytes)
d0=$(nb_vif_field "vif$d.0" "  tx packets" rate-deferred)
nb_send g "$MIB"
b1=$(nb_vif_field "vif$d.0" "  tx packets" bytes)
d1=$(nb_vif_field "vif$d.0" "  tx packets" rate-deferred)
bytes=$((b1 - b0))
us=$(awk -v a="$NB_T0" -v b="$NB_T1" 'BEGIN { printf "%d", (b - a) * 1000000 + 1 }')
old=$(( 131072 + B * (us / U + 2) ))
bound=$(( ((B2 > 131072 ? B2 : 131072) + B2 * (us / U2 + 2)) * 11 / 10 ))
log "vif$d.0: $bytes bytes in at most $us us: the old limit's credit $old, the new's $bound; rate-deferred $d0 -> $d1"
[ "$bytes" -ge $((MIB * 1048576)) ] ||
	fail "only $bytes bytes counted for $MIB MiB sent: nothing proven"
[ "$bytes" -gt "$old" ] || fail "$bytes bytes passed: no more than the old limit's $old"
[ "${d1:-0}" -gt "${d0:-0}" ] || fail "no packet was held for credit under the new limit"
[ "$bytes" -le "$bound" ] || fail "$bytes bytes passed, more than the new limit's $bound"
log "$(netbackd --status)"

nb_teardown g
