# A large transfer each way through netbackd, between dom0 and a Linux
# PV guest's netfront, with matching byte counts and sums at both ends
# (xlab-tput put and take: a pseudo-random stream that does not repeat,
# hashed in order, so a dropped, doubled or damaged segment cannot go
# unseen). NB_BULK_MIB sets the size (default 100). Durations are
# logged, never judged (bench/ is for speed).
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
