# A large transfer each way through netbackd, between dom0 and a Linux
# PV guest's netfront, with matching sha256 sums at both ends: a random
# 4 MiB block repeated (urandom is too slow under emulation), so a
# dropped, doubled or damaged segment cannot go unseen. NB_BULK_MIB
# sets the size (default 100, a multiple of 4). Durations are logged,
# never judged (bench/ is for speed).
# xenlab: timeout=600
. /xenlab/bin/nb-lab.sh
mib=${NB_BULK_MIB:-100}

nb_setup
nb_guest g 3 "$mib"
d=$(guest_domid g)

step "$mib MiB dom0 -> guest"
nb_to_guest g 10.13.0.3 "$mib"

step "$mib MiB guest -> dom0"
nb_from_guest g "$mib"

step "netbackd's counters"
st=$(netbackd --status) || fail "no --status"
log "$st"

nb_teardown g
