# lib/domains.c on real Xen: a guest appearing, pausing, crashing and
# going away is seen by the domain tracker, through xud-domwatch.
out=$XENLAB_CASE_DIR/domwatch.log

seen() { grep -qxE "$1" "$out"; }

step "start xud-domwatch"
# Bounded by timeout, so a failing case leaves nothing behind for long.
timeout 300 xud-domwatch -r 200 > "$out" 2>&1 &
dw=$!
await 10 seen ready
seen "added 0 Domain-0 running" || fail "Domain-0 not in the table: $(head -3 "$out")"

step "a guest is added with its name"
# xl creates domains paused and unpauses them once built, so the tracker
# may first see the guest paused.
guest_start g idle
id=$(guest_domid g)
await 10 seen "added $id $XENLAB_CASE-g (running|paused)"
await 10 seen "added $id $XENLAB_CASE-g running|changed $id paused running"

step "pause and unpause are seen at the next rescan"
run xl pause "$XENLAB_CASE-g"
await 10 seen "changed $id running paused"
run xl unpause "$XENLAB_CASE-g"
await 10 seen "changed $id paused running"

step "a crash is seen as crashed with reason crash"
guest_start --no-wait c crash
cid=$(guest_domid c)
await 90 seen "changed $cid running crashed crash"

step "destroyed guests are removed"
guest_destroy g
guest_destroy c
await 20 seen "removed $id"
await 20 seen "removed $cid"
kill $dw
