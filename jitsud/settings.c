/* jitsud's configuration (see settings.h), free of I/O. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "settings.h"

static const char *const out_of_zone_names[] = { "refuse", "forward", NULL };
static const char *const stop_names[] = { "destroy", "shutdown", "suspend",
	"pause", NULL };
static const char *const policy_names[] = { "wait", "now", NULL };
static const char *const ready_names[] = { "key", "tcp", "hotplug", NULL };
static const char *const limit_names[] = { "refuse", "drop", NULL };
static const char *const backend_names[] = { "libxl", "libvirt", NULL };

#define G(f) offsetof(struct jc_conf, f)
static const struct conf_key global_keys[] = {
	{ "port", CONF_UINT, G(port), 1, 65535, NULL, "port to listen on" },
	{ "out-of-zone", CONF_ENUM, G(out_of_zone), 0, 0, out_of_zone_names,
	  "names outside the zones" },
	{ "forward-timeout", CONF_MSEC, G(forward_timeout_ms), 50, 60000, NULL,
	  "time a resolver has to answer" },
	{ "forward-max", CONF_UINT, G(forward_max), 1, 65536, NULL,
	  "queries forwarded at once" },
	{ "tcp-max", CONF_UINT, G(tcp_max), 1, 65536, NULL,
	  "TCP clients at once" },
	{ "tcp-idle-timeout", CONF_MSEC, G(tcp_idle_ms), 100, 600000, NULL,
	  "an idle TCP client is closed after" },
	{ "tcp-pipeline", CONF_UINT, G(tcp_pipeline), 1, 256, NULL,
	  "queries in flight per TCP client" },
	{ "max-running", CONF_UINT, G(max_running), 0, 65536, NULL,
	  "summoned guests running at once (0: no limit)" },
	{ "limit-action", CONF_ENUM, G(limit_action), 0, 0, limit_names,
	  "a query past a summon limit" },
	{ "rrl-ratelimit", CONF_UINT, G(rrl_rate), 0, 1000000, NULL,
	  "UDP answers a second per client prefix (0: off)" },
	{ "rrl-size", CONF_UINT, G(rrl_size), 1, 1 << 20, NULL,
	  "rate limiting table slots" },
	{ "rrl-slip", CONF_UINT, G(rrl_slip), 0, 100, NULL,
	  "every Nth limited query is answered truncated (0: none)" },
	{ "rrl-ipv4-prefix-length", CONF_UINT, G(rrl_v4_prefix), 0, 32,
	  NULL, "IPv4 clients limited together" },
	{ "rrl-ipv6-prefix-length", CONF_UINT, G(rrl_v6_prefix), 0, 128,
	  NULL, "IPv6 clients limited together" },
	{ "rrl-action", CONF_ENUM, G(rrl_action), 0, 0, limit_names,
	  "a query past the rate limit" },
	{ "backend", CONF_ENUM, G(backend), 0, 0, backend_names,
	  "who creates and stops the domains" },
	{ "connect", CONF_STR, G(connect), 0, JC_PATH_MAX, NULL,
	  "the libvirt backend's connection URI" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};
#undef G

#define Z(f) offsetof(struct jc_zone, f)
static const struct conf_key zone_keys[] = {
	{ "ns", CONF_STR, Z(ns), 0, JC_NAME_MAX, NULL, "the zone's server" },
	{ "mbox", CONF_STR, Z(mbox), 0, JC_NAME_MAX, NULL, "SOA mailbox" },
	{ "serial", CONF_UINT, Z(serial), 0, UINT32_MAX, NULL, "SOA serial" },
	{ "ttl", CONF_UINT, Z(ttl), 0, 86400, NULL, "SOA and NS TTL" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};
#undef Z

#define S(f) offsetof(struct jc_service, f)
static const struct conf_key service_keys[] = {
	{ "name", CONF_STR, S(name), 0, JC_NAME_MAX, NULL, "DNS name" },
	{ "ttl", CONF_UINT, S(ttl), 0, 86400, NULL, "address TTL" },
	{ "vm", CONF_STR, S(vm), 0, sizeof(((struct jc_service *)0)->vm),
	  NULL, "an existing domain" },
	{ "xl-config", CONF_STR, S(xl_config), 0, JC_PATH_MAX, NULL,
	  "xl config file" },
	{ "idle-timeout", CONF_MSEC, S(idle_ms), 0, 7 * 86400000ULL, NULL,
	  "stop after this long without a query (0: never)" },
	{ "stop-mode", CONF_ENUM, S(stop_mode), 0, 0, stop_names,
	  "how an idle service stops" },
	{ "save-file", CONF_STR, S(save_file), 0, JC_PATH_MAX, NULL,
	  "where stop-mode suspend saves the domain" },
	{ "ready-key", CONF_STR, S(ready_key), 0,
	  sizeof(((struct jc_service *)0)->ready_key), NULL,
	  "xenstore key under the guest's home" },
	{ "ready-port", CONF_UINT, S(ready_port), 1, 65535, NULL,
	  "TCP port probed" },
	{ "boot-timeout", CONF_MSEC, S(boot_ms), 100, 600000, NULL,
	  "SERVFAIL when not ready by then" },
	{ "answer-policy", CONF_ENUM, S(answer_policy), 0, 0, policy_names,
	  "wait for readiness, or answer now" },
	{ "answer-ttl", CONF_UINT, S(answer_ttl), 0, 86400, NULL,
	  "TTL of answers given before readiness" },
	{ "summon-rate", CONF_UINT, S(summon_rate), 0, 60000, NULL,
	  "summons a minute (0: no limit)" },
	{ "summon-burst", CONF_UINT, S(summon_burst), 1, 1000, NULL,
	  "summons at once" },
	{ "pool", CONF_UINT, S(pool), 0, JC_MAX_POOL, NULL,
	  "domains kept created and paused, for summons" },
	{ "pool-boot", CONF_BOOL, S(pool_boot), 0, 0, NULL,
	  "pool domains boot until ready before they are paused" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};
#undef S

void
jc_defaults(struct jc_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->port = 53;
	c->out_of_zone = JC_REFUSE;
	c->forward_timeout_ms = 2000;
	c->forward_max = 256;
	c->tcp_max = 128;
	c->tcp_idle_ms = 10000;
	c->tcp_pipeline = 16;
	c->max_running = 16;
	c->limit_action = JC_LIMIT_REFUSE;
	/* NSD's figures (Debian builds it with rrl-ratelimit 200). */
	c->rrl_rate = 200;
	c->rrl_size = 16384;
	c->rrl_slip = 2;
	c->rrl_v4_prefix = 24;
	c->rrl_v6_prefix = 56;
	c->rrl_action = JC_LIMIT_DROP;
}

