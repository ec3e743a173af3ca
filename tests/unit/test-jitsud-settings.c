/*
 * jitsud's settings beyond what the golden configs show: jitsu's
 * command-line specs, addresses with ports, resolv.conf, libvirt URIs.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>

#include "check.h"
#include "settings.h"

static struct jc_conf c;
static char err[256];

static void
test_spec(void)
{
	const struct jc_service *s;
	FILE *null;

	jc_defaults(&c);
	CHECK_EQ(jc_add_spec(&c, "dns=WWW.Example.org.,ip=10.0.0.2,name=www",
	    err, sizeof(err)), 0);
	CHECK_EQ(c.nservices, 1);
	CHECK_EQ(c.nzones, 1);
	CHECK_STR(c.zones[0].apex, "example.org");
	CHECK_STR(c.zones[0].ns, "ns.example.org");
	CHECK_STR(c.zones[0].mbox, "hostmaster.example.org");
	s = &c.services[0];
	CHECK_STR(s->name, "www.example.org");
	CHECK_STR(s->vm, "www");
	CHECK_STR(s->id, "www");
	CHECK(s->has_a && !s->has_aaaa);
	CHECK_EQ(s->a.s_addr, inet_addr("10.0.0.2"));
	CHECK_EQ(jc_conf_check("cmd", &c, stderr), 0);

	/* a second name in the same zone adds no zone; IPv6 by its colon */
	CHECK_EQ(jc_add_spec(&c, "dns=db.example.org,ip=2001:db8::5,name=db,"
	    "xl=/etc/xen/db.cfg,wait_for_key=data/up,ttl=5,stop-mode=pause",
	    err, sizeof(err)), 0);
	CHECK_EQ(c.nzones, 1);
	s = &c.services[1];
	CHECK(s->has_aaaa && !s->has_a);
	CHECK_STR(s->xl_config, "/etc/xen/db.cfg");
	CHECK_STR(s->vm, "");
	CHECK_STR(s->ready_key, "data/up");
	CHECK_EQ(s->ttl, 5);
	CHECK_EQ(s->stop_mode, JC_STOP_PAUSE);
	CHECK_EQ(jc_conf_check("cmd", &c, stderr), 0);

	/* the same name twice is caught by the check */
	CHECK_EQ(jc_add_spec(&c, "dns=db.example.org,ip=10.0.0.9,name=db2",
	    err, sizeof(err)), 0);
	null = fopen("/dev/null", "w");
	CHECK_EQ(jc_conf_check("cmd", &c, null), 1);
	fclose(null);

	CHECK_EQ(jc_add_spec(&c, "dns=x.example.org,ip=10.0.0.2", err,
	    sizeof(err)), -1);
	CHECK_STR(err, "needs dns=NAME, ip=ADDR and name=VM");
	CHECK_EQ(jc_add_spec(&c, "dns=x.example.org,ip=10.0.0.256,name=x",
	    err, sizeof(err)), -1);
	CHECK_STR(err, "ip: '10.0.0.256' is not an IPv4 address");
	CHECK_EQ(jc_add_spec(&c, "dns=x.example.org,ip=10.0.0.1,name=x,"
	    "kernel=/boot/x", err, sizeof(err)), -1);
	CHECK_STR(err, "kernel: jitsu's direct kernel boot is not supported;"
	    " give an xl config with xl=PATH");
	CHECK_EQ(jc_add_spec(&c, "dns=bad..name,ip=10.0.0.1,name=x", err,
	    sizeof(err)), -1);
	CHECK_STR(err, "dns: 'bad..name' is not a host name");
	CHECK_EQ(jc_add_spec(&c, "dns=top,ip=10.0.0.1,name=x", err,
	    sizeof(err)), -1);
	CHECK_EQ(jc_add_spec(&c, "dns", err, sizeof(err)), -1);
	CHECK_STR(err, "'dns' is not key=value");
}

static void
addr(const char *in, int ok, const char *out)
{
	struct jc_addr a;
	char buf[64];

	CHECK_EQ(jc_parse_addr(in, &a), ok ? 0 : -22);
	if (ok) {
		jc_format_addr(&a, buf, sizeof(buf));
		CHECK_STR(buf, out);
	}
}

static void
test_addr(void)
{
	addr("127.0.0.1", 1, "127.0.0.1");
	addr("127.0.0.1:5353", 1, "127.0.0.1:5353");
	addr("::1", 1, "::1");
	addr("[::1]:53", 1, "[::1]:53");
	addr("[::1]", 1, "::1");
	addr("[127.0.0.1]:53", 0, NULL);
	addr("::1:53x", 0, NULL);
	addr("127.0.0.1:0", 0, NULL);
	addr("127.0.0.1:65536", 0, NULL);
	addr("host.example", 0, NULL);
	addr("", 0, NULL);
}

