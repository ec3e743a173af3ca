/* systemd readiness and activation; every call is a no-op without it. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "sdnotify.h"

static void (*ready_hook)(void *arg);
static void *ready_hook_arg;

void
sdn_on_ready(void (*fn)(void *arg), void *arg)
{
	ready_hook = fn;
	ready_hook_arg = arg;
}

static void
run_ready_hook(void)
{
	void (*fn)(void *arg) = ready_hook;

	ready_hook = NULL;
	if (fn)
		fn(ready_hook_arg);
}

#ifdef HAVE_SYSTEMD
int
sdn_ready(void)
{
	int r = sd_notify(0, "READY=1");

	run_ready_hook();
	return r;
}

int
sdn_reloading(void)
{
	struct timespec ts;
	char buf[64];

	/* Type=notify-reload wants MONOTONIC_USEC with RELOADING=1. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(buf, sizeof(buf), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000);
	return sd_notify(0, buf);
}

int
sdn_stopping(void)
{
	return sd_notify(0, "STOPPING=1");
}

int
sdn_status(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "STATUS=");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	return sd_notify(0, buf);
}

uint64_t
sdn_watchdog_usec(void)
{
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec;
}

int
sdn_watchdog_ping(void)
{
	return sd_notify(0, "WATCHDOG=1");
}

int
sdn_listen_fds(void)
{
	return sd_listen_fds(1);
}

int
sdn_is_socket_inet(int fd, int family, int type, uint16_t port)
{
	return sd_is_socket_inet(fd, family, type, -1, port);
}
#else
int sdn_ready(void) { run_ready_hook(); return 0; }
int sdn_reloading(void) { return 0; }
int sdn_stopping(void) { return 0; }
int sdn_status(const char *fmt, ...) { (void)fmt; return 0; }
uint64_t sdn_watchdog_usec(void) { return 0; }
int sdn_watchdog_ping(void) { return 0; }
int sdn_listen_fds(void) { return 0; }
int
sdn_is_socket_inet(int fd, int family, int type, uint16_t port)
{
	(void)fd; (void)family; (void)type; (void)port;
	return -ENOSYS;
}
#endif

int
sdn_expects_ready(void)
{
	const char *e = getenv("NOTIFY_SOCKET");

	return e != NULL && *e != '\0';
}

int
sdn_under_systemd(void)
{
	return sdn_expects_ready();
}
