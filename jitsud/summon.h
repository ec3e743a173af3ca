/*
 * The summoner: each service's life (lifecycle.c) carried out with a
 * backend (backend.h), readiness watched in xenstore, the server told
 * when a service is up or down, and the services' domains followed as
 * they go away. The server reaches it through summon_hook().
 */
#ifndef JITSUD_SUMMON_H
#define JITSUD_SUMMON_H

#include <stdio.h>

#include "backend.h"
#include "lifecycle.h"
#include "domains.h"
#include "server.h"
#include "settings.h"

struct summoner;
struct xstore;

/*
 * The summoner for c's services, with the backend make_backend gives
 * (backend_libxl_new, or a test's) and readiness keys watched in xs.
 */
typedef int backend_new_fn(struct event_base *base,
    const struct backend_reports *rep, void *arg, struct backend **out);
int summon_new(struct event_base *base, struct xstore *xs,
    const struct jc_conf *c, backend_new_fn *make_backend,
    struct summoner **out);
const struct jd_summon *summon_hook(struct summoner *sm);
/*
 * Who is told each service's state: the server (tell calls
 * jd_server_service_state), or the DNS process in privilege separation
 * (ps_state), with whether the service holds one of max-running's
 * places (starting, up or stopping). Then running domains of the services are adopted rather
 * than booted again: at once, or, with a backend's adopt (libvirt), once
 * it has run in the backend's thread.
 */
typedef void summon_tell_fn(void *arg, int svc, enum jd_svc_state st,
    bool running);
void summon_attach(struct summoner *sm, summon_tell_fn *tell, void *arg);
void summon_free(struct summoner *sm);
/*
 * jitsuctl's start and stop, past the limits: 0, -ENOTSUP (a name with no
 * domain), -EALREADY (up or starting; not running), -EBUSY (stop while
 * it starts). Stop uses the service's stop mode, as when it idles.
 */
int summon_start(struct summoner *sm, int svc);
int summon_stop(struct summoner *sm, int svc);
/* Service svc's life; NULL for a name with no domain. */
const struct lc_svc *summon_svc(const struct summoner *sm, int svc);
void summon_status(FILE *f, struct summoner *sm);
/* The domain tracker's view (the skeleton's dom_ops). */
void summon_dom_changed(struct summoner *sm, const struct dom_info *d);
void summon_dom_removed(struct summoner *sm, const struct dom_info *d);

#endif