static void
service_defaults(struct jc_service *s, const char *id, int line)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->id, sizeof(s->id), "%s", id);
	s->ttl = 60;
	s->idle_ms = 600000;
	s->stop_mode = JC_STOP_DESTROY;
	s->ready = JC_READY_KEY;
	snprintf(s->ready_key, sizeof(s->ready_key), "data/ready");
	s->ready_port = 80;
	s->boot_ms = 10000;
	s->answer_policy = JC_ANSWER_WAIT;
	s->answer_ttl = 1;
	s->summon_rate = 20;
	s->summon_burst = 10;
	s->line = line;
}

/*
 * A host name in presentation form, made canonical in place: lowercase,
 * no trailing dot. Labels of letters, digits, '-' and '_' (SRV-style
 * names), 1..63 bytes; at most 253 in all.
 */
static int
canon_name(char *n)
{
	size_t len = strlen(n), label = 0;

	if (len > 1 && n[len - 1] == '.')
		n[--len] = '\0';
	if (len == 0 || len > 253)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)n[i];

		if (ch == '.') {
			if (label == 0)
				return -EINVAL;
			label = 0;
			continue;
		}
		if (!isalnum(ch) && ch != '-' && ch != '_')
			return -EINVAL;
		if (++label > 63)
			return -EINVAL;
		n[i] = (char)tolower(ch);
	}
	return 0;
}

/* Is name at or below apex (both canonical)? */
static bool
in_zone(const char *name, const char *apex)
{
	size_t n = strlen(name), a = strlen(apex);

	if (n == a)
		return strcmp(name, apex) == 0;
	return n > a && name[n - a - 1] == '.' &&
	    strcmp(name + n - a, apex) == 0;
}

