/* What the entry point records, and the unikernel's own entry. */
#ifndef XUD_UK_ENTRY_H
#define XUD_UK_ENTRY_H

#include <stdint.h>

/* rsp at the first instruction: the end of the builder's boot stack. */
extern unsigned long uk_boot_rsp;
/*
 * Xen system time at boot: read right after shared_info is mapped, the
 * first moment the clock can be read (one hypercall after _start).
 */
extern uint64_t uk_boot_ns;

/*
 * Each unikernel defines this. It runs once the console, the clock, the
 * page allocator and xenstore are up; 0 powers the guest off, anything
 * else panics.
 */
int uk_main(const char *cmdline);

#endif
