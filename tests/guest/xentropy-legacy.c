/*
 * xentropy-legacy: play an old MirageOS guest against xentropyd
 * --legacy-mirage-channel, from a Linux guest (lab test program).
 *
 *   xentropy-legacy [-n BYTES] [-t SECONDS] [--bad | --reset]
 *                   [--chatter BYTES | --flood]
 *
 * Finds the console named org.openmirage.entropy.1 among its own
 * device/console/<n> (polling xenstore: watches break in static binaries),
 * waits until its kernel has connected it, opens /dev/hvc<n> raw, sends
 * the hello, checks that the reply comes first and exactly, then reads
 * BYTES (default 4096) and prints them in hex. --bad sends something else
 * than the hello instead and exits 0 once it is sent. --reset first
 * restarts a console that was closed (after --bad): once its frontend is
 * Closed it takes the kernel's hvc_xen off the device, sets the frontend
 * back to Initialising, waits for the backend's InitWait and gives the
 * device back to hvc_xen, which connects a fresh ring; then it goes on as
 * without it. (hvc_xen reconnects from Closed straight to Initialised and
 * closes again if it finds the backend still Closed: the reset waits for
 * InitWait first.)
 * After the reply, --chatter writes BYTES of text, which the daemon
 * discards, and goes on reading. --flood, after the hello, writes as fast
 * as the console takes (up to 64 KiB, for 10 s at most) without reading,
 * prints how much went out, and exits 0 (or SIGALRM ends it after 20 s,
 * should the closed console's tty hold it): the daemon is to close the
 * console for it.
 * Exit: 0 ok, 1 error, 2 usage, 3 no such console, 4 wrong reply,
 * 5 timed out.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <xenstore.h>
#include <xen/io/xenbus.h>

#include "legacy-proto.h"

#define POLL_MS 50
#define XENCONS_DRIVER "/sys/bus/xen/drivers/xenconsole"
#define HVC_MAJOR 229
#define MAX_BYTES (1u << 20)
/* struct xencons_interface's out ring, guest to daemon. */
#define CONSRING_OUT 2048

enum { EX_OK, EX_ERR, EX_USAGE, EX_NOCONS, EX_REPLY, EX_TIMEOUT };

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int
read_int(struct xs_handle *xs, const char *path, long *out)
{
	unsigned int len;
	char *v = xs_read(xs, XBT_NULL, path, &len), *end;

	if (v == NULL)
		return -1;
	*out = strtol(v, &end, 10);
	free(v);
	return end == v ? -1 : 0;
}

/*
 * The number of the console named XE_LEGACY_NAME whose frontend is in
 * state want (any state if want < 0), or -1; *state is the last state
 * seen of one so named.
 */
static int
find_console(struct xs_handle *xs, long want, long *state)
{
	unsigned int n = 0;
	char **ents = xs_directory(xs, XBT_NULL, "device/console", &n);
	int found = -1;

	for (unsigned int i = 0; ents && i < n && found < 0; i++) {
		char path[96], *name;
		unsigned int len;

		snprintf(path, sizeof(path), "device/console/%s/name", ents[i]);
		name = xs_read(xs, XBT_NULL, path, &len);
		if (name && strcmp(name, XE_LEGACY_NAME) == 0) {
			snprintf(path, sizeof(path), "device/console/%s/state",
			    ents[i]);
			if (read_int(xs, path, state) == 0 &&
			    (want < 0 || *state == want))
				found = atoi(ents[i]);
		}
		free(name);
	}
	free(ents);
	return found;
}

/* Writes "console-<n>" to the driver's bind or unbind file. */
static int
xencons_driver(const char *what, int n)
{
	char path[96], dev[32];
	int fd, len, r = 0;

	snprintf(path, sizeof(path), "%s/%s", XENCONS_DRIVER, what);
	len = snprintf(dev, sizeof(dev), "console-%d", n);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 ||
	    write(fd, dev, (size_t)len) != len)
		r = -errno;
	if (fd >= 0)
		close(fd);
	return r;
}

/* Waits for path to read as want; 0 or -ETIMEDOUT. */
static int
wait_int(struct xs_handle *xs, const char *path, long want, long deadline)
{
	long v;

	while (read_int(xs, path, &v) < 0 || v != want) {
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		usleep(POLL_MS * 1000);
	}
	return 0;
}