int
jc_parse_addr(const char *s, struct jc_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 16], *port = NULL, *host = buf;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a->ss;
	uint64_t p = 0;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	memset(a, 0, sizeof(*a));
	if (buf[0] == '[') {
		char *end = strchr(buf, ']');

		if (!end || (end[1] != '\0' && end[1] != ':'))
			return -EINVAL;
		*end = '\0';
		host = buf + 1;
		if (end[1] == ':')
			port = end + 2;
	} else if (strchr(buf, ':') == strrchr(buf, ':') &&
	    (port = strchr(buf, ':'))) {
		*port++ = '\0';	/* one colon: IPv4 with a port */
	}
	if (port && conf_uint(port, 1, 65535, &p) < 0)
		return -EINVAL;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1 && buf[0] != '[') {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)p);
		a->len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1 &&
	    (buf[0] == '[' || !port)) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)p);
		a->len = sizeof(*v6);
		return 0;
	}
	return -EINVAL;
}

void
jc_format_addr(const struct jc_addr *a, char *buf, size_t len)
{
	char h[INET6_ADDRSTRLEN];

	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *v4 = (const void *)&a->ss;

		inet_ntop(AF_INET, &v4->sin_addr, h, sizeof(h));
		if (v4->sin_port)
			snprintf(buf, len, "%s:%u", h, ntohs(v4->sin_port));
		else
			snprintf(buf, len, "%s", h);
	} else {
		const struct sockaddr_in6 *v6 = (const void *)&a->ss;

		inet_ntop(AF_INET6, &v6->sin6_addr, h, sizeof(h));
		if (v6->sin6_port)
			snprintf(buf, len, "[%s]:%u", h, ntohs(v6->sin6_port));
		else
			snprintf(buf, len, "%s", h);
	}
}

/* A list of addresses: each key occurrence replaces the list. */
static int
addr_list(const char *key, const char *v, struct jc_addr *out,
    unsigned int *n, unsigned int max, char *err, size_t len)
{
	char buf[CONF_MAX_LINE], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", v);
	*n = 0;
	for (tok = strtok_r(buf, " \t,", &save); tok;
	    tok = strtok_r(NULL, " \t,", &save)) {
		if (*n == max) {
			snprintf(err, len, "%s: more than %u addresses", key,
			    max);
			return -1;
		}
		if (jc_parse_addr(tok, &out[*n]) < 0) {
			snprintf(err, len, "%s: '%s' is not an address", key,
			    tok);
			return -1;
		}
		(*n)++;
	}
	return 0;
}

static int
ready_list(struct jc_service *s, const char *v, char *err, size_t len)
{
	char buf[CONF_MAX_LINE], *tok, *save = NULL;
	int i;

	snprintf(buf, sizeof(buf), "%s", v);
	s->ready = 0;
	for (tok = strtok_r(buf, " \t,", &save); tok;
	    tok = strtok_r(NULL, " \t,", &save)) {
		if ((i = conf_enum(tok, ready_names)) < 0) {
			snprintf(err, len, "ready: '%s' is not one of: key, "
			    "tcp, hotplug", tok);
			return -1;
		}
		s->ready |= 1u << i;
	}
	return 0;
}

static int
set_ip(struct jc_service *s, const char *key, const char *v, int family,
    char *err, size_t len)
{
	void *dst = family == AF_INET ? (void *)&s->a : (void *)&s->aaaa;

	if (inet_pton(family, v, dst) != 1) {
		snprintf(err, len, "%s: '%s' is not an IPv%d address", key, v,
		    family == AF_INET ? 4 : 6);
		return -1;
	}
	if (family == AF_INET)
		s->has_a = true;
	else
		s->has_aaaa = true;
	return 0;
}

static int
name_key(char *field, const char *key, char *err, size_t len)
{
	if (canon_name(field) < 0) {
		snprintf(err, len, "%s: '%s' is not a host name", key, field);
		return -1;
	}
	return 0;
}

