/*
 * jitsud's configuration (jitsud.conf(5)): the listeners, the zones, the
 * services, and where names outside the zones go. Filled from the file
 * (a conf_cb for the skeleton), from the command line (jitsu's
 * "dns=NAME,ip=ADDR,name=VM" specs) and from /etc/resolv.conf; checked
 * across keys; printed back canonically for -n -v. Free of I/O but for
 * the stream it prints to.
 */
#ifndef JITSUD_SETTINGS_H
#define JITSUD_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "conf.h"

#define JC_MAX_LISTEN 8
#define JC_MAX_FORWARDERS 8
#define JC_MAX_ZONES 64
#define JC_MAX_SERVICES 256
/* A presentation-form domain name: 253 characters, the dot, the NUL. */
#define JC_NAME_MAX 256
#define JC_PATH_MAX 256
#define JC_MAX_POOL 16		/* warm domains per service */

enum jc_out_of_zone { JC_REFUSE, JC_FORWARD };
enum jc_stop_mode { JC_STOP_DESTROY, JC_STOP_SHUTDOWN, JC_STOP_SUSPEND,
	JC_STOP_PAUSE };
enum jc_answer_policy { JC_ANSWER_WAIT, JC_ANSWER_NOW };
/* What a query past a limit gets. */
enum jc_limit_action { JC_LIMIT_REFUSE, JC_LIMIT_DROP };
/* Who creates and stops the domains (backend.h). */
enum jc_backend { JC_BACKEND_LIBXL, JC_BACKEND_LIBVIRT };

/* Readiness checks, any combination. */
#define JC_READY_KEY 1		/* a xenstore key under the guest */
#define JC_READY_TCP 2		/* a TCP connect to the service's address */
#define JC_READY_HOTPLUG 4	/* the vif's hotplug-status is connected */

/* An address with its family; port 0 in listeners means "port". */
struct jc_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

struct jc_zone {
	char apex[JC_NAME_MAX];
	char ns[JC_NAME_MAX];
	char mbox[JC_NAME_MAX];
	uint64_t serial;
	uint64_t ttl;
	int line;		/* where it was declared, for messages */
};

struct jc_service {
	char id[64];		/* the section's name */
	char name[JC_NAME_MAX];	/* the DNS name */
	bool has_a, has_aaaa;
	struct in_addr a;
	struct in6_addr aaaa;
	uint64_t ttl;
	/* The domain: an existing one by name (vm), or an xl config. */
	char vm[64];
	char xl_config[JC_PATH_MAX];
	uint64_t idle_ms;
	int stop_mode;		/* enum jc_stop_mode */
	char save_file[JC_PATH_MAX];	/* stop-mode suspend */
	unsigned int ready;	/* JC_READY_* */
	char ready_key[128];	/* relative to the guest's xenstore home */
	uint64_t ready_port;
	uint64_t boot_ms;
	int answer_policy;	/* enum jc_answer_policy */
	uint64_t answer_ttl;	/* JC_ANSWER_NOW: the short TTL */
	uint64_t summon_rate;	/* summons a minute; 0: no limit */
	uint64_t summon_burst;	/* summons at once */
	uint64_t pool;		/* domains kept created and paused */
	int pool_boot;		/* ... after they booted until ready */
	int line;
};

struct jc_conf {
	struct jc_addr listen[JC_MAX_LISTEN];
	unsigned int nlisten;
	uint64_t port;
	int out_of_zone;	/* enum jc_out_of_zone */
	struct jc_addr forwarders[JC_MAX_FORWARDERS];
	unsigned int nforwarders;	/* 0: /etc/resolv.conf's */
	uint64_t forward_timeout_ms;
	uint64_t forward_max;	/* queries forwarded at once */
	uint64_t tcp_max;	/* TCP clients at once */
	uint64_t tcp_idle_ms;
	uint64_t tcp_pipeline;	/* queries in flight per TCP client */
	/* Abuse limits (limits.h, rrl.h). */
	uint64_t max_running;	/* summoned guests at once; 0: no limit */
	int limit_action;	/* enum jc_limit_action: past a summon limit */
	uint64_t rrl_rate;	/* UDP answers a second per prefix; 0: off */
	uint64_t rrl_size;	/* the table's slots */
	uint64_t rrl_slip;
	uint64_t rrl_v4_prefix, rrl_v6_prefix;
	int rrl_action;		/* enum jc_limit_action: past the rate */
	int backend;		/* enum jc_backend */
	char connect[JC_PATH_MAX];	/* libvirt's URI; "": its default */
	int backend_line;	/* where backend or connect was set */
	struct jc_zone zones[JC_MAX_ZONES];
	unsigned int nzones;
	struct jc_service services[JC_MAX_SERVICES];
	unsigned int nservices;
	/* Parser state: the section the next keys belong to. */
	struct jc_zone *cur_zone;
	struct jc_service *cur_svc;
};

void jc_defaults(struct jc_conf *c);
/* The skeleton's hooks (skel.h): a conf_cb with the jc_conf as arg. */
int jc_conf_item(const struct conf_item *it, void *arg, char *err,
    size_t len);
int jc_conf_check(const char *path, void *settings, FILE *errs);
void jc_conf_print(FILE *out, const void *settings);

/*
 * A jitsu service spec, "dns=NAME,ip=ADDR,name=VM[,key=value...]", added
 * as a service (and a zone for NAME's parent when no zone holds NAME).
 * Returns 0, or -1 with a message in err.
 */
int jc_add_spec(struct jc_conf *c, const char *spec, char *err, size_t len);

/* "ADDR" or "[ADDR]:PORT"/"ADDR:PORT" (IPv4); port 0 when not given. */
int jc_parse_addr(const char *s, struct jc_addr *a);
/* Formats a back as the parser reads it. */
void jc_format_addr(const struct jc_addr *a, char *buf, size_t len);

/*
 * Does a libvirt URI reach another host ("xen+ssh://host/system"), where
 * xenstore and the save files are not ours? A URI with a host part
 * other than localhost does.
 */
bool jc_connect_remote(const char *uri);

/* Would forwarding to a reach this server itself (a loop)? */
bool jc_is_self(const struct jc_conf *c, const struct jc_addr *a);

/*
 * The nameservers of a resolv.conf text, at most max, port 53. Returns
 * how many were found.
 */
unsigned int jc_resolv_conf(const char *text, struct jc_addr *out,
    unsigned int max);

#endif
