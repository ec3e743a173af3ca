# hello with "crash" on its command line panics: with on_crash=destroy,
# xud's xenconsoled logs the panic text, then its crash trailer. With
# "fault" it writes to an unmapped address: the trap handler's panic
# names the page fault and the address.
. /xenlab/bin/xcd-lab.sh
. /xenlab/bin/uk-lab.sh
xcd_start

step "hello crash boots and panics"
uk_start --cfg 'on_crash = "destroy"' c uk-hello crash
uk_wait_gone c 30
log=$(guest_console c)

step "the trailer says the domain crashed"
await 10 grep -q "xenconsoled: domain .* crashed" "$log"

step "the panic text comes before the trailer, which is last"
tr -d '\r' < "$log" | awk '/PANIC: hello: crash requested on the command line/ && !p { p = NR }
	/xenconsoled: domain .* crashed/ { t = NR } END { exit !(p && t > p) }' ||
	fail "no panic text before the trailer: $(tail -n 3 "$log")"
tail -n 1 "$log" | grep -q "xenconsoled: domain .* crashed" ||
	fail "last line is not the trailer: $(tail -n 1 "$log")"
grep -q '^hello: xud unikernel running' "$log" || fail "no hello line before the panic"
_xl_guests=${_xl_guests/ c/}

step "hello fault: a page fault panics with its address"
uk_start --cfg 'on_crash = "destroy"' f uk-hello fault
uk_wait_gone f 30
log=$(guest_console f)
await 10 grep -q "xenconsoled: domain .* crashed" "$log"
grep -q '^PANIC: exception 14 (page fault) at rip [0-9a-f]*, error [0-9a-f]*, address 10000000000' "$log" ||
	fail "no page-fault panic: $(tail -n 3 "$log")"
_xl_guests=${_xl_guests/ f/}
xcd_finish
