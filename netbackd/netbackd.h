/* netbackd's state, shared by its files (no globals through extern). */
#ifndef NETBACKD_H
#define NETBACKD_H

#include <stdint.h>

#include "settings.h"

struct event_base;
struct evtchn;
struct gnt;
struct xstore;
struct xstore_watch;
struct vif;
struct nb_dom;

/* Vifs served at once: more are refused (and logged) until some go. */
#define NB_MAX_VIFS 1024
/* Queues a vif may have (multi-queue-max-queues offers fewer when we
   have fewer CPUs: more queues than CPUs buy nothing). */
#define NB_MAX_QUEUES 4
#define NB_MAX_QUEUES_S "4"	/* the same, for strings */

struct nb {
	struct xstore *xs;
	struct event_base *base;
	/* opened at start to fail there when the devices are missing;
	   each queue's thread opens handles of its own (queue.c) */
	struct gnt *gnt;
	struct evtchn *ev;
	struct nb_settings set;	/* the config file's, the command line's */
	uint32_t self;		/* our domid: we serve its backend/vif */
	unsigned max_queues;	/* offered to frontends, 1 .. NB_MAX_QUEUES */
	struct xstore_watch *w;
	struct vif *vifs;
	unsigned nvifs;
	struct nb_dom *doms;	/* per-domain log limiters */
	int full_said;
};

#endif
