/*
 * netbackd/irqcpu.c over a /sys/kernel/irq made in a temporary
 * directory: a queue's interrupts found by their exact action name
 * (not another queue's whose name it begins, an action shared with
 * another device included), and the CPU where most of them arrived
 * since the last look, summed over its ports; per_cpu_count's format;
 * a CPU outside those the thread was given is no target.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "irqcpu.h"

static char root[64];

static void
put(int irq, const char *leaf, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d", root, irq);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%d/%s", root, irq, leaf);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void
irq(int n, const char *actions, const char *counts)
{
	put(n, "actions", actions);
	put(n, "per_cpu_count", counts);
}

static void
test_parse(void)
{
	static const char *const bad[] = {
		"", "\n", ",", "1,", ",1", "1,,2", "1,x", "-1", "1 2",
		"18446744073709551616",
	};
	uint64_t c[4] = { 0 };

	CHECK_EQ(irqcpu_parse("3,0,17\n", c, 4), 3);
	CHECK_EQ(c[0], 3);
	CHECK_EQ(c[1], 0);
	CHECK_EQ(c[2], 17);
	CHECK_EQ(irqcpu_parse("18446744073709551615", c, 4), 1);
	CHECK_EQ(c[0], UINT64_MAX);
	CHECK_EQ(irqcpu_parse("1,2,3,4", c, 4), 4);
	CHECK_EQ(irqcpu_parse("1,2,3,4,5", c, 4), -EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(irqcpu_parse(bad[i], c, 4), -EINVAL);
}

static void
test_follow(void)
{
	struct irqcpu ic;
	int i;

	irq(5, "evtchn:xenstored\n", "9,9\n");
	irq(44, "evtchn:vif1.0-q0\n", "0,100\n");
	irq(45, "evtchn:vif1.0-q0\n", "5,0\n");
	irq(46, "evtchn:vif1.0-q01\n", "900,0\n");
	irq(47, "ahci,evtchn:vif1.0-q0\n", "0,0\n");
	irq(48, "evtchn:vif1.0-q\n", "900,0\n");
	put(49, "actions", "evtchn:vif1.0-q0\n");	/* no counts */

	CHECK_EQ(irqcpu_find(&ic, root, "evtchn:nothing"), 0);
	CHECK_EQ(irqcpu_busiest(&ic), -ENOENT);
	CHECK_EQ(irqcpu_find(&ic, root, "evtchn:vif1.0-q0"), 4);
	int seen[50] = { 0 };
	for (unsigned k = 0; k < ic.nirq; k++)
		if (ic.irq[k] >= 0 && ic.irq[k] < 50)
			seen[ic.irq[k]] = 1;
	CHECK(seen[44] && seen[45] && seen[47] && seen[49]);
	CHECK(!seen[5] && !seen[46] && !seen[48]);
	/* one of them cannot be read: no answer */
	CHECK_EQ(irqcpu_busiest(&ic), -ENOENT);
	put(49, "per_cpu_count", "0,0\n");

	/* since they were bound: 5 on CPU 0, 100 on CPU 1 */
	CHECK_EQ(irqcpu_busiest(&ic), 1);
	/* nothing since */
	CHECK_EQ(irqcpu_busiest(&ic), -1);
	/* moved: 45 more on CPU 0 over two ports, 10 on CPU 1 */
	irq(44, "evtchn:vif1.0-q0\n", "20,110\n");
	irq(45, "evtchn:vif1.0-q0\n", "30,0\n");
	CHECK_EQ(irqcpu_busiest(&ic), 0);
	/* a CPU more (hot-plugged): counted too */
	irq(47, "ahci,evtchn:vif1.0-q0\n", "0,0,7\n");
	CHECK_EQ(irqcpu_busiest(&ic), 2);
	/* a garbled count: an error, not a guess */
	irq(47, "ahci,evtchn:vif1.0-q0\n", "0,zero\n");
	CHECK_EQ(irqcpu_busiest(&ic), -EINVAL);

	/* the CPUs given (taskset, CPUAffinity=) bind the target */
	{
		cpu_set_t only0, both;

		CPU_ZERO(&only0);
		CPU_SET(0, &only0);
		CPU_ZERO(&both);
		CPU_SET(0, &both);
		CPU_SET(1, &both);
		irq(47, "ahci,evtchn:vif1.0-q0\n", "0,0\n");
		CHECK_EQ(irqcpu_busiest(&ic), -1);
		irq(44, "evtchn:vif1.0-q0\n", "20,150\n");
		CHECK_EQ(irqcpu_target(&ic, &only0), -1);
		irq(44, "evtchn:vif1.0-q0\n", "20,190\n");
		CHECK_EQ(irqcpu_target(&ic, &both), 1);
		irq(45, "evtchn:vif1.0-q0\n", "90,0\n");
		CHECK_EQ(irqcpu_target(&ic, &only0), 0);
		CHECK_EQ(irqcpu_target(&ic, &both), -1);	/* none since */
	}

	CHECK_EQ(irqcpu_find(&ic, "/nonexistent/irq", "evtchn:x"), -ENOENT);
	/* the first four only: a queue has one or two ports */
	for (i = 60; i < 66; i++)
		irq(i, "evtchn:vif2.0-q0\n", "1\n");
	CHECK_EQ(irqcpu_find(&ic, root, "evtchn:vif2.0-q0"), IRQCPU_MAX_IRQS);
}

int
main(void)
{
	char cmd[96];

	snprintf(root, sizeof(root), "%s/irqcpu.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_parse();
	test_follow();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return CHECK_DONE();
}
