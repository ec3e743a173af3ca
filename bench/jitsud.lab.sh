#!/bin/bash
# Runs in the lab's dom0 (lib.sh sourced): see bench/jitsud.
. /xenlab/bin/uk-lab.sh
. /xenlab/bin/jd-lab.sh
RUNS=3
R=/tmp/xenlab/bench/jd
mkdir -p "$R"
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'; }

step "bare xl create -> data/ready"
for i in $(seq $RUNS); do
	uk_start bare$i uk-hello
	uk_wait_ready bare$i 60
	echo "$(uk_ms "$uk_t0" "$uk_t_ready")" >> "$R/bare"
	echo "bare run $i: ready $(uk_ms "$uk_t0" "$uk_t_ready") ms after xl create started"
	guest_destroy bare$i
done

jd_uk_cfg cold uk-hello
jd_uk_cfg warm uk-hello
_xl_guests="$_xl_guests warm-pool0"
conf=$XENLAB_CASE_DIR/jitsud.conf
cat > "$conf" <<CONF
listen = 127.0.0.1
[zone lab.test]
[service cold]
name = cold.lab.test
a = 10.0.0.41
xl-config = $XENLAB_CASE_DIR/cold.cfg
idle-timeout = 2s
boot-timeout = 60s
[service warm]
name = warm.lab.test
a = 10.0.0.42
xl-config = $XENLAB_CASE_DIR/warm.cfg
idle-timeout = 2s
boot-timeout = 60s
pool = 1
pool-boot = yes
CONF
daemon_start jitsud -c "$conf"

step "query -> answer: a cold summon, a warm-pool summon"
for i in $(seq $RUNS); do
	jd_await_status 120 cold "stopped "
	jd_await_status 120 warm "stopped .* pool=1/1\$"
	jd_ask cold 10\\.0\\.0\\.41
	echo "$jd_ms" >> "$R/cold"
	jd_ask warm 10\\.0\\.0\\.42
	echo "$jd_ms" >> "$R/warm"
	us=$(grep -o 'unpaused from the pool (the unpause took [0-9]* us)' "$XENLAB_CASE_DIR/jitsud.log" |
		tail -n 1 | grep -o '[0-9]* us' | grep -o '[0-9]*')
	echo "$us" >> "$R/unpause"
	# query -> ready inside jitsud (the query's arrival in the
	# privileged process), without jd-dig's own start
	in=$(grep -o 'service warm: ready (domain [0-9]*, [0-9]* ms after' "$XENLAB_CASE_DIR/jitsud.log" |
		tail -n 1 | grep -o '[0-9]* ms' | grep -o '[0-9]*')
	echo "$in" >> "$R/inside"
	echo "run $i: cold summon $(tail -n 1 "$R/cold") ms, warm-pool summon $jd_ms ms" \
		"($in ms inside jitsud), unpause $us us"
done
daemon_stop jitsud

bare=$(median < "$R/bare") cold=$(median < "$R/cold") warm=$(median < "$R/warm")
unp=$(median < "$R/unpause") inside=$(median < "$R/inside")
echo "medians: bare xl create -> ready $bare ms; jitsud cold summon $cold ms; warm-pool summon $warm ms ($inside ms inside jitsud); unpause $unp us"
echo "jitsud: qps_ratio=- summon_overhead=$(awk "BEGIN { printf \"%.2f\", $cold / $bare }")" \
	"pool_ms=$inside unpause_ms=$(awk "BEGIN { printf \"%.1f\", $unp / 1000 }")"