static int
section(struct jc_conf *c, const struct conf_item *it, char *err, size_t len)
{
	bool zone = strcmp(it->section, "zone") == 0;

	c->cur_zone = NULL;
	c->cur_svc = NULL;
	if (!zone && strcmp(it->section, "service") != 0) {
		snprintf(err, len, "unknown section [%s]", it->section);
		return -1;
	}
	if (!it->name || !*it->name) {
		snprintf(err, len, "[%s] needs a name: [%s NAME]",
		    it->section, it->section);
		return -1;
	}
	if (zone) {
		struct jc_zone *z;

		if (c->nzones == JC_MAX_ZONES) {
			snprintf(err, len, "more than %d zones", JC_MAX_ZONES);
			return -1;
		}
		z = &c->zones[c->nzones];
		memset(z, 0, sizeof(*z));
		if (strlen(it->name) >= sizeof(z->apex) ||
		    (strcpy(z->apex, it->name), canon_name(z->apex)) < 0) {
			snprintf(err, len, "[zone %s]: not a domain name",
			    it->name);
			return -1;
		}
		z->serial = 1;
		z->ttl = 60;
		z->line = it->line;
		c->cur_zone = &c->zones[c->nzones++];
		return 0;
	}
	if (c->nservices == JC_MAX_SERVICES) {
		snprintf(err, len, "more than %d services", JC_MAX_SERVICES);
		return -1;
	}
	if (strlen(it->name) >= sizeof(c->services[0].id)) {
		snprintf(err, len, "[service %s]: name longer than %zu bytes",
		    it->name, sizeof(c->services[0].id) - 1);
		return -1;
	}
	service_defaults(&c->services[c->nservices], it->name, it->line);
	c->cur_svc = &c->services[c->nservices++];
	return 0;
}

static int
service_item(struct jc_service *s, const char *key, const char *v, char *err,
    size_t len)
{
	int r;

	if (strcmp(key, "a") == 0)
		return set_ip(s, key, v, AF_INET, err, len);
	if (strcmp(key, "aaaa") == 0)
		return set_ip(s, key, v, AF_INET6, err, len);
	if (strcmp(key, "ready") == 0)
		return ready_list(s, v, err, len);
	r = conf_set(service_keys, s, key, v, err, len);
	if (r == 0 && strcmp(key, "name") == 0)
		return name_key(s->name, key, err, len);
	return r;
}

int
jc_conf_item(const struct conf_item *it, void *arg, char *err, size_t len)
{
	struct jc_conf *c = arg;
	int r;

	if (!it->key)
		return section(c, it, err, len);
	if (it->section && !c->cur_zone && !c->cur_svc)
		return 0;	/* a bad section, said once */
	if (c->cur_svc)
		r = service_item(c->cur_svc, it->key, it->value, err, len);
	else if (c->cur_zone) {
		r = conf_set(zone_keys, c->cur_zone, it->key, it->value, err,
		    len);
		if (r == 0 && (strcmp(it->key, "ns") == 0 ||
		    strcmp(it->key, "mbox") == 0))
			r = name_key(strcmp(it->key, "ns") == 0 ?
			    c->cur_zone->ns : c->cur_zone->mbox, it->key, err,
			    len);
	} else if (strcmp(it->key, "listen") == 0)
		r = addr_list("listen", it->value, c->listen, &c->nlisten,
		    JC_MAX_LISTEN, err, len);
	else if (strcmp(it->key, "forwarders") == 0)
		r = addr_list("forwarders", it->value, c->forwarders,
		    &c->nforwarders, JC_MAX_FORWARDERS, err, len);
	else {
		r = conf_set(global_keys, c, it->key, it->value, err, len);
		if (strcmp(it->key, "backend") == 0 ||
		    strcmp(it->key, "connect") == 0)
			c->backend_line = it->line;
	}
	if (r == 1) {
		snprintf(err, len, "unknown key '%s'", it->key);
		return -1;
	}
	return r < 0 ? -1 : 0;
}

/* A zone's SOA names default from its apex. */
static void
zone_fill(struct jc_zone *z)
{
	if (!z->ns[0])
		snprintf(z->ns, sizeof(z->ns), "ns.%.*s", JC_NAME_MAX - 4,
		    z->apex);
	if (!z->mbox[0])
		snprintf(z->mbox, sizeof(z->mbox), "hostmaster.%.*s",
		    JC_NAME_MAX - 12, z->apex);
}

