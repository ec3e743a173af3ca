/* Grant mapping, grant copy and foreign mapping with counted lifetimes. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "grant.h"

struct gnt {
	xengnttab_handle *gt;
	xenforeignmemory_handle *fm;
	unsigned int mapped;
};

int
gnt_open(int want_foreign, struct gnt **out)
{
	struct gnt *g;
	int err;

	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return -ENOMEM;
	g->gt = xengnttab_open(NULL, 0);
	if (g->gt == NULL)
		goto fail;
	if (want_foreign) {
		g->fm = xenforeignmemory_open(NULL, 0);
		if (g->fm == NULL)
			goto fail;
	}
	*out = g;
	return 0;
fail:
	err = errno ? -errno : -ENOENT;
	gnt_close(g);
	return err;
}

void
gnt_close(struct gnt *g)
{
	if (g == NULL)
		return;
	if (g->gt)
		xengnttab_close(g->gt);
	if (g->fm)
		xenforeignmemory_close(g->fm);
	free(g);
}

xengnttab_handle *
gnt_handle(struct gnt *g)
{
	return g->gt;
}

int
gnt_map(struct gnt *g, uint32_t domid, const uint32_t *refs, uint32_t count,
	int prot, void **addr)
{
	void *p;

	if (count == 0)
		return -EINVAL;
	if (count == 1)
		p = xengnttab_map_grant_ref(g->gt, domid, refs[0], prot);
	else
		p = xengnttab_map_domain_grant_refs(g->gt, count, domid,
		    (uint32_t *)refs, prot);
	if (p == NULL)
		return errno ? -errno : -EFAULT;
	g->mapped += count;
	*addr = p;
	return 0;
}

int
gnt_unmap(struct gnt *g, void *addr, uint32_t count)
{
	if (addr == NULL)
		return 0;
	if (xengnttab_unmap(g->gt, addr, count) < 0)
		return -errno;
	g->mapped -= count;
	return 0;
}

int
gnt_copy(struct gnt *g, xengnttab_grant_copy_segment_t *segs, uint32_t count)
{
	if (count == 0)
		return 0;
	return xengnttab_grant_copy(g->gt, count, segs) < 0 ? -errno : 0;
}

int
gnt_foreign_map(struct gnt *g, uint32_t domid, xen_pfn_t gfn, int prot,
		void **addr)
{
	void *p;
	int err = 0;

	if (g->fm == NULL)
		return -ENOTSUP;
	p = xenforeignmemory_map(g->fm, domid, prot, 1, &gfn, &err);
	if (p == NULL)
		return errno ? -errno : -EFAULT;
	if (err) {
		xenforeignmemory_unmap(g->fm, p, 1);
		return err < 0 ? err : -err;
	}
	g->mapped++;
	*addr = p;
	return 0;
}

int
gnt_foreign_unmap(struct gnt *g, void *addr, uint32_t pages)
{
	if (addr == NULL)
		return 0;
	if (xenforeignmemory_unmap(g->fm, addr, pages) < 0)
		return -errno;
	g->mapped -= pages;
	return 0;
}

unsigned int
gnt_mapped(const struct gnt *g)
{
	return g->mapped;
}
