/*
 * One vif backend, backend/vif/<domid>/<devid> of our domain, through
 * lib/xenbus_be: features and the TAP before InitWait (the hotplug
 * script that the toolstack runs then needs the device to exist), the
 * queue on connect, nothing of the toolstack's ever deleted. The vif
 * list lives here; its entries are linked by vif_new and unlinked when
 * freed, whether by the caller or because the toolstack removed them.
 */
#ifndef NETBACKD_VIF_H
#define NETBACKD_VIF_H

#include <net/if.h>
#include <stdint.h>

#include "counters.h"
#include "netbackd.h"
#include "spoof.h"

struct event;
struct nb;
struct nb_dom;
struct queue;
struct xbe_dev;

struct vif {
	struct nb *nb;
	struct vif *next;
	struct nb_dom *dom;
	uint32_t domid;
	unsigned devid;
	char name[IFNAMSIZ];	/* vif<domid>.<devid> */
	char *be_path;
	struct xbe_dev *be;
	int tap_fd;		/* queue 0's; the device's while unconnected */
	/* while connected: nq queues, each with its own fd on the TAP
	   (a multi-queue device: the kernel steers flows to them) */
	unsigned nq;
	struct queue *q[NB_MAX_QUEUES];
	int qtap[NB_MAX_QUEUES];	/* [0] is tap_fd */
	/* queues a frontend may take: ours, or what an earlier netbackd
	   offered it (vif_features) */
	unsigned offered;
	struct event *fail_ev;
	int said_hostile;
	struct nb_counters c;	/* connects and hostile */
	struct nb_counters qc[NB_MAX_QUEUES];	/* the rest, per queue */
	struct spoof spoof;	/* from the backend's mac and ip */
	/* the rate key's limit in force (0 bytes: none): at connect and
	   live; each queue keeps a credit of its own at it */
	uint64_t rate_bytes, rate_usec;
	int said_rate;		/* warned of a rate that does not parse */
	int seen;		/* the scan's mark */
};

/* Starts serving be_path; 0 or -errno (nothing linked then). */
int vif_new(struct nb *nb, uint32_t domid, unsigned devid,
	    const char *be_path);
/*
 * Unlinks and frees: disconnects, closes the TAP, and removes it when
 * the device is gone (not when netbackd stops: a restarted netbackd
 * takes the TAP over as the hotplug script left it).
 */
void vif_free(struct vif *v, int gone);
int vif_state(const struct vif *v);
/*
 * Its backend's rate key changed (or may have): a connected vif hands
 * the new limit to its queues' threads, which apply it at once; one that does not parse
 * keeps the old, with one warning while it stays so.
 */
void vif_rate_changed(struct vif *v);

#endif
