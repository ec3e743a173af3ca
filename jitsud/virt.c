/*
 * The libvirt backend (see backend.h): the domains of a libvirt
 * connection (--connect URI), here or on another host through libvirt's
 * remote drivers (xen+ssh://host/system).
 *
 * libvirt's calls block, for a round trip to libvirtd or to the other
 * host. They run in one worker thread, one request at a time, in order,
 * from a bounded queue (VIRT_QUEUE; a call past it returns -EAGAIN);
 * each result goes back to the event loop through a pipe, and is
 * reported from there. find and config_name block, and are asked in the
 * worker too: the summoner's adoption at the start (backend.h's adopt)
 * runs there once the connection is up, before the requests made after
 * it, and its end is reported in order with theirs. A summon meanwhile
 * waits in the queue behind it, and its create then takes over the
 * domain found (below). So the start waits for neither libvirtd nor the
 * other host: the connection is opened by the worker too, and retried as
 * a reconnection while it cannot be.
 *
 * The connection can go (libvirtd restarted, the other host gone):
 * vconn.h says so at once; a call that fails on a connection found dead
 * says so too, and is made once more on a new connection (it never
 * reached a libvirtd). The worker then reconnects with a doubling delay
 * up to 5 s (vretry.h), and until it is back every request fails at
 * once, with the reason: a summon gets SERVFAIL, as for a failed boot,
 * rather than waiting. The loop logs the loss once, and the
 * reconnection.
 *
 * A service's config is its xl config, turned into domain XML by the
 * connection's driver (virConnectDomainXMLFromNative, "xen-xl"), or a
 * file of libvirt domain XML (it starts with '<'). An existing domain
 * (vm) may be running, paused, or defined and shut off: it is started.
 * A save file is libvirt's own format (virDomainSave), not libxl's nor
 * xl's, and lies on the host libvirtd runs on; its domain XML is inside,
 * so the restore does not read the service's config. A pool domain
 * keeps its pool name where the driver renames only inactive domains
 * (libxl's does): only adoption at a restart misses it then.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend.h"
#include "log.h"
#include "vconn.h"

/* Requests queued or being reported at once. */
#define VIRT_QUEUE 256
/* The most of a config file read. */
#define VIRT_CONFIG_MAX (64 * 1024)

enum vkind { V_CREATE, V_POOL, V_UNPAUSE, V_STOP, V_RESTORE };

struct vreq {
	enum vkind kind;
	int svc, slot;
	enum lc_action a;
	uint32_t domid;
	char name[256];		/* create: the vm; pool: the domain's name */
	char path[256];		/* the config, or the save file */
	char rename[256];	/* unpause: the name the domain takes */
	/* The worker's answer. */
	int err;		/* 0, or -1: a libvirt call failed */
	char why[200];
	uint64_t us;		/* unpause: how long libvirt took */
};

struct virt {
	struct backend b;
	bool remote;		/* paths are on another host */
	/* Its connection: the worker's (c.conn), under lock. */
	struct vconn c;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool quit;
	/* A ring: [head, done) answered, [done, tail) to do. */
	struct vreq *q;
	unsigned int head, done, tail;
	int pipe[2];
	struct event *ev;
	/* The adoption (backend.h): to run, under lock, until it has run on
	 * a connection that stayed up; ran: for the loop, after the report
	 * of request adopt_at. */
	backend_adopt_fn *adopt_work;
	backend_adopted_fn *adopt_done;
	void *adopt_arg;
	bool adopt_pending, adopt_ran;
	unsigned int adopt_at;
};

/* libvirt's last error in this thread, for a report. */
static void
why_failed(struct vreq *r, const char *what)
{
	r->err = -1;
	snprintf(r->why, sizeof(r->why), "%s: %s", what,
	    virGetLastErrorMessage());
}

/* The reports go to the caller: libvirt's own printing stays quiet. */
static void
quiet(void *arg, virErrorPtr e)
{
	(void)arg;
	(void)e;
}