/* See --reset at the top; exit code or EX_OK. */
static int
reset_console(struct xs_handle *xs, long deadline)
{
	char path[96], v[16], *be;
	unsigned int len;
	long state = -1;
	int n, r;

	while ((n = find_console(xs, XenbusStateClosed, &state)) < 0) {
		if (now_ms() >= deadline) {
			fprintf(stderr, "xentropy-legacy: no closed console "
			    "named %s (state %ld)\n", XE_LEGACY_NAME, state);
			return state < 0 ? EX_NOCONS : EX_TIMEOUT;
		}
		usleep(POLL_MS * 1000);
	}
	/* Not bound (ENODEV) is fine: then nothing holds the device. */
	if ((r = xencons_driver("unbind", n)) < 0 && r != -ENODEV) {
		fprintf(stderr, "xentropy-legacy: unbind console-%d: %s\n", n,
		    strerror(-r));
		return EX_ERR;
	}
	snprintf(path, sizeof(path), "device/console/%d/state", n);
	len = (unsigned int)snprintf(v, sizeof(v), "%d",
	    XenbusStateInitialising);
	if (!xs_write(xs, XBT_NULL, path, v, len)) {
		fprintf(stderr, "xentropy-legacy: %s: %s\n", path,
		    strerror(errno));
		return EX_ERR;
	}
	snprintf(path, sizeof(path), "device/console/%d/backend", n);
	if ((be = xs_read(xs, XBT_NULL, path, &len)) == NULL) {
		fprintf(stderr, "xentropy-legacy: %s: %s\n", path,
		    strerror(errno));
		return EX_ERR;
	}
	snprintf(path, sizeof(path), "%s/state", be);
	free(be);
	if (wait_int(xs, path, XenbusStateInitWait, deadline) < 0) {
		fprintf(stderr, "xentropy-legacy: the backend did not go "
		    "back to InitWait\n");
		return EX_TIMEOUT;
	}
	if ((r = xencons_driver("bind", n)) < 0) {
		fprintf(stderr, "xentropy-legacy: bind console-%d: %s\n", n,
		    strerror(-r));
		return EX_ERR;
	}
	fprintf(stderr, "xentropy-legacy: console %d reset\n", n);
	return EX_OK;
}

static int
open_hvc(int n)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/dev/hvc%d", n);
	fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT &&
	    mknod(path, S_IFCHR | 0600, makedev(HVC_MAJOR, n)) == 0)
		fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	return fd;
}

/*
 * Writes all of buf before the deadline: a tty may take part of it, or
 * say EAGAIN, and the rest must follow. 0, or -1 with a message.
 */
static int
write_all(int fd, const void *buf, size_t len, long deadline)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && (errno == EINTR || errno == EAGAIN) &&
		    now_ms() < deadline) {
			struct pollfd pf = { fd, POLLOUT, 0 };

			poll(&pf, 1, POLL_MS);
			continue;
		}
		if (w <= 0) {
			fprintf(stderr, "xentropy-legacy: write: %s\n",
			    w < 0 ? strerror(errno) : "nothing written");
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Reads exactly len bytes before the deadline; 0, or -ETIMEDOUT/-errno. */
static int
read_all(int fd, unsigned char *buf, size_t len, long deadline)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd p = { fd, POLLIN, 0 };
		long left = deadline - now_ms();
		ssize_t r;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return -errno;
		if (!(p.revents & POLLIN))
			continue;
		r = read(fd, buf + got, len - got);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EPIPE;
		got += (size_t)r;
	}
	return 0;
}

/* Text, as a guest that logs to the wrong console would write. */
static int
send_chatter(int fd, unsigned long len, long deadline)
{
	static const char line[] = "guest: a line for another console\r\n";
	char *buf = malloc(len);
	int r;

	if (buf == NULL)
		return -1;
	for (unsigned long i = 0; i < len; i++)
		buf[i] = line[i % (sizeof(line) - 1)];
	r = write_all(fd, buf, len, deadline);
	free(buf);
	if (r == 0)
		fprintf(stderr, "xentropy-legacy: %lu bytes of chatter\n", len);
	return r;
}