static void
test_resolv(void)
{
	struct jc_addr a[3];
	char buf[64];
	unsigned int n;

	n = jc_resolv_conf("# comment\nsearch example.org\n"
	    "nameserver 192.0.2.1\n  nameserver\t2001:db8::1 \n"
	    "nameserver fe80::1%eth0\nnameserver nonsense\n"
	    "nameserver 192.0.2.3\nnameserver 192.0.2.4\n", a, 3);
	CHECK_EQ(n, 3);
	jc_format_addr(&a[0], buf, sizeof(buf));
	CHECK_STR(buf, "192.0.2.1:53");
	jc_format_addr(&a[1], buf, sizeof(buf));
	CHECK_STR(buf, "[2001:db8::1]:53");
	jc_format_addr(&a[2], buf, sizeof(buf));
	CHECK_STR(buf, "192.0.2.3:53");
	CHECK_EQ(jc_resolv_conf("", a, 3), 0);
	CHECK_EQ(jc_resolv_conf("nameserver 192.0.2.1", a, 3), 1);
}

static bool
self(const char *listen, const char *res)
{
	struct jc_addr a;

	jc_defaults(&c);
	c.port = 53;
	if (listen)
		CHECK_EQ(jc_conf_item(&(struct conf_item){ "t", 1, NULL, NULL,
		    "listen", listen }, &c, err, sizeof(err)), 0);
	CHECK_EQ(jc_parse_addr(res, &a), 0);
	return jc_is_self(&c, &a);
}

/* Forwarding to ourselves would loop: such resolvers are left out. */
static void
test_self(void)
{
	CHECK(self(NULL, "127.0.0.1"));
	CHECK(self(NULL, "127.0.0.2:53"));
	CHECK(self(NULL, "[::1]:53"));
	CHECK(!self(NULL, "127.0.0.1:5300"));
	CHECK(!self(NULL, "192.0.2.1"));
	CHECK(self("127.0.0.1", "127.0.0.1:53"));
	CHECK(!self("127.0.0.1", "127.0.0.2"));
	CHECK(!self("127.0.0.1", "::1"));
	CHECK(self("192.0.2.7 [::1]:5353", "[::1]:5353"));
	CHECK(self("192.0.2.7 [::1]:5353", "192.0.2.7"));
	CHECK(!self("192.0.2.7 [::1]:5353", "[::1]:53"));
}

/* Which libvirt URIs reach another host (no xenstore of ours there). */
static void
test_remote(void)
{
	CHECK(!jc_connect_remote(""));
	CHECK(!jc_connect_remote("xen:///system"));
	CHECK(!jc_connect_remote("xen"));
	CHECK(!jc_connect_remote("qemu+unix:///system?socket=/x"));
	CHECK(!jc_connect_remote("xen+tcp://localhost/system"));
	CHECK(!jc_connect_remote("xen+ssh://root@LocalHost:22/system"));
	CHECK(jc_connect_remote("xen+ssh://host2/system"));
	CHECK(jc_connect_remote("xen+ssh://root@host2:2222/system"));
	CHECK(jc_connect_remote("xen+tls://192.0.2.7/system"));
	CHECK(jc_connect_remote("xen+ssh://[2001:db8::7]/system"));
	CHECK(jc_connect_remote("xen+ssh://localhost2/"));

	/* A remote connection with a TCP probe: accepted (the golden
	 * configs show the refusals; a build without libvirt refuses the
	 * backend itself, in jitsud.c). */
	{
		static const char text[] = "backend = libvirt\n"
		    "connect = xen+ssh://root@host2/system\n"
		    "[zone example.org]\n[service web]\n"
		    "name = web.example.org\na = 192.0.2.80\n"
		    "xl-config = /etc/xen/web.cfg\nready = tcp\n";

		jc_defaults(&c);
		CHECK_EQ(conf_parse_buf("t", text, sizeof(text) - 1,
		    jc_conf_item, &c, stderr), 0);
		CHECK_EQ(c.backend, JC_BACKEND_LIBVIRT);
		CHECK_STR(c.connect, "xen+ssh://root@host2/system");
		CHECK_EQ(c.backend_line, 2);
		CHECK_EQ(jc_conf_check("t", &c, stderr), 0);
	}
}

int
main(void)
{
	test_spec();
	test_addr();
	test_resolv();
	test_self();
	test_remote();
	return CHECK_DONE();
}
