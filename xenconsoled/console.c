/*
 * One console's life: made for a domain's primary console (table.c) or
 * for a secondary (secondary.c), freed when its domain or device goes.
 * A console whose log the writers still hold waits as a zombie until
 * they let go (con_progress), so no queued byte is lost.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "console.h"
#include "logqueue.h"
#include "xstore.h"

struct console *
con_new(struct xcd *x, struct console *primary, uint32_t domid,
	const char *name, const char *uuid, unsigned int devid,
	const char *cname, const char *xspath)
{
	struct console *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->x = x;
	c->primary = primary ? primary : c;
	if (primary == NULL)
		domlog_init(&c->domlog, rl_now_ns());
	c->domid = domid;
	c->devid = devid;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->uuid, sizeof(c->uuid), "%s", uuid);
	snprintf(c->cname, sizeof(c->cname), "%s", cname);
	snprintf(c->label, sizeof(c->label), devid ? "console %s" :
	    "console", cname);
	snprintf(c->xspath, sizeof(c->xspath), "%s", xspath);
	c->sink.log.fd = -1;
	lf_init(&c->sink.fmt, x->set.timestamp == XCD_GUEST ||
	    x->set.timestamp == XCD_ALL ? x->set.timestamp_format + 1 :
	    LF_STAMP_NONE, x->set.replace_escape);
	if (con_pump_init(c) < 0) {
		con_pump_free(c);
		free(c);
		return NULL;
	}
	return c;
}

/*
 * Frees c once no writer needs it; until then it waits as a zombie. A
 * primary's secondaries are gone by now (sec_stop).
 */
void
con_free(struct console *c)
{
	struct xcd *x = c->x;

	ring_detach(c);
	pty_close(&c->pty);
	if (c->watch)
		xstore_unwatch(c->watch);
	c->watch = NULL;
	con_pump_free(c);
	if (c->domid < x->ncons && x->cons[c->domid] == c)
		x->cons[c->domid] = NULL;
	if (lq_free(c->sink.q, x->exiting) < 0) {
		if (!c->zombie) {
			c->zombie = 1;
			c->next_zombie = x->zombies;
			x->zombies = c;
		}
		return;
	}
	if (c->zombie) {
		struct console **pp;

		for (pp = &x->zombies; *pp; pp = &(*pp)->next_zombie)
			if (*pp == c) {
				*pp = c->next_zombie;
				break;
			}
	}
	logfile_close(&c->sink.log);
	free(c);
}

/* A writer made progress on this console's log (or failed). */
void
con_progress(struct console *c)
{
	if (c->zombie)
		con_free(c);
	else
		con_written(c);
}
