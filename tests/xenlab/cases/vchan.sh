# libxenvchan between dom0 and a guest, both ways round, with this repo's
# xlab-vchan in both ends.
step "guest offers a vchan, dom0 connects"
guest_start srv vchan-server vchan-g
d=$(guest_domid srv)
reply=$(timeout 90 xlab-vchan client "$d" "/local/domain/$d/data/vchan-g" "hello from dom0" 60) ||
	fail "dom0 client: exit $?, reply '$reply'"
log "dom0 got: $reply"
[ "$reply" = "echo: hello from dom0" ] || fail "unexpected reply '$reply'"

step "guest server reports success"
guest_wait srv data/vchan-server ok 30 || fail "data/vchan-server is '$(guest_read srv data/vchan-server)'"
guest_destroy srv

step "dom0 offers a vchan, guest connects"
guest_start cli vchan-client vchan-d hello-from-domU
d=$(guest_domid cli)
timeout 90 xlab-vchan server "$d" "/local/domain/$d/data/vchan-d" 60 > "$XENLAB_CASE_DIR/server.log" 2>&1 &
srv=$!
await 30 grep -q offering "$XENLAB_CASE_DIR/server.log"
xenstore-write "/local/domain/$d/data/vchan-d-ready" 1

step "guest client gets the answer"
guest_wait cli data/vchan-client ok 60 ||
	fail "data/vchan-client is '$(guest_read cli data/vchan-client)', reply '$(guest_read cli data/vchan-client-reply)'"
[ "$(guest_read cli data/vchan-client-reply)" = "echo: hello-from-domU" ] ||
	fail "guest got '$(guest_read cli data/vchan-client-reply)'"

step "dom0 server exits 0"
wait $srv || fail "dom0 server exited $?: $(tail -n 1 "$XENLAB_CASE_DIR/server.log")"
cat "$XENLAB_CASE_DIR/server.log"
guest_destroy cli
