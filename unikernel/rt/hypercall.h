/*
 * Hypercalls: a call into the hypercall page Xen filled in at load time
 * (the HYPERCALL_PAGE note names it), 32 bytes per hypercall number.
 * Arguments go in rdi, rsi, rdx, r10, r8; the stub clobbers rcx and r11.
 */
#ifndef XUD_UK_HYPERCALL_H
#define XUD_UK_HYPERCALL_H

#include "xen.h"

extern char hypercall_page[PAGE_SIZE];

#define HC_CALL "call hypercall_page + %c[off]"

/*
 * The offset must be a compile-time constant in the instruction, so the
 * wrappers are macros over one asm statement per arity.
 */
#define hc_op3(nr, a1, a2, a3) ({ \
	long hc_ret_; \
	unsigned long hc_a1_ = (unsigned long)(a1), \
		hc_a2_ = (unsigned long)(a2), hc_a3_ = (unsigned long)(a3); \
	__asm__ volatile(HC_CALL \
			 : "=a"(hc_ret_), "+D"(hc_a1_), "+S"(hc_a2_), \
			   "+d"(hc_a3_) \
			 : [off] "i"((nr) * 32) \
			 : "memory", "rcx", "r11", "r8", "r10"); \
	hc_ret_; \
})

static inline long
hc_sched_op(int cmd, void *arg)
{
	return hc_op3(__HYPERVISOR_sched_op, cmd, arg, 0);
}

static inline long
hc_event_channel_op(int cmd, void *arg)
{
	return hc_op3(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

static inline long
hc_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
	return hc_op3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long
hc_grant_table_op(int cmd, void *uop, unsigned count)
{
	return hc_op3(__HYPERVISOR_grant_table_op, cmd, uop, count);
}

static inline long
hc_vcpu_op(int cmd, unsigned vcpu, void *arg)
{
	return hc_op3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

#endif
