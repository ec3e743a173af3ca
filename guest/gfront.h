/*
 * Guest side: act as a xenbus frontend from a Linux guest's userspace,
 * through /dev/xen/gntalloc (shared pages), /dev/xen/evtchn (ports) and
 * xenbus (xenstore). Test guests use it to play a protocol's frontend,
 * well-behaved or hostile, with the kernel's own frontend unbound.
 */
#ifndef XUD_GFRONT_H
#define XUD_GFRONT_H

#include <stddef.h>
#include <stdint.h>
#include <xenevtchn.h>

struct gfront;

int gfront_open(uint32_t backend_domid, struct gfront **out);
void gfront_close(struct gfront *f);
/* Shares count zeroed pages with the backend; refs[] receives the grants. */
int gfront_share(struct gfront *f, unsigned int count, uint32_t *refs,
		 void **addr);
/* Ends a share made by gfront_share (the backend must have unmapped). */
int gfront_unshare(struct gfront *f, void *addr);
/* Allocates an unbound port for the backend to bind to. */
int gfront_port(struct gfront *f, evtchn_port_t *port);
void gfront_unbind(struct gfront *f, evtchn_port_t port);
int gfront_notify(struct gfront *f, evtchn_port_t port);
/* Waits for any event up to timeout_ms; returns the port or -ETIMEDOUT. */
int gfront_wait(struct gfront *f, int timeout_ms);
/* Writes key=value under dir (the frontend's device directory). */
int gfront_write(struct gfront *f, const char *dir, const char *key,
		 const char *value);
/* Reads dir/key into buf (NUL-terminated); -ENOENT, -E2BIG. */
int gfront_read(struct gfront *f, const char *dir, const char *key,
		char *buf, size_t len);
/* Reads dir/key as an integer; -ENOENT if absent. */
int gfront_read_int(struct gfront *f, const char *dir, const char *key,
		    long *out);
/* Waits until dir/key reads as want, up to timeout_ms. */
int gfront_wait_int(struct gfront *f, const char *dir, const char *key,
		    long want, int timeout_ms);

#endif
