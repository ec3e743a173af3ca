/*
 * The summoning backend: what jitsud asks of a toolstack, and how the
 * answers come back. Small on purpose, so that another backend (libvirt)
 * is one more file:
 *
 *   create   a domain for a service: from its xl config file, or the
 *            existing domain of that name (found, and unpaused if need
 *            be); reports created(domid) or failed
 *   stop     destroy, shut down (the request sent), pause, or save to a
 *            file and destroy a domain; reports stopped
 *   unpause  a paused domain; reports created(domid) or failed. A
 *            backend without rename is asked to rename it here (a pool's
 *            domain takes the service's name); one with rename never is
 *   create_paused   a domain for a service's warm pool, under another
 *            name, left paused before it ever ran; reports pooled
 *   restore  a domain saved by stop, from its file and its xl config
 *            (the file is removed once restored); reports created(domid)
 *            or failed
 *   find, config_name   at once: which domain a running service has
 *            (they block: a round trip to libxl, or to libvirt)
 *   adopt    (optional) the adoption at the start, for a backend whose
 *            find and config_name would block the loop for long (a
 *            connection to another host, or one not up yet): work runs
 *            in the backend's own thread once the backend can reach its
 *            domains, where it may call find and config_name; it runs
 *            before any request made after adopt, and again on the next
 *            connection if the connection went while it ran. Then done
 *            runs from the event loop, in order with the reports (those
 *            of requests made after adopt come after it). Without adopt
 *            (libxl), the summoner calls find and config_name in the
 *            loop at the start.
 *   pool_step  (optional) run, pause again or destroy a pool's domain,
 *            for pool-boot; reports pooled
 *   rename   (optional) at once: a pool's domain takes the service's
 *            name, once the service is ready (the rename's xenstore
 *            transaction is kept off the summon's path)
 *
 * Every call returns at once (0, or -errno when it could not start) and
 * reports later through struct backend_reports, from the event loop,
 * never from inside the call. Readiness is not the backend's: the
 * summoner watches xenstore (or probes TCP).
 *
 * Two backends: libxl in this process (xl.c, the default), and libvirt
 * (virt.c, when configure found it), whose connection may reach another
 * host; there only the TCP probe can tell readiness, and the summoner
 * does not see the domains go away by themselves.
 */
#ifndef JITSUD_BACKEND_H
#define JITSUD_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lifecycle.h"

struct backend;
struct event_base;

/* What pool_step does to a pool's domain. */
enum pool_step { POOL_RUN, POOL_PAUSE, POOL_DESTROY };

struct backend_reports {
	void (*created)(void *arg, int svc, uint32_t domid);
	void (*failed)(void *arg, int svc, const char *why);
	void (*stopped)(void *arg, int svc, enum lc_action a, int err);
	/* create_paused's or pool_step's end: domid, or err != 0. */
	void (*pooled)(void *arg, int svc, int slot, uint32_t domid, int err);
};

/* adopt's work, in the backend's thread; and its end, from the loop. */
typedef void backend_adopt_fn(void *arg, struct backend *b);
typedef void backend_adopted_fn(void *arg);

struct backend_ops {
	int (*create)(struct backend *b, int svc, const char *xl_config,
	    const char *vm);
	int (*unpause)(struct backend *b, int svc, uint32_t domid,
	    const char *rename_to);
	int (*create_paused)(struct backend *b, int svc, int slot,
	    const char *xl_config, const char *name);
	/* save_file: only for LC_SAVE. */
	int (*stop)(struct backend *b, int svc, uint32_t domid,
	    enum lc_action a, const char *save_file);
	int (*restore)(struct backend *b, int svc, const char *xl_config,
	    const char *save_file);
	/* The domain called name, if it exists: for adoption. */
	int (*find)(struct backend *b, const char *name, uint32_t *domid,
	    bool *paused);
	/* The name an xl config gives its domain. */
	int (*config_name)(struct backend *b, const char *xl_config,
	    char *name, size_t len);
	void (*free)(struct backend *b);
	/* NULL when the backend cannot: pool domains never run then. */
	int (*pool_step)(struct backend *b, int svc, int slot, uint32_t domid,
	    enum pool_step step);
	int (*rename)(struct backend *b, uint32_t domid, const char *name);
	/* NULL: find and config_name are asked in the loop. */
	int (*adopt)(struct backend *b, backend_adopt_fn *work,
	    backend_adopted_fn *done, void *arg);
};

struct backend {
	const struct backend_ops *ops;
	const struct backend_reports *rep;
	void *arg;
	/* How long the last unpause took in the toolstack, in us (for the
	 * log: a warm-pool summon against its unpause). */
	uint64_t unpause_us;
};

/* The default backend: libxl in this process (xl.c). */
int backend_libxl_new(struct event_base *base,
    const struct backend_reports *rep, void *arg, struct backend **out);

/*
 * The libvirt backend (virt.c): a connection to uri (NULL: libvirt's
 * default), opened by its thread, which keeps trying while it cannot
 * (libvirtd not up yet): the start does not wait for it; remote: uri
 * reaches another host, where the save files are. Returns 0, or -errno
 * with a message in why.
 */
int backend_virt_new(struct event_base *base, const char *uri, bool remote,
    const struct backend_reports *rep, void *arg, struct backend **out,
    char *why, size_t len);

#endif
