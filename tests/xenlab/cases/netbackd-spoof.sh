# Anti-spoofing (Qubes' convention): a vif given its client's address
# (ip= in the vif spec, the backend's "ip" key) passes the guest's own
# traffic, and drops and counts frames from another source address;
# the guest's own traffic goes on after.
. /xenlab/bin/nb-lab.sh

nb_setup
step "guest with ip=10.13.0.8 gets eth0 through netbackd"
guest_start --cfg "vif=['bridge=xenbr0,mac=00:16:3e:0d:00:08,ip=10.13.0.8']" g \
	nb-net 10.13.0.8 10.13.0.1
d=$(guest_domid g)
guest_wait g data/nb-ping ok 90 || fail "guest: $(guest_read g data/nb-ping)"
[ "$(xenstore-read /local/domain/0/backend/vif/$d/0/ip)" = 10.13.0.8 ] ||
	fail "the toolstack wrote no ip key"

step "frames from a spoofed source address are dropped and counted"
xenstore-write "/local/domain/$d/data/nb-cmd1" "spoof 10.13.0.99"
guest_wait g data/nb-res1 "" 90 || fail "no answer from the guest"
[ "$(guest_read g data/nb-res1)" = blocked ] || fail "guest: $(guest_read g data/nb-res1)"
st=$(netbackd --status) || fail "no --status"
log "$st"
ipdrops=$(echo "$st" | awk '/^  tx packets/ { for (i = 1; i < NF; i++) if ($i == "ip") print $(i + 1); exit }')
[ "${ipdrops:-0}" -ge 3 ] || fail "$ipdrops spoofed frames counted, expected 3 or more"

step "the guest's own traffic goes on"
xenstore-write "/local/domain/$d/data/nb-cmd2" up
guest_wait g data/nb-res2 "" 90 || fail "no answer from the guest"
[ "$(guest_read g data/nb-res2)" = ok ] || fail "guest: $(guest_read g data/nb-res2)"
run busybox ping -c 1 -W 5 10.13.0.8

nb_teardown g
