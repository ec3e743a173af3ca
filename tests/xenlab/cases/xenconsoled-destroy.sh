# A guest writes as fast as it can while we read its ring at 256 bytes/s,
# so the ring is full; xl destroy: the daemon drains the ring (ignoring
# the rate limit) and the log holds exactly the bytes the guest's ring
# ever carried: the ring's final producer index.
. /xenlab/bin/xcd-lab.sh
xcd_start -c "$(xcd_conf 'rate-limit = 256
rate-burst = 8K')"

step "a guest floods its console"
guest_start g xcd-flood XCDF
log=$(guest_console g)
await 60 grep -q "XCDF 000000010" "$log"

step "xl destroy while the ring is full"
before=$(stat -c %s "$log")
guest_destroy g
await 10 grep -q "xenconsoled: domain .* destroyed" "$log"
after=$(stat -c %s "$log")

step "the log holds every byte: its size matches the ring's out_prod"
trailer=$(tail -n 1 "$log")
prod=$(echo "$trailer" | sed -n 's/.*out_prod=\([0-9]*\) out_cons=\([0-9]*\).*/\1/p')
cons=$(echo "$trailer" | sed -n 's/.*out_prod=\([0-9]*\) out_cons=\([0-9]*\).*/\2/p')
[ -n "$prod" ] || fail "no out_prod in the trailer: $trailer"
[ "$prod" = "$cons" ] || fail "ring not drained: out_prod=$prod out_cons=$cons"
body=$((after - ${#trailer} - 1))
# A trailer after a partial guest line starts with a newline of ours.
last2=$(head -c "$body" "$log" | tail -c 2 | od -An -c | tr -d ' ')
[ "$last2" = '\r\n' ] || body=$((body - 1))
log "log: $body bytes of guest output (of which $((after - before)) came at destroy); ring out_prod=$prod"
[ "$body" = "$prod" ] || fail "log has $body bytes of guest output, the ring carried $prod"

step "the ring was full at destroy: the drain brought a ring's worth"
[ $((after - before)) -ge 1500 ] ||
	fail "only $((after - before)) bytes came at destroy; the ring was not full"
xcd_finish