static int
check_service(const char *path, struct jc_conf *c, unsigned int i,
    FILE *errs)
{
	struct jc_service *s = &c->services[i];
	int n = 0;

#define ERR(...) do { fprintf(errs, "%s:%d: [service %s]: ", path, s->line, \
	s->id); fprintf(errs, __VA_ARGS__); fputc('\n', errs); n++; } while (0)
	if (!s->name[0])
		ERR("no name");
	else {
		unsigned int z;

		for (z = 0; z < c->nzones; z++)
			if (in_zone(s->name, c->zones[z].apex))
				break;
		if (z == c->nzones)
			ERR("%s is in none of the zones", s->name);
		for (unsigned int j = 0; j < i; j++) {
			if (strcmp(c->services[j].name, s->name) == 0)
				ERR("name %s is also service %s's", s->name,
				    c->services[j].id);
			if (strcmp(c->services[j].id, s->id) == 0)
				ERR("declared twice");
		}
	}
	if (!s->has_a && !s->has_aaaa)
		ERR("no address: give a, aaaa or both");
	if (s->vm[0] && s->xl_config[0])
		ERR("vm and xl-config: give one");
	if (s->stop_mode == JC_STOP_SUSPEND && !s->save_file[0])
		ERR("stop-mode suspend needs a save-file");
	if (s->stop_mode == JC_STOP_SUSPEND && !s->xl_config[0])
		ERR("stop-mode suspend needs an xl-config (the restore's "
		    "domain config)");
	if (s->pool && !s->xl_config[0])
		ERR("pool needs an xl-config (its domains are created)");
	if (s->pool_boot && !s->pool)
		ERR("pool-boot needs a pool");
	if (s->ready == 0)
		ERR("ready: give at least one of key, tcp, hotplug");
	if (c->backend == JC_BACKEND_LIBVIRT && jc_connect_remote(c->connect) &&
	    (s->vm[0] || s->xl_config[0]) &&
	    (s->ready & (JC_READY_KEY | JC_READY_HOTPLUG)))
		ERR("ready: key and hotplug are in the guest's host's "
		    "xenstore, which a remote libvirt connection (%s) does "
		    "not reach: give ready = tcp", c->connect);
#undef ERR
	return n;
}

bool
jc_connect_remote(const char *uri)
{
	const char *h = strstr(uri, "://"), *end;
	size_t n;

	if (!h)
		return false;	/* an alias, or libvirt's default: here */
	h += 3;
	end = h + strcspn(h, "/?");
	if (memchr(h, '@', (size_t)(end - h)))
		h = (const char *)memchr(h, '@', (size_t)(end - h)) + 1;
	n = strcspn(h, ":/?");	/* the port goes */
	if (h + n > end)
		n = (size_t)(end - h);
	return n > 0 && !(n == 9 && strncasecmp(h, "localhost", 9) == 0);
}

static int
check_backend(const char *path, const struct jc_conf *c, FILE *errs)
{
	if (!c->connect[0] || c->backend == JC_BACKEND_LIBVIRT)
		return 0;
	/* set by an option: no line */
	if (c->backend_line)
		fprintf(errs, "%s:%d: ", path, c->backend_line);
	else
		fprintf(errs, "%s: ", path);
	fprintf(errs, "connect is the libvirt backend's: give backend = "
	    "libvirt\n");
	return 1;
}

int
jc_conf_check(const char *path, void *settings, FILE *errs)
{
	struct jc_conf *c = settings;
	int n = 0;

	c->cur_zone = NULL;
	c->cur_svc = NULL;
	for (unsigned int i = 0; i < c->nzones; i++) {
		zone_fill(&c->zones[i]);
		for (unsigned int j = 0; j < i; j++)
			if (strcmp(c->zones[i].apex, c->zones[j].apex) == 0) {
				fprintf(errs, "%s:%d: [zone %s]: declared "
				    "twice\n", path, c->zones[i].line,
				    c->zones[i].apex);
				n++;
			}
	}
	n += check_backend(path, c, errs);
	for (unsigned int i = 0; i < c->nservices; i++)
		n += check_service(path, c, i, errs);
	return n;
}

static void
print_addrs(FILE *out, const char *key, const struct jc_addr *a,
    unsigned int n)
{
	char buf[INET6_ADDRSTRLEN + 16];

	fprintf(out, "%s =", key);
	for (unsigned int i = 0; i < n; i++) {
		jc_format_addr(&a[i], buf, sizeof(buf));
		fprintf(out, " %s", buf);
	}
	fputc('\n', out);
}