/* --- domain XML ----------------------------------------------------------- */

/* The domain's name in its XML: the first <name>, that of <domain>. */
static int
xml_name(const char *xml, char *name, size_t len)
{
	const char *s = strstr(xml, "<name>"), *e;

	if (!s || !(e = strstr(s + 6, "</name>")) ||
	    (size_t)(e - s - 6) >= len || e == s + 6)
		return -ENOENT;
	memcpy(name, s + 6, (size_t)(e - s - 6));
	name[e - s - 6] = '\0';
	return 0;
}

/* xml with its domain name replaced by name (escaped); malloc'd. */
static char *
xml_rename(const char *xml, const char *name)
{
	const char *s = strstr(xml, "<name>"), *e;
	char esc[6 * 256 + 1], *out;
	size_t n = 0;

	if (!s || !(e = strstr(s, "</name>")))
		return NULL;
	for (const char *p = name; *p && n + 6 < sizeof(esc); p++) {
		const char *x = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" :
		    *p == '>' ? "&gt;" : NULL;

		if (x) {
			memcpy(esc + n, x, strlen(x));
			n += strlen(x);
		} else
			esc[n++] = *p;
	}
	esc[n] = '\0';
	if (asprintf(&out, "%.*s<name>%s%s", (int)(s - xml), xml, esc, e) < 0)
		return NULL;
	return out;
}

/*
 * A service's config file as domain XML (malloc'd), or NULL with why:
 * domain XML as it is, an xl config through the driver.
 */
static char *
config_xml(virConnectPtr conn, const char *path, char *why, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *text = malloc(VIRT_CONFIG_MAX + 1), *xml = NULL;
	const char *p;
	ssize_t n = -1;
	size_t got = 0;

	if (fd >= 0 && text)
		while (got < VIRT_CONFIG_MAX && (n = read(fd, text + got,
		    VIRT_CONFIG_MAX - got)) > 0)
			got += (size_t)n;
	if (fd >= 0)
		close(fd);
	if (!text || fd < 0 || n < 0 || got == VIRT_CONFIG_MAX) {
		snprintf(why, len, "%.100s: %s", path, !text ? "out of memory" :
		    got == VIRT_CONFIG_MAX ? "larger than 64 KiB" :
		    strerror(errno));
		free(text);
		return NULL;
	}
	text[got] = '\0';
	for (p = text; *p == ' ' || *p == '\t' || *p == '\n'; p++)
		;
	if (*p == '<')
		return text;
	if (!(xml = virConnectDomainXMLFromNative(conn, "xen-xl", text, 0)))
		snprintf(why, len, "%.100s: not an xl config for libvirt: %s",
		    path, virGetLastErrorMessage());
	free(text);
	return xml;
}

/* A byte for the loop: reports, or notes, to read. (A full pipe already
 * has its attention.) */
static void
poke(struct virt *v)
{
	ssize_t n = write(v->pipe[1], "", 1);

	(void)n;
}

/* --- the worker: one request at a time, blocking -------------------------- */

/* The running domain's id: a fresh look-up (a virDomainPtr keeps the id
 * it was found with, -1 while it was shut off). */
static int
domid_of(struct virt *v, virDomainPtr d, uint32_t *domid)
{
	unsigned char uuid[VIR_UUID_BUFLEN];
	virDomainPtr f;
	unsigned int id;

	if (virDomainGetUUID(d, uuid) < 0 ||
	    !(f = virDomainLookupByUUID(v->c.conn, uuid)))
		return -1;
	id = virDomainGetID(f);
	virDomainFree(f);
	if (id == (unsigned int)-1)
		return -1;
	*domid = id;
	return 0;
}

/*
 * A domain from xml, running or paused. A driver that cannot start one
 * paused (the test driver) gets it paused right after it starts: it
 * runs for an instant.
 */
