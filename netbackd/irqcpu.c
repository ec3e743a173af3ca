/* Where a queue's interrupts arrive: /sys/kernel/irq, read. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irqcpu.h"

int
irqcpu_parse(const char *s, uint64_t *counts, unsigned max)
{
	unsigned n = 0;

	for (;;) {
		char *end;
		unsigned long long v;

		if (*s < '0' || *s > '9' || n == max)
			return -EINVAL;
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno)
			return -EINVAL;
		counts[n++] = v;
		if (*end == '\n' && end[1] == '\0')
			return (int)n;
		if (*end == '\0')
			return (int)n;
		if (*end != ',')
			return -EINVAL;
		s = end + 1;
	}
}

/* A small sysfs file DIR/IRQ/LEAF into BUF: its length, or -errno. */
static ssize_t
slurp(const char *dir, const char *irq, const char *leaf, char *buf,
      size_t size)
{
	char path[128];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", dir, irq,
	    leaf) >= sizeof(path))
		return -ENAMETOOLONG;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return n;
}

/* Whether the comma-separated list LINE holds exactly NAME. */
static int
has_action(const char *line, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = line; *p;) {
		size_t n = strcspn(p, ",\n");

		if (n == len && memcmp(p, name, len) == 0)
			return 1;
		p += n;
		p += *p != '\0';
	}
	return 0;
}

int
irqcpu_find(struct irqcpu *ic, const char *dir, const char *action)
{
	struct dirent *de;
	char buf[256];
	DIR *d;

	memset(ic, 0, sizeof(*ic));
	if ((size_t)snprintf(ic->dir, sizeof(ic->dir), "%s", dir) >=
	    sizeof(ic->dir))
		return -ENAMETOOLONG;
	if ((d = opendir(dir)) == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL && ic->nirq < IRQCPU_MAX_IRQS) {
		char *end;
		long irq = strtol(de->d_name, &end, 10);

		if (end == de->d_name || *end != '\0' || irq < 0)
			continue;
		if (slurp(dir, de->d_name, "actions", buf, sizeof(buf)) > 0 &&
		    has_action(buf, action))
			ic->irq[ic->nirq++] = (int)irq;
	}
	closedir(d);
	return (int)ic->nirq;
}

int
irqcpu_busiest(struct irqcpu *ic)
{
	uint64_t now[IRQCPU_MAX_CPUS] = { 0 }, one[IRQCPU_MAX_CPUS];
	uint64_t most = 0;
	int best = -1, ncpu = 0;
	char buf[IRQCPU_MAX_CPUS * 21], name[16];

	if (ic->nirq == 0)
		return -ENOENT;
	for (unsigned i = 0; i < ic->nirq; i++) {
		ssize_t r;
		int n;

		snprintf(name, sizeof(name), "%d", ic->irq[i]);
		if ((r = slurp(ic->dir, name, "per_cpu_count", buf,
		    sizeof(buf))) < 0)
			return (int)r;
		if ((n = irqcpu_parse(buf, one, IRQCPU_MAX_CPUS)) < 0)
			return n;
		for (int c = 0; c < n; c++)
			now[c] += one[c];
		if (n > ncpu)
			ncpu = n;
	}
	for (int c = 0; c < ncpu; c++) {
		/* (a count that went back: the port was bound anew) */
		uint64_t d = now[c] >= ic->seen[c] ? now[c] - ic->seen[c] :
		    now[c];

		if (d > most)
			most = d, best = c;
		ic->seen[c] = now[c];
	}
	return best;
}

int
irqcpu_target(struct irqcpu *ic, const cpu_set_t *allowed)
{
	int cpu = irqcpu_busiest(ic);

	if (cpu < 0)
		return cpu;
	return cpu < CPU_SETSIZE && CPU_ISSET(cpu, allowed) ? cpu : -1;
}
