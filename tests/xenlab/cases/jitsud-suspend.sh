# jitsud's stop modes suspend and shutdown, with the hello unikernel.
# Suspend: after its idle time the service is saved to its save file (in
# jitsud, through libxl) and its domain destroyed; the next query restores
# it from that file and is answered once the restored guest has written
# data/ready again. hello counts its resumes in its own memory and writes
# the count to data/resumed: 1 after the first restore and 2 after the
# second shows the same guest went on, not a new boot. A jitsud restart
# while the service is saved restores it (from the file) rather than
# booting it. Shutdown: the idle guest is asked to power off, does, and
# its domain is gone; the next query boots it again.
. /xenlab/bin/jd-lab.sh
jd_uk_cfg sv uk-hello
jd_uk_cfg sd uk-hello
save=$XENLAB_CASE_DIR/sv.save
conf=$XENLAB_CASE_DIR/jitsud.conf
cat > "$conf" <<CONF
listen = 127.0.0.1
[zone lab.test]
[service sv]
name = sv.lab.test
a = 10.0.0.21
xl-config = $XENLAB_CASE_DIR/sv.cfg
idle-timeout = 5s
stop-mode = suspend
save-file = $save
boot-timeout = 90s
[service sd]
name = sd.lab.test
a = 10.0.0.22
xl-config = $XENLAB_CASE_DIR/sd.cfg
idle-timeout = 5s
stop-mode = shutdown
boot-timeout = 60s
CONF
# saved_idle N: the idle service is saved (N stops), its domain gone
saved_idle() {
	jd_await_status 90 sv "saved .*stops=$1 "
	xl domid "$XENLAB_CASE-sv" >/dev/null 2>&1 && fail "saved, but the domain is still there: $(xl list)"
	[ -s "$save" ] || fail "no save file $save"
	log "$(jd_svc_status sv); save file: $(stat -c %s "$save") bytes"
}
# restored_as N PREV BOOTS: answered by a restored domain (not PREV) that
# says data/resumed=N
restored_as() {
	local id st
	jd_ask sv 10\\.0\\.0\\.21
	log "query -> answer: $jd_ms ms (a restore)"
	id=$(xl domid "$XENLAB_CASE-sv") || fail "no domain after the answer"
	[ "$id" != "$2" ] || fail "still domain $id: not restored"
	[ "$(xenstore-read "/local/domain/$id/data/resumed" 2>/dev/null)" = "$1" ] ||
		fail "domain $id: data/resumed is '$(xenstore-read "/local/domain/$id/data/resumed" 2>&1)', not $1"
	[ "$(xenstore-read "/local/domain/$id/data/ready" 2>/dev/null)" = 1 ] ||
		fail "answered before data/ready of domain $id"
	st=$(jd_svc_status sv)
	log "$st"
	echo "$st" | grep -Eq "state=ready domid=$id boots=$3 " || fail "not restored: $st"
	[ -e "$save" ] && fail "the save file is still there after the restore"
	restored=$id
}

step "jitsud starts; a query boots sv"
daemon_start jitsud -c "$conf"
jd_ask sv 10\\.0\\.0\\.21
id0=$(xl domid "$XENLAB_CASE-sv") || fail "no sv domain"
xenstore-read "/local/domain/$id0/data/resumed" >/dev/null 2>&1 &&
	fail "a fresh boot says data/resumed"

step "idle: saved to its file, the domain destroyed"
saved_idle 1

step "a query restores it: the same guest, resumed once"
restored_as 1 "$id0" 2
grep -q "service sv: restoring it from $save" "$XENLAB_CASE_DIR/jitsud.log" ||
	fail "no restore logged"

step "idle again: the restored guest is saved again"
saved_idle 2

step "a jitsud restart while saved: restored by the next query, not booted"
daemon_stop jitsud
daemon_start jitsud -c "$conf"
jd_svc_status sv | grep -q 'state=saved boots=0 ' || fail "not saved after the restart: $(jd_svc_status sv)"
restored_as 2 "$restored" 1

step "stop mode shutdown: asked to power off when idle, and gone"
jd_ask sd 10\\.0\\.0\\.22
id=$(xl domid "$XENLAB_CASE-sd") || fail "no sd domain"
await 60 sh -c "grep -q 'service sd: asked to shut down' $XENLAB_CASE_DIR/jitsud.log"
await 60 sh -c "! xl domid $XENLAB_CASE-sd"
jd_await_status 30 sd "stopped .*stops=1 "
log "$(jd_svc_status sd)"
grep -q "service sd: not shut down within" "$XENLAB_CASE_DIR/jitsud.log" &&
	fail "destroyed at the deadline, not shut down"
jd_ask sd 10\\.0\\.0\\.22
jd_svc_status sd | grep -Eq "state=ready domid=[0-9]+ boots=2 " || fail "not booted again: $(jd_svc_status sd)"

daemon_stop jitsud
