/*
 * Where a queue's event channel interrupts arrive, so that its thread
 * can run on that CPU, as the kernel's netback serves a queue where its
 * interrupt is. A wakeup from an interrupt on another CPU costs an
 * inter-processor interrupt, which in a PV dom0 is an event channel and
 * a hypercall more; in the lab a queue thread kept off its interrupt's
 * CPU moved 20-40 % less than one on it.
 *
 * Linux names the interrupts of an evtchn handle's ports after the
 * thread that opened the handle ("evtchn:<comm>" in
 * /sys/kernel/irq/<n>/actions and /proc/interrupts): a queue opens its
 * handle under its own name (evtchn_open_named) and finds its
 * interrupts by that name here.
 */
#ifndef NETBACKD_IRQCPU_H
#define NETBACKD_IRQCPU_H

#include <sched.h>
#include <stdint.h>

#define IRQCPU_SYSFS "/sys/kernel/irq"
#define IRQCPU_MAX_IRQS 4	/* a queue has one or two ports */
#define IRQCPU_MAX_CPUS 512

struct irqcpu {
	char dir[64];
	int irq[IRQCPU_MAX_IRQS];
	unsigned nirq;
	uint64_t seen[IRQCPU_MAX_CPUS];	/* counts at the last look */
};

/*
 * The interrupts under DIR (IRQCPU_SYSFS) one of whose actions is
 * exactly ACTION: how many (0: none), or -errno.
 */
int irqcpu_find(struct irqcpu *ic, const char *dir, const char *action);
/*
 * The CPU on which most of the interrupts found arrived since the last
 * call (the first call: since they were bound), -1 when none did, or
 * -errno.
 */
int irqcpu_busiest(struct irqcpu *ic);
/*
 * Where the thread is to go: irqcpu_busiest's CPU if ALLOWED has it,
 * -1 if not or none, or -errno. ALLOWED is the CPUs the thread was
 * started with (taskset, systemd's CPUAffinity=): sched_setaffinity
 * would take any CPU of the cgroup's, the administrator's choice or
 * not.
 */
int irqcpu_target(struct irqcpu *ic, const cpu_set_t *allowed);
/* Pure: a per_cpu_count line ("3,0,17") into COUNTS: how many, or -EINVAL. */
int irqcpu_parse(const char *s, uint64_t *counts, unsigned max);

#endif
