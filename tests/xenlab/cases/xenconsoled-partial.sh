# Two guests print lines in two halves at the same time: with per-console
# line state, each log line is one stamp and one whole line of one guest.
. /xenlab/bin/xcd-lab.sh
# ISO stamps (milliseconds) tell the two guests' lines apart in time.
xcd_start -t guest -c "$(xcd_conf 'timestamp-format = iso')"

step "two guests"
guest_start a xcd-partial XCDA 60
guest_start b xcd-partial XCDB 60
xcd_guest_key a data/go 1
xcd_guest_key b data/go 1
la=$(guest_console a) lb=$(guest_console b)
await 120 grep -q "XCDA done" "$la"
await 120 grep -q "XCDB done" "$lb"

step "each line is whole, of one guest, with one stamp"
for g in a b; do
	t=XCD${g^^} f=$(guest_console $g)
	n=$(tr -d '\r' < "$f" | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z '"$t"'-start-([0-9]+) '"$t"'-end-\1$')
	[ "$n" = 60 ] || fail "$f: $n whole stamped lines, not 60: $(tr -d '\r' < "$f" | grep -- "-start-" | grep -vE '^[0-9-]{10}T[0-9:.]{12}Z '"$t"'-start-([0-9]+) '"$t"'-end-\1$' | head -2)"
	other=$(grep -c "XCD[AB]-" "$f")
	[ "$other" = 60 ] || fail "$f has $other start/end lines, not 60: the other guest's lines are mixed in"
done

step "the two guests printed at the same time"
ta=$(grep -m1 'XCDA-start-30 ' "$la" | cut -c1-23) tb=$(grep -m1 'XCDB-start-30 ' "$lb" | cut -c1-23)
ea=$(grep -m1 'XCDA-start-1 ' "$la" | cut -c1-23) eb=$(grep -m1 'XCDB-start-1 ' "$lb" | cut -c1-23)
log "A started $ea, line 30 at $ta; B started $eb, line 30 at $tb"
[[ "$eb" < "$ta" && "$ea" < "$tb" ]] || fail "the guests did not overlap"
xcd_finish
