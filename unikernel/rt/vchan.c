/*
 * Setting up the client: the nodes, the event channel, the shared page,
 * then the ring pages it lists. Each granted page is mapped over a page
 * of ours from page_alloc (gnttab_map), given back when unmapped.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "evtchn.h"
#include "fmt.h"
#include "num.h"
#include "page.h"
#include "vchan.h"
#include "xs_client.h"

/* A node under path as a number in 1..max: -ENOENT, -EPROTO. */
static int
vchan_node(const char *path, const char *key, uint32_t max, uint32_t *out)
{
	char node[160], val[16];
	int r;

	if (fmt_snprintf(node, sizeof(node), "%s/%s", path, key) >=
	    (int)sizeof(node))
		return -ENAMETOOLONG;
	r = xs_read(0, node, val, sizeof(val));
	if (r == -ERANGE)
		return -EPROTO;
	if (r < 0)
		return r;
	if (num_parse_u32(val, max, out) < 0 || *out == 0)
		return -EPROTO;
	return 0;
}

/* Maps one granted page at a fresh page of ours. */
static int
vchan_map(struct vchan *v, grant_ref_t ref, int readonly, uint8_t **va,
	  grant_handle_t *handle)
{
	uint8_t *p = page_alloc();
	int r;

	if (p == NULL)
		return -ENOMEM;
	r = gnttab_map(v->server, ref, p, readonly, handle);
	if (r < 0) {
		page_free(p);
		return r;
	}
	*va = p;
	return 0;
}

static void
vchan_unmap(uint8_t *va, grant_handle_t handle)
{
	/* A page Xen would not unmap stays out of the allocator. */
	if (gnttab_unmap(va, handle) == 0)
		page_free(va);
}

static void
vchan_on_event(evtchn_port_t port, void *arg)
{
	struct vchan *v = arg;

	v->event = 1;
}

/* One ring's buffer: in the shared page, or its granted pages. */
static int
vchan_buf(struct vchan *v, unsigned order, unsigned npages, int readonly,
	  struct vchan_buf *b)
{
	b->size = 1u << order;
	if (npages == 0) {
		b->pages = &v->page;
		b->base = vchan_layout_offset(order);
		return 0;
	}
	b->pages = &v->pages[v->nmapped];
	b->base = 0;
	for (unsigned i = 0; i < npages; i++) {
		int r = vchan_map(v, v->layout.refs[v->nmapped], readonly,
				  &v->pages[v->nmapped],
				  &v->handles[v->nmapped]);

		if (r < 0)
			return r;
		v->nmapped++;
	}
	return 0;
}

static void
vchan_release(struct vchan *v)
{
	while (v->nmapped > 0) {
		v->nmapped--;
		vchan_unmap(v->pages[v->nmapped], v->handles[v->nmapped]);
	}
	if (v->page) {
		vchan_unmap(v->page, v->page_handle);
		v->page = NULL;
	}
	if (v->bound) {
		ev_unregister(v->port);
		ev_close(v->port);
		v->bound = 0;
	}
}

int
vchan_open(struct vchan *v, domid_t server, const char *path)
{
	struct vchan_buf w, rd;
	uint32_t ref, remote;
	int r;

	memset(v, 0, sizeof(*v));
	v->server = server;
	if ((r = vchan_node(path, "ring-ref", UINT32_MAX, &ref)) < 0 ||
	    (r = vchan_node(path, "event-channel", UINT32_MAX, &remote)) < 0)
		return r;
	if ((r = ev_bind_interdomain(server, remote, &v->port)) < 0)
		return r;
	v->bound = 1;
	if ((r = ev_register(v->port, vchan_on_event, v)) < 0) {
		ev_close(v->port);
		v->bound = 0;
		return r;
	}
	if ((r = vchan_map(v, ref, 0, &v->page, &v->page_handle)) < 0)
		goto fail;
	if ((r = vchan_layout_read((struct vchan_interface *)v->page,
				   &v->layout)) < 0 ||
	    (r = vchan_buf(v, v->layout.worder, v->layout.wpages, 0, &w)) < 0 ||
	    (r = vchan_buf(v, v->layout.rorder, v->layout.rpages, 1, &rd)) < 0)
		goto fail;
	vchan_ring_init(&v->ring, (struct vchan_interface *)v->page, &w, &rd);
	vchan_ring_connect(&v->ring);
	ev_send(v->port);
	return 0;
fail:
	vchan_release(v);
	return r;
}

void
vchan_close(struct vchan *v)
{
	if (v->page) {
		vchan_ring_disconnect(&v->ring);
		ev_send(v->port);
	}
	vchan_release(v);
}

static int
vchan_has_event(void *arg)
{
	struct vchan *v = arg;

	return v->event;
}

/*
 * Waits for the server after asking it for an event: want() looked again
 * after asking, so an event can only be missed if nothing changed.
 */
static int
vchan_wait(struct vchan *v, int (*want)(struct vchan_ring *),
	   uint64_t deadline)
{
	int n;

	v->event = 0;
	n = want(&v->ring);
	if (n != 0)
		return n < 0 ? n : 0;
	if (!vchan_ring_server_live(&v->ring))
		return -EPIPE;
	return tm_wait(vchan_has_event, v, deadline);
}

int
vchan_read_full(struct vchan *v, void *buf, size_t n, uint64_t deadline)
{
	size_t got = 0;

	while (got < n) {
		int notify, k = vchan_ring_read(&v->ring, (uint8_t *)buf + got,
						n - got, &notify);

		if (k < 0)
			return k;
		if (notify)
			ev_send(v->port);
		got += (size_t)k;
		if (got < n && k == 0) {
			int r = vchan_wait(v, vchan_ring_want_data, deadline);

			if (r < 0)
				return r;
		}
	}
	return 0;
}

int
vchan_write_all(struct vchan *v, const void *buf, size_t n,
		uint64_t deadline)
{
	size_t put = 0;

	while (put < n) {
		int notify, k;

		if (!vchan_ring_server_live(&v->ring))
			return -EPIPE;
		k = vchan_ring_write(&v->ring, (const uint8_t *)buf + put,
				     n - put, &notify);
		if (k < 0)
			return k;
		if (notify)
			ev_send(v->port);
		put += (size_t)k;
		if (put < n && k == 0) {
			int r = vchan_wait(v, vchan_ring_want_space, deadline);

			if (r < 0)
				return r;
		}
	}
	return 0;
}
