# The guest turns its offloads off and on, as `ethtool -K eth0 sg|tso|tx
# off|on` does (xlab-ethtool: the guest's busybox has no ethtool), and
# after each change 4 MiB go from the guest to dom0 through netbackd with
# matching sums. netbackd's count of GSO packets from the guest
# says the setting took effect on the ring: it grows during a transfer
# exactly when the guest reports tso on (tso needs sg, so turning sg off
# turns it off too). Linux's netfront keeps IPv4 checksum offload fixed
# on, so "tx off" changes only its IPv6 part, and the guest says tx=on.
. /xenlab/bin/nb-lab.sh

nb_setup
nb_guest g 6
d=$(guest_domid g)

tx_gso() {
	netbackd --status | awk -v v="vif$d.0" '$1 == v { f = 1; next }
		f && $1 == "tx" { for (i = 1; i < NF; i++) if ($i == "gso") print $(i + 1); exit }'
}

# send SETTING: 4 MiB guest -> dom0 with the features SETTING, checked
send() {
	local g0 g1
	g0=$(tx_gso)
	nb_send g 4
	g1=$(tx_gso)
	log "$1: $((g1 - g0)) GSO packets"
	case $1 in
	*tso=on*) [ "$g1" -gt "$g0" ] || fail "$1: no GSO packet reached netbackd" ;;
	*) [ "$g1" = "$g0" ] || fail "$1: $((g1 - g0)) GSO packets with tso off" ;;
	esac
}

step "with the offloads netfront negotiated"
nb_ask g offload
setting=$NB_ANSWER
case $setting in
"sg=on tso=on tx=on") ;;
*) fail "the guest starts with '$setting', not sg, tso and tx on" ;;
esac
send "$setting"

for f in tso sg tx; do
	for v in off on; do
		step "ethtool -K eth0 $f $v"
		nb_ask g "offload $f $v"
		setting=$NB_ANSWER
		case " $setting" in
		*" $f=$v"*) ;;
		" sg="*" tso="*" tx=on")
			# Linux's netfront keeps IPv4 checksum offload fixed on
			# (ethtool -k: [fixed]): tx off turns off its IPv6 part
			[ "$f $v" = "tx off" ] ||
				fail "after '$f $v' the guest reports '$setting'"
			log "tx off: IPv4 checksum offload stays on (fixed in netfront)" ;;
		*) fail "after '$f $v' the guest reports '$setting'" ;;
		esac
		send "$setting"
	done
done

step "netbackd's counters: no drops"
st=$(netbackd --status)
log "$st"
echo "$st" | grep -A1 "^vif$d.0 " | grep -q "errors 0 .*drops csum 0 tap 0" ||
	fail "tx errors or drops: $st"

nb_teardown g
