/*
 * The backend/vif tree, looked at again on each change under it: new
 * devices get a vif, devices whose nodes the toolstack removed lose
 * theirs (a vif normally goes through online=0 and Closed first; this
 * covers a forced removal, where no one waits for us). A change to a
 * served device's rate key is handed to its vif: this one watch on the
 * tree sees it, so a vif needs no watch of its own (a driver domain's
 * watches count against its xenstore quota).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "xstore.h"
#include "netbackd.h"
#include "scan.h"
#include "tap.h"
#include "vif.h"

/* Xen's DOMID_FIRST_RESERVED; devids as libxl numbers them. */
#define DOMID_LIMIT 0x7ff0u
#define DEVID_LIMIT 65536u

static int
parse_num(const char *s, unsigned long limit, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return *end || errno || *out >= limit ? -EINVAL : 0;
}

static struct vif *
find(struct nb *nb, unsigned long domid, unsigned long devid)
{
	for (struct vif *v = nb->vifs; v; v = v->next)
		if (v->domid == domid && v->devid == devid)
			return v;
	return NULL;
}

/* The kernel's netback probes every backend/vif device when loaded. */
static int
kernel_bound(unsigned long domid, unsigned long devid)
{
	char path[96];

	snprintf(path, sizeof(path),
	    "/sys/bus/xen-backend/devices/vif-%lu-%lu/driver", domid, devid);
	return access(path, F_OK) == 0;
}

static void
scan_dev(struct nb *nb, const char *dir, unsigned long domid,
	 const char *name)
{
	char be[192], key[224];
	unsigned long devid;
	uint64_t online;
	struct vif *v;
	int r;

	if (parse_num(name, DEVID_LIMIT, &devid) < 0)
		return;
	snprintf(be, sizeof(be), "%s/%lu", dir, devid);
	snprintf(key, sizeof(key), "%s/frontend", be);
	if (xstore_exists(nb->xs, XBT_NULL, key) != 1)
		return;		/* being built, or being taken down */
	if ((v = find(nb, domid, devid)) != NULL) {
		v->seen = 1;
		return;
	}
	/*
	 * online=0: the toolstack is taking it down. A vif freed at its
	 * Closed is not served again while its nodes wait for removal.
	 */
	snprintf(key, sizeof(key), "%s/online", be);
	if (xstore_read_uint(nb->xs, XBT_NULL, key, 1, &online) == 0 &&
	    online == 0)
		return;
	if (kernel_bound(domid, devid))
		return;
	if (nb->nvifs >= NB_MAX_VIFS) {
		if (!nb->full_said)
			log_warnx("serving %u vifs already; not serving %s "
			    "(nor others) until some go", nb->nvifs, be);
		nb->full_said = 1;
		return;
	}
	if ((r = vif_new(nb, (uint32_t)domid, (unsigned)devid, be)) < 0) {
		log_warnc(r, "cannot serve %s", be);
		return;
	}
	nb->vifs->seen = 1;
}

static void
rate_changed(struct nb *nb, const char *dir, const char *path)
{
	size_t n = strlen(path), tail = sizeof("/rate") - 1;
	char want[128];

	if (n < tail || strcmp(path + n - tail, "/rate") != 0)
		return;
	for (struct vif *v = nb->vifs; v; v = v->next) {
		snprintf(want, sizeof(want), "%s/%u/%u/rate", dir, v->domid,
		    v->devid);
		if (strcmp(path, want) == 0) {
			vif_rate_changed(v);
			return;
		}
	}
}

static void
on_change(struct xstore *xs, const char *path, void *arg)
{
	struct nb *nb = arg;
	char dir[64], sub[96];
	char **doms, **devs;
	unsigned nd, nv;
	unsigned long domid;
	struct vif *v, *next;

	for (v = nb->vifs; v; v = v->next)
		v->seen = 0;
	snprintf(dir, sizeof(dir), "/local/domain/%u/backend/vif", nb->self);
	if (xstore_ls(xs, XBT_NULL, dir, &doms, &nd) < 0)
		nd = 0, doms = NULL;
	for (unsigned i = 0; i < nd; i++) {
		if (parse_num(doms[i], DOMID_LIMIT, &domid) < 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%lu", dir, domid);
		if (xstore_ls(xs, XBT_NULL, sub, &devs, &nv) < 0)
			continue;
		for (unsigned j = 0; j < nv; j++)
			scan_dev(nb, sub, domid, devs[j]);
		free(devs);
	}
	free(doms);
	for (v = nb->vifs; v; v = next) {
		next = v->next;
		if (!v->seen)
			vif_free(v, 1);
	}
	if (nb->nvifs < NB_MAX_VIFS)
		nb->full_said = 0;
	rate_changed(nb, dir, path);
}

/*
 * TAP devices are persistent (tap.h): one whose vif went away while no
 * netbackd ran is ours to remove. Only TAPs named as ours, and only at
 * the start, once the devices that exist have their vifs.
 */
static void
sweep(struct nb *nb)
{
	DIR *dir = opendir("/sys/class/net");
	struct dirent *e;

	if (dir == NULL)
		return;
	while ((e = readdir(dir)) != NULL) {
		unsigned domid, devid;
		char path[300], tail;
		int r;

		if (sscanf(e->d_name, "vif%u.%u%c", &domid, &devid,
		    &tail) != 2 || find(nb, domid, devid))
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags",
		    e->d_name);
		if (access(path, F_OK) != 0)
			continue;	/* the kernel netback's, or not a TAP */
		if ((r = tap_drop(e->d_name)) < 0)
			log_warnc(r, "cannot remove %s, left by a previous "
			    "netbackd", e->d_name);
		else
			log_info("removed %s, whose vif went while netbackd "
			    "was not running", e->d_name);
	}
	closedir(dir);
}

int
scan_start(struct nb *nb)
{
	char dir[96];
	int r;

	snprintf(dir, sizeof(dir), "/local/domain/%u/backend/vif", nb->self);
	if ((r = xstore_watch(nb->xs, dir, on_change, nb, &nb->w)) < 0)
		return r;
	on_change(nb->xs, dir, nb);
	sweep(nb);
	return 0;
}

void
scan_stop(struct nb *nb)
{
	xstore_unwatch(nb->w);
	nb->w = NULL;
	while (nb->vifs)
		vif_free(nb->vifs, 0);
}
