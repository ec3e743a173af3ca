/*
 * Domain tracking: a table of live domains fed by @introduceDomain and
 * @releaseDomain, read in batches with xc_domain_getinfolist. The table
 * and its diff (dom_table_apply) are free of I/O for unit tests; the
 * tracker is the thin Xen layer around them.
 *
 * A domain joins the table once its name is in xenstore, so callbacks
 * always see a name. xenstored fires @releaseDomain when a domain shuts
 * down (or crashes) and when it starts to die, not when it is finally
 * gone (it may stay dying while another domain maps its pages). Pausing
 * and unpausing fire nothing: while any domain is paused (xl creates
 * domains paused) or dying, the tracker rescans every DOM_POLL_RESCAN_MS
 * so the table stays true.
 */
#ifndef XUD_DOMAINS_H
#define XUD_DOMAINS_H

#include <stddef.h>
#include <stdint.h>

enum dom_state { DOM_RUNNING, DOM_PAUSED, DOM_SHUTDOWN, DOM_CRASHED,
		 DOM_DYING };

#define DOM_NAME_MAX 64
#define DOM_POLL_RESCAN_MS 500

struct dom_info {
	uint32_t domid;
	enum dom_state state;
	unsigned int shutdown_reason;	/* SHUTDOWN_* when SHUTDOWN */
	char name[DOM_NAME_MAX];
	char uuid[37];
};

struct dom_ops {
	void (*added)(const struct dom_info *d, void *arg);
	/* State or name changed; old holds the previous values. */
	void (*changed)(const struct dom_info *d, const struct dom_info *old,
			void *arg);
	/* Called before the entry is dropped. */
	void (*removed)(const struct dom_info *d, void *arg);
};

const char *dom_state_name(enum dom_state s);
/* "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset". */
const char *dom_shutdown_reason_name(unsigned int reason);

/* The pure table. */
struct dom_table {
	struct dom_info *v;	/* sorted by domid */
	size_t n, cap;
};

void dom_table_init(struct dom_table *t);
void dom_table_free(struct dom_table *t);
const struct dom_info *dom_table_find(const struct dom_table *t,
				      uint32_t domid);
/*
 * Makes the table equal to snap (n entries, any order, no duplicates),
 * calling ops for each difference: removed, then changed, then added.
 * An entry in snap with an empty name keeps the table's known name.
 */
int dom_table_apply(struct dom_table *t, const struct dom_info *snap,
		    size_t n, const struct dom_ops *ops, void *arg);

/* The Xen layer. */
struct dom_tracker;
struct xstore;

int dom_tracker_new(struct xstore *xs, const struct dom_ops *ops, void *arg,
		    struct dom_tracker **out);
void dom_tracker_free(struct dom_tracker *dt);
int dom_tracker_rescan(struct dom_tracker *dt);
const struct dom_info *dom_tracker_find(struct dom_tracker *dt,
					uint32_t domid);
const struct dom_table *dom_tracker_table(struct dom_tracker *dt);

#endif