static virDomainPtr
create_xml(struct virt *v, const char *xml, bool paused)
{
	virDomainPtr d = virDomainCreateXML(v->c.conn, xml, paused ?
	    VIR_DOMAIN_START_PAUSED : 0);

	if (d || !paused || virGetLastErrorCode() != VIR_ERR_INVALID_ARG)
		return d;
	if ((d = virDomainCreateXML(v->c.conn, xml, 0)) &&
	    virDomainSuspend(d) < 0) {
		virDomainDestroy(d);
		virDomainFree(d);
		return NULL;
	}
	return d;
}

/*
 * The domain xml names, if it is there and running (if paused, it is
 * unpaused): the service's, whose stop failed while libvirt was away;
 * taken as it is, as a restart adopts it, not left running beside a
 * create that fails on its name.
 */
static virDomainPtr
running(struct virt *v, const char *xml)
{
	char name[256];
	virDomainPtr d;
	int st, reason;

	if (xml_name(xml, name, sizeof(name)) < 0 ||
	    !(d = virDomainLookupByName(v->c.conn, name)))
		return NULL;
	if (virDomainGetState(d, &st, &reason, 0) == 0 &&
	    (st == VIR_DOMAIN_RUNNING || st == VIR_DOMAIN_BLOCKED ||
	    (st == VIR_DOMAIN_PAUSED && virDomainResume(d) == 0)))
		return d;
	virDomainFree(d);
	return NULL;
}

static void
do_create(struct virt *v, struct vreq *r)
{
	virDomainPtr d = NULL;
	char *xml, *named;
	int st, reason;

	if (r->kind == V_CREATE && r->name[0]) {
		/* An existing domain: started, or unpaused, if need be. */
		if (!(d = virDomainLookupByName(v->c.conn, r->name))) {
			snprintf(r->why, sizeof(r->why), "no domain named %.100s",
			    r->name);
			r->err = -1;
			return;
		}
		if (virDomainGetState(d, &st, &reason, 0) < 0)
			why_failed(r, "state");
		else if (st == VIR_DOMAIN_PAUSED && virDomainResume(d) < 0)
			why_failed(r, "unpause");
		else if (st != VIR_DOMAIN_PAUSED && !virDomainIsActive(d) &&
		    virDomainCreate(d) < 0)
			why_failed(r, "start");
	} else if (!(xml = config_xml(v->c.conn, r->path, r->why,
	    sizeof(r->why)))) {
		r->err = -1;
		return;
	} else {
		named = r->kind == V_POOL ? xml_rename(xml, r->name) : NULL;
		if (r->kind == V_POOL && !named)
			snprintf(r->why, sizeof(r->why), "%.100s: no <name>",
			    r->path), r->err = -1;
		else if (r->kind == V_CREATE && (d = running(v, xml)))
			;
		else if (!(d = create_xml(v, named ? named : xml,
		    r->kind == V_POOL)))
			why_failed(r, "create");
		free(named);
		free(xml);
	}
	if (!r->err && domid_of(v, d, &r->domid) < 0)
		why_failed(r, "its domain id");
	if (d)
		virDomainFree(d);
}

