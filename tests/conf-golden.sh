#!/bin/sh
# Golden config tests. For every tests/conf/<prog>/: the command in its
# "cmd" file (relative to the build dir, FILE replaced by the config) must
# accept good/*.conf printing exactly good/*.ok, and reject bad/*.conf
# with a non-zero exit and exactly bad/*.err on stderr ("file:line: msg",
# the file shown relative to tests/conf/<prog>).
set -u
srcdir=${srcdir:-.}
fail=0 n=0
builddir=$PWD
for dir in "$srcdir"/tests/conf/*/; do
	prog=$(basename "$dir")
	cmd=$(cat "$dir/cmd")
	for kind in good bad; do
		for conf in "$dir"$kind/*.conf; do
			[ -e "$conf" ] || continue
			n=$((n + 1))
			rel=$kind/$(basename "$conf")
			base=${conf%.conf}
			out=$( cd "$dir" && eval "$(echo "$cmd" | sed "s|FILE|$rel|g; s|@builddir@|$builddir|g")" 2>/tmp/conf-golden.$$ )
			rc=$?
			err=$(cat /tmp/conf-golden.$$)
			if [ $kind = good ]; then
				want=$(cat "$base.ok")
				if [ $rc -ne 0 ] || [ "$out" != "$want" ]; then
					echo "FAIL $prog/$rel: exit $rc"; echo "$err"
					printf '%s\n' "$out" | diff -u "$base.ok" - ; fail=$((fail + 1))
				fi
			else
				want=$(cat "$base.err")
				if [ $rc -eq 0 ] || [ "$err" != "$want" ]; then
					echo "FAIL $prog/$rel: exit $rc"
					printf '%s\n' "$err" | diff -u "$base.err" - ; fail=$((fail + 1))
				fi
			fi
		done
	done
done
rm -f /tmp/conf-golden.$$
echo "conf-golden: $n configs, $fail failed"
[ $n -gt 0 ] && [ $fail -eq 0 ]