void
jc_conf_print(FILE *out, const void *settings)
{
	const struct jc_conf *c = settings;
	char buf[INET6_ADDRSTRLEN];

	if (c->nlisten)
		print_addrs(out, "listen", c->listen, c->nlisten);
	else
		fprintf(out, "listen = 0.0.0.0 ::\n");
	conf_print(out, global_keys, c, NULL);
	print_addrs(out, "forwarders", c->forwarders, c->nforwarders);
	for (unsigned int i = 0; i < c->nzones; i++) {
		fprintf(out, "\n[zone %s]\n", c->zones[i].apex);
		conf_print(out, zone_keys, &c->zones[i], NULL);
	}
	for (unsigned int i = 0; i < c->nservices; i++) {
		const struct jc_service *s = &c->services[i];

		fprintf(out, "\n[service %s]\n", s->id);
		conf_print(out, service_keys, s, NULL);
		if (s->has_a)
			fprintf(out, "a = %s\n", inet_ntop(AF_INET, &s->a,
			    buf, sizeof(buf)));
		if (s->has_aaaa)
			fprintf(out, "aaaa = %s\n", inet_ntop(AF_INET6,
			    &s->aaaa, buf, sizeof(buf)));
		fprintf(out, "ready =");
		for (int b = 0; ready_names[b]; b++)
			if (s->ready & (1u << b))
				fprintf(out, " %s", ready_names[b]);
		fputc('\n', out);
	}
}

/* jitsu's keys that start a kernel directly: we take an xl config. */
static const char *const jitsu_boot_keys[] = { "kernel", "memory", "nics",
	"scripts", "disk", NULL };

static int
spec_pair(struct jc_service *s, char *key, char *v, char *err, size_t len)
{
	uint64_t u;

	if (strcmp(key, "dns") == 0) {
		if (strlen(v) >= sizeof(s->name)) {
			snprintf(err, len, "dns: name too long");
			return -1;
		}
		strcpy(s->name, v);
		return name_key(s->name, key, err, len);
	}
	if (strcmp(key, "ip") == 0)
		return set_ip(s, key, v, strchr(v, ':') ? AF_INET6 : AF_INET,
		    err, len);
	if (strcmp(key, "name") == 0)
		return conf_set(service_keys, s, "vm", v, err, len);
	if (strcmp(key, "xl") == 0)
		return conf_set(service_keys, s, "xl-config", v, err, len);
	if (strcmp(key, "wait_for_key") == 0) {
		s->ready = JC_READY_KEY;
		return conf_set(service_keys, s, "ready-key", v, err, len);
	}
	if (strcmp(key, "response_delay") == 0) {
		/* jitsu's fixed delay before answering: ours waits for
		 * readiness instead, within the boot timeout. */
		if (conf_duration_ms(v, 0, 600000, &u) < 0) {
			snprintf(err, len, "response_delay: '%s' is not a "
			    "duration", v);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "ttl") == 0 || strcmp(key, "idle-timeout") == 0 ||
	    strcmp(key, "stop-mode") == 0 || strcmp(key, "boot-timeout") == 0)
		return conf_set(service_keys, s, key, v, err, len);
	if (conf_enum(key, jitsu_boot_keys) >= 0) {
		snprintf(err, len, "%s: jitsu's direct kernel boot is not "
		    "supported; give an xl config with xl=PATH", key);
		return -1;
	}
	snprintf(err, len, "unknown key '%s'", key);
	return -1;
}

int
jc_add_spec(struct jc_conf *c, const char *spec, char *err, size_t len)
{
	char buf[CONF_MAX_LINE], *tok, *save = NULL, *dot;
	struct jc_service s;
	unsigned int z;

	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err, len, "spec too long");
		return -1;
	}
	strcpy(buf, spec);
	service_defaults(&s, "", 0);
	for (tok = strtok_r(buf, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq || eq == tok) {
			snprintf(err, len, "'%s' is not key=value", tok);
			return -1;
		}
		*eq = '\0';
		if (spec_pair(&s, tok, eq + 1, err, len) < 0)
			return -1;
	}
	if (!s.name[0] || !s.vm[0] || (!s.has_a && !s.has_aaaa)) {
		snprintf(err, len, "needs dns=NAME, ip=ADDR and name=VM");
		return -1;
	}
	snprintf(s.id, sizeof(s.id), "%s", s.vm);
	if (s.xl_config[0])
		s.vm[0] = '\0';	/* name= is then the domain it creates */
	for (z = 0; z < c->nzones; z++)
		if (in_zone(s.name, c->zones[z].apex))
			break;
	/* jitsu serves its names without a zone: ours is the parent's. */
	if (z == c->nzones) {
		if (!(dot = strchr(s.name, '.'))) {
			snprintf(err, len, "dns=%s: no zone holds a top-level "
			    "name", s.name);
			return -1;
		}
		if (c->nzones == JC_MAX_ZONES) {
			snprintf(err, len, "more than %d zones", JC_MAX_ZONES);
			return -1;
		}
		memset(&c->zones[z], 0, sizeof(c->zones[z]));
		strcpy(c->zones[z].apex, dot + 1);
		c->zones[z].serial = 1;
		c->zones[z].ttl = 60;
		zone_fill(&c->zones[z]);
		c->nzones++;
	}
	if (c->nservices == JC_MAX_SERVICES) {
		snprintf(err, len, "more than %d services", JC_MAX_SERVICES);
		return -1;
	}
	c->services[c->nservices++] = s;
	return 0;
}

