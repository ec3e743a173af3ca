# jd-lab.sh: steps shared by the jitsud lab cases that summon unikernels
# (jitsud-suspend, jitsud-pool, jitsud-e2e), sourced from /xenlab/bin in
# dom0 (after lib.sh).

# jd_uk_cfg NAME IMAGE [LINE...]: an xl config for the unikernel IMAGE as
# <case>-NAME in 4 MB, in $XENLAB_CASE_DIR/NAME.cfg, plus LINEs; the
# case's end destroys what is left of it.
jd_uk_cfg() {
	local name=$1 image=$2 a
	shift 2
	{
		echo "name = \"$XENLAB_CASE-$name\""
		echo 'type = "pv"'
		echo "kernel = \"/xenlab/bin/$image\""
		echo 'memory = 4'
		echo 'vcpus = 1'
		for a in "$@"; do echo "$a"; done
	} > "$XENLAB_CASE_DIR/$name.cfg"
	_xl_guests="$_xl_guests $name"
}

jd_status() { timeout 10 jitsud --status 2>&1; }
# jd_svc_status ID: the status line of service ID
jd_svc_status() { jd_status | grep "^service $1: state="; }
# jd_await_status SECS ID REGEX: until service ID's status line matches
jd_await_status() {
	wait_until "$1" sh -c "timeout 10 jitsud --status 2>&1 | grep -Eq '^service $2: state=$3'" ||
		fail "service $2 is not '$3' within $1 s: $(jd_svc_status "$2")"
}

# jd_ask NAME IP: the A query for NAME.lab.test is answered with IP (a
# regex); the time query -> answer goes to jd_ms.
jd_ask() {
	local out t0
	t0=$(date +%s%N)
	out=$(timeout 120 jd-dig -w 100 "$1.lab.test" 2>&1) || fail "jd-dig $1: $out"
	jd_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	log "$out"
	echo "$out" | grep -Eq "rcode=NOERROR .*answer=A:$2 " || fail "no answer for $1: $out"
}
