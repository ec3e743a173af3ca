/*
 * The guest's entry point and the ELF notes that make the domain builder
 * load it as an x86_64 PV kernel.
 *
 * Xen enters at _start in 64-bit mode, in ring 3, with event upcalls
 * masked, rsi = the virtual address of start_info and rsp = the top of a
 * one-page boot stack just above the boot page tables. The image is linked
 * at virtual address 0 (no VIRT_BASE note), so the initial mapping is
 * virtual = pseudo-physical. The entry keeps the boot rsp (it marks the
 * end of what the builder placed), moves to a stack of its own and calls
 * uk_boot().
 */
#include "xen.h"

#include <xen/elfnote.h>

#include "console.h"
#include "entry.h"
#include "evtchn.h"
#include "page.h"
#include "shutdown.h"
#include "startinfo.h"
#include "traps.h"
#include "clock.h"
#include "xs_client.h"

#define UK_STACK_SIZE (16 * 1024)
#define UK_STR_(x) #x
#define UK_STR(x) UK_STR_(x)

/* Xen writes the hypercall stubs here at load time; int3 until then. */
__asm__(
	".pushsection .text.hypercall_page, \"ax\", @progbits\n"
	".balign 4096\n"
	".globl hypercall_page\n"
	"hypercall_page:\n"
	"	.fill 4096, 1, 0xcc\n"
	".popsection\n");

static char uk_stack[UK_STACK_SIZE] __attribute__((aligned(16), used));
unsigned long uk_boot_rsp;
uint64_t uk_boot_ns;

__asm__(
	".pushsection .text.entry, \"ax\", @progbits\n"
	".globl _start\n"
	"_start:\n"
	"	cld\n"
	"	movq %rsp, uk_boot_rsp(%rip)\n"
	"	leaq uk_stack + " UK_STR(UK_STACK_SIZE) "(%rip), %rsp\n"
	"	movq %rsi, %rdi\n"
	"	call uk_boot\n"
	"	ud2\n"
	".popsection\n");

/*
 * One Xen ELF note: namesz 4 ("Xen" and its NUL), descsz, type, the name,
 * then the descriptor, each padded to 4 bytes.
 */
#define UK_NOTE(type, desc) \
	".balign 4\n" \
	".long 2f - 1f, 4f - 3f, " UK_STR(type) "\n" \
	"1: .asciz \"Xen\"\n" \
	"2: .balign 4\n" \
	"3: " desc "\n" \
	"4: .balign 4\n"

__asm__(
	".pushsection .note.Xen, \"a\", @note\n"
	UK_NOTE(XEN_ELFNOTE_GUEST_OS, ".asciz \"xud-unikernel\"")
	UK_NOTE(XEN_ELFNOTE_XEN_VERSION, ".asciz \"xen-3.0\"")
	UK_NOTE(XEN_ELFNOTE_LOADER, ".asciz \"generic\"")
	UK_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, ".quad hypercall_page")
	".popsection\n");

/* Called from _start on our own stack; never returns. */
void uk_boot(start_info_t *si) __attribute__((noreturn, used));

void
uk_boot(start_info_t *si)
{
	unsigned long first, end;
	int r;

	si_init(si);
	/* The clock works from here, a few instructions after the first. */
	uk_boot_ns = tm_now();
	traps_init();
	tm_init();
	con_init();
	si_free_range(uk_boot_rsp, &first, &end);
	page_init(first, end);
	r = xs_init();
	if (r < 0)
		uk_panic("xenstore: cannot start: error %d", -r);
	r = uk_main(si_cmdline());
	if (r != 0)
		uk_panic("main returned %d", r);
	uk_poweroff();
}
