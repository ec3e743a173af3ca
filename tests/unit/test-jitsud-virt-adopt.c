/*
 * The summoner's adoption with the libvirt backend (summon.c through
 * virt.c's adopt), against libvirt's test driver on a file of its own
 * (test:///path: each connection reads the file, so a new one is a
 * restart that finds the file's domain "hello" running; no file, no
 * connection: a libvirtd not up yet).
 *
 * Down at the start: the summoner starts all the same, the service is
 * stopped, and a summon fails at once; once the file is there, the
 * worker connects and the domain is adopted, ready, with no boot. A
 * summon asked right at a start (before the adoption has run) waits
 * behind the adoption, and its create takes the running domain over:
 * the same domain, ready, one boot counted. Readiness is "tcp": a port
 * that listens on loopback, the service's address.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "check.h"
#include "deadline.h"
#include "summon.h"

static struct event_base *base;
static char uri[128];

/* The libvirt backend on uri (a backend_new_fn). */
static int
virt_new(struct event_base *b, const struct backend_reports *rep, void *arg,
    struct backend **out)
{
	char why[256];
	int r = backend_virt_new(b, uri, false, rep, arg, out, why,
	    sizeof(why));

	if (r < 0)
		fprintf(stderr, "%s\n", why);
	return r;
}

static void
tell(void *arg, int svc, enum jd_svc_state st, bool place)
{
	(void)arg; (void)svc; (void)st; (void)place;
}

/* The service's life, as wanted: its state, domain (if any), boots and
 * failures. */
static bool
svc_is(struct summoner *sm, enum lc_state st, int domid, uint64_t boots,
    uint64_t failures)
{
	const struct lc_svc *l = summon_svc(sm, 0);

	return l->state == st && (domid < 0 ? !l->has_domid : l->has_domid &&
	    l->domid == (uint32_t)domid) && l->boots == boots &&
	    l->failures == failures;
}

/* Turns the loop until the service is so, or 10 s pass. */
static bool
until(struct summoner *sm, enum lc_state st, int domid, uint64_t boots,
    uint64_t failures)
{
	uint64_t end = jd_now_ms() + 10000;
	struct timeval tick = { 0, 5000 };

	while (jd_now_ms() < end) {
		if (svc_is(sm, st, domid, boots, failures))
			return true;
		event_base_loopexit(base, &tick);
		event_base_dispatch(base);
	}
	summon_status(stderr, sm);
	return false;
}

static void
write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL && fputs(s, f) >= 0 && fclose(f) == 0);
}

int
main(void)
{
	char dir[] = "/tmp/test-jitsud-virt-adopt.XXXXXX", node[80], xml[80],
	    spec[256], err[128];
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct summoner *sm = NULL;
	struct jc_conf c;
	int lfd;

	base = event_base_new();
	if (!base || !mkdtemp(dir))
		return 99;
	snprintf(node, sizeof(node), "%s/node.xml", dir);
	snprintf(xml, sizeof(xml), "%s/hello.xml", dir);
	snprintf(uri, sizeof(uri), "test://%s", node);
	write_file(xml, "<domain type='test'>\n  <name>hello</name>\n"
	    "  <memory unit='MiB'>32</memory>\n"
	    "  <os><type arch='i686'>hvm</type></os>\n</domain>\n");
	/* ready: the port listens */
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(lfd, 64) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) < 0)
		return 99;
	jc_defaults(&c);
	snprintf(spec, sizeof(spec), "dns=hello.example.org,ip=127.0.0.1,"
	    "name=hello,xl=%s,idle-timeout=300s", xml);
	if (jc_add_spec(&c, spec, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 99;
	}
	/* the domain from its config (domain XML), as a config file gives
	 * it: the name is the config's */
	c.services[0].vm[0] = '\0';
	c.services[0].ready = JC_READY_TCP;
	c.services[0].ready_port = ntohs(a.sin_port);
	c.services[0].summon_rate = 0;
	c.backend = JC_BACKEND_LIBVIRT;
	CHECK_EQ(jc_conf_check("test", &c, stderr), 0);

	/* No libvirt yet: the summoner starts, the service is stopped; a
	 * summon fails at once (the adoption has not run). */
	CHECK_EQ(summon_new(base, NULL, &c, virt_new, &sm), 0);
	if (!sm)
		return 1;
	summon_attach(sm, tell, NULL);
	CHECK(svc_is(sm, LC_STOPPED, -1, 0, 0));
	CHECK_EQ(summon_start(sm, 0), 0);
	CHECK(until(sm, LC_STOPPED, -1, 1, 1));
	/* libvirt is there, its domain running: adopted, ready; no boot */
	write_file(node, "<node>\n <domain type='test'>\n  <name>hello</name>\n"
	    "  <memory unit='MiB'>32</memory>\n"
	    "  <os><type arch='i686'>hvm</type></os>\n </domain>\n</node>\n");
	CHECK(until(sm, LC_READY, 1, 1, 1));
	summon_free(sm);

	/* A restart, a summon asked before the adoption has run: it waits
	 * behind it, and its create takes the running domain over (the
	 * same id; a second "hello" could not be created). */
	CHECK_EQ(summon_new(base, NULL, &c, virt_new, &sm), 0);
	if (!sm)
		return 1;
	summon_attach(sm, tell, NULL);
	CHECK_EQ(summon_start(sm, 0), 0);
	CHECK(svc_is(sm, LC_STARTING, -1, 1, 0));
	CHECK(until(sm, LC_READY, 1, 1, 0));
	summon_free(sm);

	close(lfd);
	event_base_free(base);
	unlink(node);
	unlink(xml);
	rmdir(dir);
	return CHECK_DONE();
}