static uint16_t
port_of(const struct jc_addr *a)
{
	const struct sockaddr_in *v4 = (const void *)&a->ss;
	const struct sockaddr_in6 *v6 = (const void *)&a->ss;

	return ntohs(a->ss.ss_family == AF_INET ? v4->sin_port :
	    v6->sin6_port);
}

/* The address's bytes, and their length (4 or 16). */
static const void *
ip_of(const struct jc_addr *a, size_t *len)
{
	*len = a->ss.ss_family == AF_INET ? 4 : 16;
	return a->ss.ss_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)&a->ss)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)&a->ss)->sin6_addr;
}

/*
 * Would forwarding to a reach this server (a loop)? When it is one of
 * our listening addresses on its port, or loopback where we listen on
 * the family's wildcard.
 */
bool
jc_is_self(const struct jc_conf *c, const struct jc_addr *a)
{
	static const uint8_t zero[16];
	struct jc_addr any[2];
	const struct jc_addr *l = c->listen;
	unsigned int n = c->nlisten;
	uint16_t port = port_of(a) ? port_of(a) : 53;
	size_t alen, llen;
	const uint8_t *ip = ip_of(a, &alen);
	bool loop = a->ss.ss_family == AF_INET ? ip[0] == 127 :
	    IN6_IS_ADDR_LOOPBACK((const struct in6_addr *)ip);

	if (n == 0) {
		jc_parse_addr("0.0.0.0", &any[0]);
		jc_parse_addr("::", &any[1]);
		l = any;
		n = 2;
	}
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *lip = ip_of(&l[i], &llen);
		uint16_t lport = port_of(&l[i]) ? port_of(&l[i]) :
		    (uint16_t)c->port;

		if (l[i].ss.ss_family != a->ss.ss_family || lport != port)
			continue;
		if (memcmp(lip, ip, alen) == 0 ||
		    (loop && memcmp(lip, zero, llen) == 0))
			return true;
	}
	return false;
}

unsigned int
jc_resolv_conf(const char *text, struct jc_addr *out, unsigned int max)
{
	unsigned int n = 0;

	while (*text && n < max) {
		const char *eol = strchr(text, '\n');
		size_t l = eol ? (size_t)(eol - text) : strlen(text);
		char line[256], word[16], addr[INET6_ADDRSTRLEN + 1];

		if (l < sizeof(line)) {
			memcpy(line, text, l);
			line[l] = '\0';
			/* A scoped address (fe80::1%eth0) fails to parse:
			 * skipped, as we cannot send to it without one. */
			if (sscanf(line, " %15s %46s", word, addr) == 2 &&
			    strcmp(word, "nameserver") == 0 &&
			    jc_parse_addr(addr, &out[n]) == 0 &&
			    !strchr(addr, '[')) {
				struct sockaddr_in *v4 = (void *)&out[n].ss;
				struct sockaddr_in6 *v6 = (void *)&out[n].ss;

				if (out[n].ss.ss_family == AF_INET &&
				    !v4->sin_port)
					v4->sin_port = htons(53);
				else if (out[n].ss.ss_family == AF_INET6)
					v6->sin6_port = htons(53);
				if (out[n].ss.ss_family == AF_INET6 ||
				    !strchr(addr, ':'))
					n++;
			}
		}
		text += l + (eol ? 1 : 0);
	}
	return n;
}
