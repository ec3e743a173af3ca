# The lab booted: xenstored answers, xl talks to Xen, Domain-0 is listed.
step "xenstored answers"
await 10 xenstore-read -s /
run xenstore-read /local/domain/0/name

step "xl list shows Domain-0"
out=$(timeout 30 xl list) || fail "xl list failed"
echo "$out"
echo "$out" | grep -q '^Domain-0 ' || fail "no Domain-0 in xl list"

step "xl info shows a PV-capable hypervisor"
info=$(timeout 30 xl info) || fail "xl info failed"
echo "$info" | grep -E '^(xen_version|virt_caps|free_memory)'
echo "$info" | grep -q '^virt_caps.*pv' || fail "virt_caps has no pv"

step "Xen's xenconsoled is running"
pgrep -f '^/usr/lib/xen-4.17/bin/xenconsoled' || fail "xenconsoled is not running"
