/*
 * httpd: netfront plus the IPv4 stack of net/: answers ARP, ping, UDP
 * echo (port 7) and HTTP GET on port 80 with a page naming it and its
 * uptime. The address comes from the command line (ip=, with optional
 * mask= and gw=, all dotted quads), or else from the backend's `ip` key
 * as Qubes writes it (its first address). data/ready is written once the
 * vif is Connected, with data/ip and data/boot-us; then it serves, and
 * obeys control/shutdown, until stopped.
 *
 * After `xl restore` (control/shutdown "suspend" was obeyed), its vif
 * connects to the new domain's backend with the same address, and it
 * writes its keys again and data/resumed (a count) in the new domain.
 *
 * With no vif at all it still gets ready (data/net "none"), so its boot
 * can be timed like hello's.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "control.h"
#include "entry.h"
#include "fmt.h"
#include "net.h"
#include "netfront.h"
#include "page.h"
#include "shutdown.h"
#include "xs_client.h"

#define HTTPD_VIF "device/vif/0"

static struct net httpd_net;
static struct netfront httpd_nf;
static struct tm_timer httpd_timer;
static int httpd_told;		/* the vif's failure was reported */
static int httpd_up;		/* the stack has its address */

static void httpd_poll(void *arg);

static void
httpd_rx(void *arg, const void *frame, size_t len)
{
	(void)arg;
	/* before the stack has its address: lost, as on a wire */
	if (httpd_up)
		net_input(&httpd_net, frame, len, tm_now());
}

static int
httpd_tx(void *arg, const void *frame, size_t len)
{
	(void)arg;
	return nf_tx(&httpd_nf, frame, len);
}

/* After each batch of frames, and on the stack's own timer. */
static void
httpd_poll(void *arg)
{
	uint64_t next;

	(void)arg;
	if (!httpd_up)
		return;
	next = net_poll(&httpd_net, tm_now());
	if (httpd_nf.error && !httpd_told) {
		httpd_told = 1;
		uk_printf("httpd: vif stopped: %s\n", httpd_nf.why);
		xs_write(0, "data/net", "failed");
	}
	if (next == UINT64_MAX)
		tm_cancel(&httpd_timer);
	else
		tm_arm(&httpd_timer, next, httpd_poll, NULL);
}

/* key=dotted.quad from the command line: 0 (unset if absent) or panic. */
static void
httpd_arg_ip(const char *cmdline, const char *key, uint32_t *ip)
{
	char val[20];
	int r = cmdline_get(cmdline, key, val, sizeof(val));

	if (r == -ENOENT)
		return;
	if (r < 0 || net_parse_ip4(val, (size_t)r, ip) < 0)
		uk_panic("httpd: bad %s= on the command line", key);
}

/* The first address of the backend's ip key ("10.137.0.5 ..."). */
static int
httpd_backend_ip(const char *key, uint32_t *ip)
{
	size_t n = 0;

	while (key[n] && key[n] != ' ')
		n++;

	return n ? net_parse_ip4(key, n, ip) : -ENOENT;
}

/*
 * The initial sequence numbers' key. There is no entropy source here
 * yet (the entropy unikernel's vchan would be one): the TSC and the
 * clock at boot at least differ from boot to boot.
 */
static void
httpd_secret(uint64_t secret[2])
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	secret[0] = ((uint64_t)hi << 32 | lo) ^ 0x9e3779b97f4a7c15ull;
	secret[1] = tm_now() ^ uk_boot_ns << 17;
}

static void
httpd_ready(const char *net)
{
	char val[24];
	uint64_t now = tm_now();
	unsigned long us = now > uk_boot_ns ? (now - uk_boot_ns) / 1000 : 0;
	int r;

	xs_write(0, "data/net", net);
	fmt_snprintf(val, sizeof(val), "%lu", us);
	xs_write(0, "data/boot-us", val);
	r = xs_write(0, "data/ready", "1");
	if (r < 0)
		uk_panic("httpd: cannot write data/ready: error %d", -r);
	uk_printf("httpd: ready %lu us after boot\n", us);
}

static unsigned httpd_resumes;
static char httpd_ip[16];

static void
httpd_resumed(int cancelled, void *arg)
{
	char val[24];
	int r;

	(void)arg;
	if (cancelled)
		return;
	httpd_resumes++;
	if (httpd_up) {
		r = nf_resume(&httpd_nf);
		if (r < 0)
			uk_panic("httpd: vif %s after resume: error %d",
				 HTTPD_VIF, -r);
		xs_write(0, "data/ip", httpd_ip);
	}
	fmt_snprintf(val, sizeof(val), "%u", httpd_resumes);
	xs_write(0, "data/resumed", val);
	uk_printf("httpd: resumed (%u)%s\n", httpd_resumes,
		  httpd_up ? ", vif connected again" : "");
	httpd_ready(httpd_up ? "connected" : "none");
}

int
uk_main(const char *cmdline)
{
	struct nf_config nfc = { .rx = httpd_rx, .batch = httpd_poll };
	struct net_config nc = { .name = "xud httpd unikernel",
				 .tx = httpd_tx };
	char val[24];
	int r;

	uk_printf("httpd: xud unikernel running, %zu of %zu pages free, "
		  "cmdline '%s'\n", page_free_count(), page_total(), cmdline);
	httpd_arg_ip(cmdline, "ip", &nc.ip);
	httpd_arg_ip(cmdline, "mask", &nc.netmask);
	httpd_arg_ip(cmdline, "gw", &nc.gateway);
	r = ctl_watch();
	if (r < 0)
		uk_panic("httpd: cannot watch control/shutdown: error %d", -r);
	ctl_on_resume(httpd_resumed, NULL);

	r = nf_open(&httpd_nf, HTTPD_VIF, &nfc);
	if (r == -ENOENT && httpd_nf.xb.backend[0] == '\0') {
		uk_printf("httpd: no vif, nothing to serve\n");
		httpd_ready("none");
		ctl_features();
		ctl_serve("httpd");
	}
	if (r < 0)
		uk_panic("httpd: vif %s: error %d", HTTPD_VIF, -r);
	if (nc.ip == 0 && httpd_nf.ip[0] &&
	    httpd_backend_ip(httpd_nf.ip, &nc.ip) < 0)
		uk_panic("httpd: bad backend ip '%s'", httpd_nf.ip);
	if (nc.ip == 0)
		uk_panic("httpd: no address: give ip= on the command line");
	memcpy(nc.mac, httpd_nf.mac, sizeof(nc.mac));
	nc.boot_ns = uk_boot_ns;
	httpd_secret(nc.secret);
	if (net_init(&httpd_net, &nc) < 0)
		uk_panic("httpd: the stack refuses ip %u.%u.%u.%u",
			 nc.ip >> 24, nc.ip >> 16 & 255, nc.ip >> 8 & 255,
			 nc.ip & 255);

	fmt_snprintf(val, sizeof(val), "%u.%u.%u.%u", nc.ip >> 24,
		     nc.ip >> 16 & 255, nc.ip >> 8 & 255, nc.ip & 255);
	xs_write(0, "data/ip", val);
	memcpy(httpd_ip, val, sizeof(httpd_ip));
	uk_printf("httpd: vif connected, mac %02x:%02x:%02x:%02x:%02x:%02x, "
		  "serving http://%s/\n", nc.mac[0], nc.mac[1], nc.mac[2],
		  nc.mac[3], nc.mac[4], nc.mac[5], val);
	httpd_up = 1;
	httpd_ready("connected");
	ctl_features();
	ctl_serve("httpd");
}
