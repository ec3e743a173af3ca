# A lab self-test, like lab-boot: it checks that libxenvchan works in this
# lab (Xen, the kernel's gntdev/gntalloc, the static test programs), so
# that a failing xentropyd case is not blamed on the lab. It runs nothing
# of xud's: no change to xud can make it fail.
#
# libxenvchan between dom0 and a guest, both ways round, with this repo's
# xlab-vchan at both ends: first the guest is the server and dom0 the
# client, then dom0 is the server and the guest the client.  Each end
# writes and reads.  One guest does both (role vchan-both).
step "start a guest that offers a vchan"
guest_start g vchan-both vchan-g vchan-d hello-from-domU
d=$(guest_domid g)

step "dom0 connects to the guest's vchan and gets the echo"
reply=$(timeout 90 xlab-vchan client "$d" "/local/domain/$d/data/vchan-g" "hello from dom0" 60) ||
	fail "dom0 client: exit $?, reply '$reply'"
log "dom0 got: $reply"
[ "$reply" = "echo: hello from dom0" ] || fail "unexpected reply '$reply'"

step "the guest's server reports success"
guest_wait g data/vchan-server ok 30 || fail "data/vchan-server is '$(guest_read g data/vchan-server)'"

step "dom0 offers a vchan to the guest"
timeout 90 xlab-vchan server "$d" "/local/domain/$d/data/vchan-d" 60 > "$XENLAB_CASE_DIR/server.log" 2>&1 &
srv=$!
await 30 grep -q offering "$XENLAB_CASE_DIR/server.log"
xenstore-write "/local/domain/$d/data/vchan-d-ready" 1

step "the guest's client gets the echo"
guest_wait g data/vchan-client ok 60 ||
	fail "data/vchan-client is '$(guest_read g data/vchan-client)', reply '$(guest_read g data/vchan-client-reply)'"
[ "$(guest_read g data/vchan-client-reply)" = "echo: hello-from-domU" ] ||
	fail "guest got '$(guest_read g data/vchan-client-reply)'"

step "dom0's server got the guest's line and exits 0"
wait $srv || fail "dom0 server exited $?: $(tail -n 1 "$XENLAB_CASE_DIR/server.log")"
cat "$XENLAB_CASE_DIR/server.log"
grep -q "got 'hello-from-domU'" "$XENLAB_CASE_DIR/server.log" || fail "dom0 server did not get the guest's line"
guest_destroy g
