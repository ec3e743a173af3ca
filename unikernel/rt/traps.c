/* The trap table and the one handler behind it. */
#include <stdint.h>

#include "hypercall.h"
#include "shutdown.h"
#include "startinfo.h"
#include "traps.h"

#define TRAPS_N 20

/*
 * Xen enters a PV handler on the current stack (we never leave kernel
 * mode) with rcx and r11 pushed below the hardware frame:
 *   rcx, r11, [error code], rip, cs, rflags, rsp, ss
 * Each stub passes its vector, the frame and whether the vector carries an
 * error code, realigns the stack and calls traps_fatal.
 */
#define TRAP_STUB(vec, err) \
	".globl traps_stub_" #vec "\n" \
	"traps_stub_" #vec ":\n" \
	"	movq $" #vec ", %rdi\n" \
	"	movq %rsp, %rsi\n" \
	"	movq $" #err ", %rdx\n" \
	"	andq $-16, %rsp\n" \
	"	call traps_fatal\n" \
	"	ud2\n"

__asm__(".pushsection .text, \"ax\", @progbits\n"
	TRAP_STUB(0, 0) TRAP_STUB(1, 0) TRAP_STUB(2, 0) TRAP_STUB(3, 0)
	TRAP_STUB(4, 0) TRAP_STUB(5, 0) TRAP_STUB(6, 0) TRAP_STUB(7, 0)
	TRAP_STUB(8, 1) TRAP_STUB(9, 0) TRAP_STUB(10, 1) TRAP_STUB(11, 1)
	TRAP_STUB(12, 1) TRAP_STUB(13, 1) TRAP_STUB(14, 1) TRAP_STUB(15, 0)
	TRAP_STUB(16, 0) TRAP_STUB(17, 1) TRAP_STUB(18, 0) TRAP_STUB(19, 0)
	".popsection\n");

void traps_fatal(unsigned long vec, const unsigned long *frame,
		 unsigned long has_err) __attribute__((noreturn, used));

static const char *const traps_names[TRAPS_N] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check",
	"machine check", "SIMD error",
};

void
traps_fatal(unsigned long vec, const unsigned long *frame,
	    unsigned long has_err)
{
	unsigned long err = has_err ? frame[2] : 0;
	unsigned long rip = frame[2 + has_err];

	if (vec == 14)
		uk_panic("exception %lu (%s) at rip %lx, error %lx, address %lx",
			 vec, traps_names[vec], rip, err,
			 (unsigned long)si_shared()->vcpu_info[0].arch.cr2);
	uk_panic("exception %lu (%s) at rip %lx, error %lx", vec,
		 vec < TRAPS_N ? traps_names[vec] : "?", rip, err);
}

#define TRAP_DECL(vec) extern char traps_stub_##vec[];
TRAP_DECL(0) TRAP_DECL(1) TRAP_DECL(2) TRAP_DECL(3) TRAP_DECL(4)
TRAP_DECL(5) TRAP_DECL(6) TRAP_DECL(7) TRAP_DECL(8) TRAP_DECL(9)
TRAP_DECL(10) TRAP_DECL(11) TRAP_DECL(12) TRAP_DECL(13) TRAP_DECL(14)
TRAP_DECL(15) TRAP_DECL(16) TRAP_DECL(17) TRAP_DECL(18) TRAP_DECL(19)

/* int3 and into may come from software: privilege level 3 for those. */
#define TRAP_ENTRY(vec, dpl) { vec, dpl, FLAT_KERNEL_CS, \
	(unsigned long)traps_stub_##vec }

void
traps_init(void)
{
	static struct trap_info table[TRAPS_N + 1] = {
		TRAP_ENTRY(0, 0), TRAP_ENTRY(1, 0), TRAP_ENTRY(2, 0),
		TRAP_ENTRY(3, 3), TRAP_ENTRY(4, 3), TRAP_ENTRY(5, 0),
		TRAP_ENTRY(6, 0), TRAP_ENTRY(7, 0), TRAP_ENTRY(8, 0),
		TRAP_ENTRY(9, 0), TRAP_ENTRY(10, 0), TRAP_ENTRY(11, 0),
		TRAP_ENTRY(12, 0), TRAP_ENTRY(13, 0), TRAP_ENTRY(14, 0),
		TRAP_ENTRY(15, 0), TRAP_ENTRY(16, 0), TRAP_ENTRY(17, 0),
		TRAP_ENTRY(18, 0), TRAP_ENTRY(19, 0),
		{ 0, 0, 0, 0 },	/* the end */
	};

	/* Without a table a fault still crashes the domain, only silently. */
	hc_op3(__HYPERVISOR_set_trap_table, table, 0, 0);
}
