# The journald sink: one journal entry per guest line, with the domain's
# id, name, uuid and console as fields, and no line split in two. The
# lab's dom0 has no systemd as pid 1, so the case runs systemd-journald
# itself (xcd_journald).
. /xenlab/bin/xcd-lab.sh
xcd_journald
# A low rate limit keeps the guest's ring full while it prints, the
# case where a partial last line must wait for its end, not be split off.
xcd_start -c "$(xcd_conf 'sink = journald
rate-limit = 1K
rate-burst = 2K')"

step "a guest prints 300 lines"
guest_start g xcd-lines 300 XCDJ
domid=$(guest_domid g)
uuid=$(xenstore-read "/local/domain/$domid/vm") || fail "no vm path for dom$domid"
uuid=${uuid##*/}
name=$(_xl_gname g)
jq() { journalctl -q --no-pager "$@" 2>/dev/null; }
await 120 sh -c "journalctl -q --no-pager -o cat XEN_DOMID=$domid | grep -q 'XCDJ done'"

step "each line is one entry, in order, with the domain's fields"
out=$XENLAB_CASE_DIR/journal.log
jq -o cat XEN_DOMID="$domid" XEN_DOMAIN_NAME="$name" XEN_CONSOLE=0 \
	SYSLOG_IDENTIFIER=xenconsoled > "$out"
xcd_seq "$out" XCDJ 300
[ "$(tr -d '\r' < "$out" | grep -c '^XCDJ [0-9]\{6\}$')" = 300 ] ||
	fail "$(grep -c XCDJ "$out") entries for 300 lines: $(grep -m3 XCDJ "$out")"
jq -o verbose XEN_DOMID="$domid" | grep -q "XEN_DOMAIN_UUID=$uuid" ||
	fail "no XEN_DOMAIN_UUID=$uuid: $(jq -o verbose XEN_DOMID="$domid" | grep -m1 XEN_DOMAIN_UUID)"

step "the destroy trailer is an entry too"
guest_destroy g
await 10 sh -c "journalctl -q --no-pager -o cat XEN_DOMID=$domid | grep -q 'destroyed'"
xcd_finish
