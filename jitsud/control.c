/* jitsuctl's requests (see control.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "control.h"

/* The service named id, or DNS name (any case, a final dot or not). */
static int
find(const struct jc_conf *c, const char *name)
{
	size_t len = strlen(name);

	if (len > 1 && name[len - 1] == '.')
		len--;
	for (unsigned int i = 0; i < c->nservices; i++)
		if (strcmp(c->services[i].id, name) == 0)
			return (int)i;
	for (unsigned int i = 0; i < c->nservices; i++)
		if (strlen(c->services[i].name) == len &&
		    strncasecmp(c->services[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static void
status(FILE *f, const struct jc_conf *c, const struct jd_control_ops *ops)
{
	fprintf(f, "ok\n%-16s %-24s %-8s %5s %6s %10s %10s %8s\n", "SERVICE",
	    "NAME", "STATE", "DOMID", "BOOTS", "SUMMON-MS", "QUERIES",
	    "LIMITED");
	for (unsigned int i = 0; i < c->nservices; i++) {
		struct jd_svc_view v = { 0 };
		char domid[16] = "-";

		ops->view(ops->arg, (int)i, &v);
		if (v.has_domid)
			snprintf(domid, sizeof(domid), "%" PRIu32, v.domid);
		fprintf(f, "%-16s %-24s %-8s %5s %6" PRIu64 " %10" PRIu64
		    " %10" PRIu64 " %8" PRIu64 "\n", c->services[i].id,
		    c->services[i].name, v.state ? v.state : "?", domid,
		    v.boots, v.last_summon_ms, v.queries, v.limited);
	}
}

static void
start_stop(FILE *f, bool start, const char *name, const struct jc_conf *c,
    const struct jd_control_ops *ops)
{
	int i = find(c, name), r;
	const char *id;

	if (i < 0) {
		fprintf(f, "error: no service %s\n", name);
		return;
	}
	id = c->services[i].id;
	r = start ? ops->start(ops->arg, i) : ops->stop(ops->arg, i);
	if (r == 0)
		fprintf(f, "ok: service %s: %s\n", id, start ? "starting" :
		    "stopping");
	else if (r == -EALREADY)
		fprintf(f, "ok: service %s: %s already\n", id, start ?
		    "up or starting" : "not running");
	else if (r == -ENOTSUP)
		fprintf(f, "error: service %s has no domain to %s\n", id,
		    start ? "start" : "stop");
	else if (r == -EBUSY)
		fprintf(f, "error: service %s is starting: stop it once it "
		    "is up\n", id);
	else
		fprintf(f, "error: service %s: %s\n", id, strerror(-r));
}

void
jd_control(FILE *f, const char *req, const struct jc_conf *c,
    const struct jd_control_ops *ops)
{
	char verb[16], name[JC_NAME_MAX], extra[2];
	int n = sscanf(req, "%15s %255s %1s", verb, name, extra);

	if (n == 1 && strcmp(verb, "status") == 0)
		status(f, c, ops);
	else if (n == 2 && (strcmp(verb, "start") == 0 ||
	    strcmp(verb, "stop") == 0))
		start_stop(f, verb[2] == 'a', name, c, ops);
	else
		fprintf(f, "error: not a request: '%.64s' (status, start NAME, "
		    "stop NAME)\n", req);
}