static void
do_unpause(struct virt *v, struct vreq *r)
{
	virDomainPtr d = virDomainLookupByID(v->c.conn, (int)r->domid);
	struct timespec t0, t1;

	if (!d) {
		why_failed(r, "unpause");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (virDomainResume(d) < 0)
		why_failed(r, "unpause");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->us = (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000);
	/* Only the name is lost when this fails: adoption at a restart. */
	if (!r->err && r->rename[0])
		virDomainRename(d, r->rename, 0);
	virDomainFree(d);
}

static void
do_stop(struct virt *v, struct vreq *r)
{
	virDomainPtr d = virDomainLookupByID(v->c.conn, (int)r->domid);
	int rc;

	if (!d) {
		/* Gone already: what a destroy wants (libvirt destroys a
		 * domain that powers off, before our destroy of it). */
		if (r->a == LC_DESTROY &&
		    virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
			return;
		why_failed(r, "no such domain");
		return;
	}
	switch (r->a) {
	case LC_PAUSE:
		rc = virDomainSuspend(d);
		break;
	case LC_SHUTDOWN:
		rc = virDomainShutdown(d);
		break;
	case LC_SAVE:
		/* Saved, the domain is gone; else it goes, with nothing to
		 * restore from: a plain destroy, reported so. */
		if ((rc = virDomainSave(d, r->path)) == 0)
			break;
		why_failed(r, "save");
		r->a = LC_DESTROY;
		virDomainDestroy(d);
		virDomainFree(d);
		return;
	default:
		r->a = LC_DESTROY;
		rc = virDomainDestroy(d);
		break;
	}
	if (rc < 0)
		why_failed(r, "stop");
	virDomainFree(d);
}

static void
do_restore(struct virt *v, struct vreq *r)
{
	char *xml = virDomainSaveImageGetXMLDesc(v->c.conn, r->path, 0);
	char name[256];
	virDomainPtr d;

	if (!xml || xml_name(xml, name, sizeof(name)) < 0) {
		free(xml);
		why_failed(r, "the save file's domain");
		return;
	}
	free(xml);
	if (virDomainRestore(v->c.conn, r->path) < 0) {
		why_failed(r, "restore");
		return;
	}
	/* Restored once: the image is spent (where we can reach it). */
	if (!v->remote)
		unlink(r->path);
	if (!(d = virDomainLookupByName(v->c.conn, name))) {
		why_failed(r, "the restored domain");
		return;
	}
	if (domid_of(v, d, &r->domid) < 0)
		why_failed(r, "its domain id");
	virDomainFree(d);
}

static void
dispatch(struct virt *v, struct vreq *r)
{
	switch (r->kind) {
	case V_CREATE:
	case V_POOL:
		do_create(v, r);
		break;
	case V_UNPAUSE:
		do_unpause(v, r);
		break;
	case V_STOP:
		do_stop(v, r);
		break;
	case V_RESTORE:
		do_restore(v, r);
		break;
	}
}

/* r, on the connection if it is up; once more on a new one when it
 * failed because the connection had gone. */
static void
run(struct virt *v, struct vreq *r)
{
	struct vreq asked = *r;

	if (!v->c.conn) {
		r->err = -1;
		snprintf(r->why, sizeof(r->why), "no connection to libvirt "
		    "(%.100s), reconnecting", vconn_name(&v->c));
		return;
	}
	dispatch(v, r);
	if (!r->err || virConnectIsAlive(v->c.conn) != 0)
		return;
	vconn_drop(&v->c, r->why);
	if (vconn_reconnect(&v->c) == 0) {
		*r = asked;
		dispatch(v, r);
	}
}

/* Under lock: the adoption is to run, and can. */
static bool
adopt_due(const struct virt *v)
{
	return v->adopt_pending && v->c.conn;
}

/* The adoption's work: done, unless the connection went while it ran
 * (what it found may be partial); then again on the next one. */
static bool
run_adopt(struct virt *v)
{
	char why[200];

	v->adopt_work(v->adopt_arg, &v->b);
	if (virConnectIsAlive(v->c.conn) == 1)
		return true;
	snprintf(why, sizeof(why), "lost during the adoption: %s",
	    virGetLastErrorMessage());
	vconn_drop(&v->c, why);
	return false;
}

static void *
worker(void *arg)
{
	struct virt *v = arg;
	struct vreq *r;
	bool lost, adopt, adopted;

	pthread_mutex_lock(&v->lock);
	for (;;) {
		while (!v->quit && v->done == v->tail && !v->c.lost &&
		    !vconn_due(&v->c) && !adopt_due(v))
			vconn_wait(&v->c);
		if (v->quit)
			break;
		lost = v->c.lost;
		pthread_mutex_unlock(&v->lock);
		if (lost)
			vconn_drop(&v->c, NULL);
		if (vconn_due(&v->c))
			vconn_reconnect(&v->c);
		pthread_mutex_lock(&v->lock);
		/* the adoption first: before the requests made after it */
		adopt = adopt_due(v);
		r = !adopt && v->done != v->tail ?
		    &v->q[v->done % VIRT_QUEUE] : NULL;
		pthread_mutex_unlock(&v->lock);
		adopted = adopt && run_adopt(v);
		if (r)
			run(v, r);
		pthread_mutex_lock(&v->lock);
		if (adopted) {
			v->adopt_pending = false;
			v->adopt_ran = true;
			v->adopt_at = v->done;
		}
		/* the loop's news: a report, the adoption, the connection
		 * lost or up */
		if (r || lost || adopted || v->c.note_lost || v->c.note_up)
			poke(v);
		if (r)
			v->done++;
	}
	pthread_mutex_unlock(&v->lock);
	return NULL;
}

/* --- the loop's side ------------------------------------------------------ */

static void
report(struct virt *v, const struct vreq *r)
{
	const struct backend_reports *rep = v->b.rep;

	switch (r->kind) {
	case V_POOL:
		if (r->err)
			log_warnx("libvirt: %s", r->why);
		rep->pooled(v->b.arg, r->svc, r->slot, r->domid, r->err);
		break;
	case V_STOP:
		/* The report carries no reason: said here. */
		if (r->err)
			log_warnx("libvirt: %s", r->why);
		rep->stopped(v->b.arg, r->svc, r->a, r->err);
		break;
	default:
		if (r->kind == V_UNPAUSE)
			v->b.unpause_us = r->us;
		if (r->err)
			rep->failed(v->b.arg, r->svc, r->why);
		else
			rep->created(v->b.arg, r->svc, r->domid);
		break;
	}
}

static void
on_done(evutil_socket_t fd, short what, void *arg)
{
	struct virt *v = arg;
	char buf[64], why[sizeof(v->c.lost_why)];
	unsigned int done, up, at;
	bool lost, never, first, adopted;

	(void)what;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&v->lock);
	done = v->done;
	lost = v->c.note_lost;
	never = v->c.note_never;
	up = v->c.note_up;
	first = v->c.note_first;
	snprintf(why, sizeof(why), "%s", v->c.lost_why);
	v->c.note_lost = false;
	v->c.note_up = 0;
	adopted = v->adopt_ran;
	at = v->adopt_at;
	v->adopt_ran = false;
	pthread_mutex_unlock(&v->lock);
	if (lost && never)
		log_warnx("libvirt: cannot connect to %s (%s): summons fail "
		    "until it is up; retrying", vconn_name(&v->c), why);
	else if (lost)
		log_warnx("libvirt: the connection to %s is lost (%s): summons "
		    "fail until it is back; reconnecting", vconn_name(&v->c),
		    why);
	if (up && first)
		log_info("libvirt: connected to %s (attempt %u)",
		    vconn_name(&v->c), up);
	else if (up)
		log_info("libvirt: connected to %s again (attempt %u)",
		    vconn_name(&v->c), up);
	/* A report may queue the next request: it goes after these. The
	 * adoption's end comes after the reports of the requests made
	 * before it ran. */
	for (;;) {
		struct vreq r;

		if (adopted && v->head == at) {
			adopted = false;
			v->adopt_done(v->adopt_arg);
		}
		if (v->head == done)
			break;
		r = v->q[v->head % VIRT_QUEUE];
		pthread_mutex_lock(&v->lock);
		v->head++;
		pthread_mutex_unlock(&v->lock);
		report(v, &r);
	}
}

/* A request for the worker, filled by the caller; NULL when the queue
 * is full. Sent by submit(). */
static struct vreq *
slot_new(struct virt *v, enum vkind kind, int svc)
{
	struct vreq *r;

	if (v->tail - v->head == VIRT_QUEUE)
		return NULL;
	r = &v->q[v->tail % VIRT_QUEUE];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->svc = svc;
	return r;
}

static int
submit(struct virt *v)
{
	pthread_mutex_lock(&v->lock);
	v->tail++;
	pthread_cond_signal(&v->cond);
	pthread_mutex_unlock(&v->lock);
	return 0;
}

/* s into a request's field: -ENAMETOOLONG when it does not fit. */
static int
put(char *dst, size_t len, const char *s)
{
	if (!s)
		s = "";
	if (strlen(s) >= len)
		return -ENAMETOOLONG;
	strcpy(dst, s);
	return 0;
}

#define PUT(f, s) put((f), sizeof(f), (s))

static int
virt_create(struct backend *b, int svc, const char *xl_config, const char *vm)
{
	struct virt *v = (struct virt *)b;
	struct vreq *r = slot_new(v, V_CREATE, svc);

	if (!r)
		return -EAGAIN;
	if (PUT(r->name, vm) < 0 || PUT(r->path, xl_config) < 0)
		return -ENAMETOOLONG;
	r->a = LC_CREATE;
	return submit(v);
}

static int
virt_unpause(struct backend *b, int svc, uint32_t domid,
    const char *rename_to)
{
	struct virt *v = (struct virt *)b;
	struct vreq *r = slot_new(v, V_UNPAUSE, svc);

	if (!r)
		return -EAGAIN;
	if (PUT(r->rename, rename_to) < 0)
		return -ENAMETOOLONG;
	r->a = LC_UNPAUSE;
	r->domid = domid;
	return submit(v);
}

static int
virt_create_paused(struct backend *b, int svc, int slot,
    const char *xl_config, const char *name)
{
	struct virt *v = (struct virt *)b;
	struct vreq *r = slot_new(v, V_POOL, svc);

	if (!r)
		return -EAGAIN;
	if (PUT(r->name, name) < 0 || PUT(r->path, xl_config) < 0)
		return -ENAMETOOLONG;
	r->slot = slot;
	return submit(v);
}

static int
virt_stop(struct backend *b, int svc, uint32_t domid, enum lc_action a,
    const char *save_file)
{
	struct virt *v = (struct virt *)b;
	struct vreq *r = slot_new(v, V_STOP, svc);

	if (!r)
		return -EAGAIN;
	if (a == LC_SAVE && PUT(r->path, save_file) < 0)
		return -ENAMETOOLONG;
	r->a = a;
	r->domid = domid;
	return submit(v);
}

static int
virt_restore(struct backend *b, int svc, const char *xl_config,
    const char *save_file)
{
	struct virt *v = (struct virt *)b;
	struct vreq *r = slot_new(v, V_RESTORE, svc);

	(void)xl_config;	/* the save file has the domain's XML */
	if (!r)
		return -EAGAIN;
	if (PUT(r->path, save_file) < 0)
		return -ENAMETOOLONG;
	r->a = LC_RESTORE;
	return submit(v);
}

/* Blocking: from the adoption's work, in the worker. */
static int
virt_find(struct backend *b, const char *name, uint32_t *domid, bool *paused)
{
	virConnectPtr c = vconn_ref(&((struct virt *)b)->c);
	virDomainPtr d = c ? virDomainLookupByName(c, name) : NULL;
	int st, reason, r = !c ? -ENOTCONN :
	    d || virGetLastErrorCode() == VIR_ERR_NO_DOMAIN ? -ENOENT : -EIO;
	unsigned int id;

	if (c)
		virConnectClose(c);	/* d holds it */
	if (!d)
		return r;
	r = -ENOENT;
	id = virDomainGetID(d);
	if (virDomainIsActive(d) == 1 && id != (unsigned int)-1 &&
	    virDomainGetState(d, &st, &reason, 0) == 0 &&
	    st != VIR_DOMAIN_SHUTOFF && st != VIR_DOMAIN_CRASHED &&
	    st != VIR_DOMAIN_SHUTDOWN) {
		*domid = id;
		*paused = st == VIR_DOMAIN_PAUSED;
		r = 0;
	}
	virDomainFree(d);
	return r;
}

/* Blocking: from the adoption's work, in the worker. */
static int
virt_config_name(struct backend *b, const char *xl_config, char *name,
    size_t len)
{
	virConnectPtr c = vconn_ref(&((struct virt *)b)->c);
	char why[200], *xml;
	int r;

	if (!c)
		return -ENOTCONN;
	xml = config_xml(c, xl_config, why, sizeof(why));
	virConnectClose(c);
	if (!xml)
		return -ENOENT;
	r = xml_name(xml, name, len);
	free(xml);
	return r;
}

static int
virt_adopt(struct backend *b, backend_adopt_fn *work, backend_adopted_fn *done,
    void *arg)
{
	struct virt *v = (struct virt *)b;
	int r = -EALREADY;

	pthread_mutex_lock(&v->lock);
	if (!v->adopt_work) {
		v->adopt_work = work;
		v->adopt_done = done;
		v->adopt_arg = arg;
		v->adopt_pending = true;
		pthread_cond_signal(&v->cond);
		r = 0;
	}
	pthread_mutex_unlock(&v->lock);
	return r;
}

static void
virt_free(struct backend *b)
{
	struct virt *v = (struct virt *)b;

	if (!v)
		return;
	if (v->started) {
		/* A call in progress ends first: libvirt's keepalive bounds
		 * it on a remote connection. */
		pthread_mutex_lock(&v->lock);
		v->quit = true;
		pthread_cond_signal(&v->cond);
		pthread_mutex_unlock(&v->lock);
		pthread_join(v->thread, NULL);
	}
	vconn_close(&v->c);
	if (v->ev)
		event_free(v->ev);
	for (int i = 0; i < 2; i++)
		if (v->pipe[i] >= 0)
			close(v->pipe[i]);
	pthread_mutex_destroy(&v->lock);
	pthread_cond_destroy(&v->cond);
	free(v->q);
	free(v);
}

static const struct backend_ops virt_ops = {
	virt_create, virt_unpause, virt_create_paused, virt_stop, virt_restore,
	virt_find, virt_config_name, virt_free,
	NULL,	/* pool_step: pool-boot is libxl's only, for now */
	NULL,	/* rename: libvirt renames only shut-off domains */
	virt_adopt,
};

int
backend_virt_new(struct event_base *base, const char *uri, bool remote,
    const struct backend_reports *rep, void *arg, struct backend **out,
    char *why, size_t len)
{
	struct virt *v = calloc(1, sizeof(*v));
	pthread_condattr_t ca;
	int r;

	snprintf(why, len, "out of memory");
	if (!v)
		return -ENOMEM;
	v->b.ops = &virt_ops;
	v->b.rep = rep;
	v->b.arg = arg;
	v->remote = remote;
	v->pipe[0] = v->pipe[1] = -1;
	v->c.evtimer = -1;
	pthread_mutex_init(&v->lock, NULL);
	/* the reconnection's waits are on the monotonic clock */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&v->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (!(v->q = calloc(VIRT_QUEUE, sizeof(*v->q))) ||
	    pipe2(v->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		virt_free(&v->b);
		return -ENOMEM;
	}
	if (virInitialize() < 0) {
		snprintf(why, len, "libvirt: cannot initialise");
		virt_free(&v->b);
		return -EIO;
	}
	virSetErrorFunc(NULL, quiet);
	if ((r = vconn_open(&v->c, uri, &v->lock, &v->cond, why, len)) < 0) {
		virt_free(&v->b);
		return r;
	}
	v->ev = event_new(base, v->pipe[0], EV_READ | EV_PERSIST, on_done, v);
	if (!v->ev || event_add(v->ev, NULL) < 0 ||
	    pthread_create(&v->thread, NULL, worker, v) != 0) {
		virt_free(&v->b);
		return -ENOMEM;
	}
	v->started = true;
	*out = &v->b;
	return 0;
}