/* Writes without pause until 64 KiB went out, the console stops, or 10 s. */
static int
flood_console(int fd)
{
	static char buf[1024];
	long deadline = now_ms() + 10000;
	unsigned long sent = 0;

	memset(buf, 'x', sizeof(buf));
	/*
	 * Once the daemon closes the console, nothing drains what the tty
	 * still holds: a write or the last close could wait for it. The
	 * alarm ends the program then (the daemon's side is what counts).
	 */
	alarm(20);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (sent < 65536 && now_ms() < deadline) {
		ssize_t w = write(fd, buf, sizeof(buf));

		if (w > 0) {
			sent += (unsigned long)w;
		} else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pf = { fd, POLLOUT, 0 };

			if (poll(&pf, 1, POLL_MS) == 0 &&
			    sent > 2 * CONSRING_OUT)
				break;	/* stuck: the daemon stopped reading */
		} else {
			break;
		}
	}
	fprintf(stderr, "xentropy-legacy: flooded %lu bytes\n", sent);
	close(fd);
	return EX_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bytes", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "bad", no_argument, NULL, 'b' },
		{ "reset", no_argument, NULL, 'r' },
		{ "chatter", required_argument, NULL, 'c' },
		{ "flood", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long want = 4096, chatter = 0;
	long timeout = 30, deadline;
	int c, bad = 0, reset = 0, flood = 0, n, fd, r;
	long state;
	struct xs_handle *xs;
	struct termios tio;
	unsigned char *buf;

	while ((c = getopt_long(argc, argv, "n:t:", opts, NULL)) != -1) {
		switch (c) {
		case 'n': want = strtoul(optarg, NULL, 10); break;
		case 't': timeout = strtol(optarg, NULL, 10); break;
		case 'b': bad = 1; break;
		case 'r': reset = 1; break;
		case 'c': chatter = strtoul(optarg, NULL, 10); break;
		case 'f': flood = 1; break;
		default: return EX_USAGE;
		}
	}
	if (want == 0 || want > MAX_BYTES || timeout <= 0 || optind != argc ||
	    (bad && reset) || chatter > MAX_BYTES || (bad && (chatter ||
	    flood)) || (chatter && flood)) {
		fprintf(stderr, "usage: xentropy-legacy [-n 1..%u] "
		    "[-t seconds] [--bad | --reset] [--chatter BYTES | "
		    "--flood]\n", MAX_BYTES);
		return EX_USAGE;
	}
	deadline = now_ms() + timeout * 1000;
	if ((xs = xs_open(0)) == NULL) {
		fprintf(stderr, "xentropy-legacy: xenstore: %s\n",
		    strerror(errno));
		return EX_ERR;
	}
	if (reset && (r = reset_console(xs, deadline)) != EX_OK) {
		xs_close(xs);
		return r;
	}
	while ((n = find_console(xs, XenbusStateConnected, &state)) < 0 &&
	    now_ms() < deadline)
		usleep(POLL_MS * 1000);
	xs_close(xs);
	if (n < 0) {
		fprintf(stderr, "xentropy-legacy: no connected console named "
		    "%s\n", XE_LEGACY_NAME);
		return EX_NOCONS;
	}
	fprintf(stderr, "xentropy-legacy: console %d\n", n);
	/*
	 * Raw: no echo of what arrives, no newline translation either way.
	 * Reopened right after an earlier close, the hvc tty can come up
	 * with an I/O error (its interrupt is not free again yet): seen as
	 * EIO in the lab; a fresh open a moment later works. Just after the
	 * console (re)connects, the frontend's state can say Connected before
	 * the kernel has the tty: ENODEV, seen in the lab too.
	 */
	for (;;) {
		if ((fd = open_hvc(n)) < 0) {
			if ((errno == ENODEV || errno == ENXIO ||
			    errno == EIO) && now_ms() < deadline) {
				usleep(POLL_MS * 1000);
				continue;
			}
			fprintf(stderr, "xentropy-legacy: /dev/hvc%d: %s\n", n,
			    strerror(errno));
			return EX_ERR;
		}
		if (tcgetattr(fd, &tio) == 0) {
			cfmakeraw(&tio);
			if (tcsetattr(fd, TCSANOW, &tio) == 0)
				break;
		}
		if (errno != EIO || now_ms() >= deadline) {
			fprintf(stderr, "xentropy-legacy: /dev/hvc%d: raw "
			    "mode: %s\n", n, strerror(errno));
			return EX_ERR;
		}
		close(fd);
		usleep(POLL_MS * 1000);
	}
	if (bad) {
		static const char junk[] = "Hello, may I have some JUNK?\r\n";

		r = write_all(fd, junk, sizeof(junk) - 1, deadline);
		tcdrain(fd);
		close(fd);
		return r == 0 ? EX_OK : EX_ERR;
	}
	if (write_all(fd, XE_LEGACY_HELLO, XE_LEGACY_HELLO_LEN, deadline) < 0)
		return EX_ERR;
	if (flood)
		return flood_console(fd);
	if ((buf = malloc(XE_LEGACY_REPLY_LEN + want)) == NULL)
		return EX_ERR;
	r = read_all(fd, buf, XE_LEGACY_REPLY_LEN, deadline);
	if (r < 0) {
		fprintf(stderr, "xentropy-legacy: no reply: %s\n",
		    strerror(-r));
		return r == -ETIMEDOUT ? EX_TIMEOUT : EX_ERR;
	}
	if (memcmp(buf, XE_LEGACY_REPLY, XE_LEGACY_REPLY_LEN) != 0) {
		fprintf(stderr, "xentropy-legacy: wrong reply '%.*s'\n",
		    (int)XE_LEGACY_REPLY_LEN, buf);
		return EX_REPLY;
	}
	if (chatter && send_chatter(fd, chatter, deadline) < 0)
		return EX_ERR;
	r = read_all(fd, buf, want, deadline);
	if (r < 0) {
		fprintf(stderr, "xentropy-legacy: reading %lu bytes: %s\n",
		    want, strerror(-r));
		return r == -ETIMEDOUT ? EX_TIMEOUT : EX_ERR;
	}
	for (unsigned long i = 0; i < want; i++)
		printf("%02x", buf[i]);
	printf("\n");
	fprintf(stderr, "xentropy-legacy: %lu bytes after the reply\n", want);
	close(fd);
	free(buf);
	return EX_OK;
}
