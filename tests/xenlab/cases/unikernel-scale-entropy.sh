# A burst of 50 entropy unikernels, created four at a time while xud's
# xentropyd serves them: every one gets its 4096 bytes (data/entropy),
# and the daemon counts 4096 bytes for each. All are destroyed; the
# daemon's fds and RSS come back to their baseline (RSS within 512 KiB,
# as in unikernel-scale).
# Its RSS per served guest is printed, not judged.
. /xenlab/bin/uk-lab.sh
N=${XENLAB_UK_ENTROPY_SCALE:-50}

step "start xentropyd"
daemon_start xentropyd
pid=$(daemon_pid xentropyd)
proc_baseline "$pid" xentropyd

step "$N entropy unikernels are created, four xl creates at a time"
uk_many e uk-entropy "$N"

step "every one fetched its 4096 bytes"
wait_until 120 uk_many_ready e || fail "not every guest wrote data/ready within 120 s"
rss1=$(proc_rss "$pid")
log "xentropyd with $N guests: $(proc_fds "$pid") fds, RSS $rss1 KiB," \
	"$(( (rss1 - proc_rss0) / N )) KiB more per guest"
bad=0
for id in $(uk_many_ids e); do
	val=$(xenstore-read "/local/domain/$id/data/entropy" 2>/dev/null)
	case $val in
	4096\ [0-9]*) ;;
	*) log "dom$id: data/entropy '$val'"; bad=$((bad + 1)) ;;
	esac
done
[ "$bad" = 0 ] || fail "$bad of $N guests got no entropy"
served=$(xentropyd --status | grep -c ': 4096 bytes in 1 requests, 0 throttled, 0 errors')
log "xentropyd --status: $served guests served 4096 bytes"
[ "$served" -eq "$N" ] || fail "xentropyd counts $served guests served, not $N"

step "all are destroyed"
uk_many_destroy e

step "the daemon's fds and RSS come back to their baseline"
proc_back "$pid" xentropyd
daemon_stop xentropyd
