/*
 * xlab-tput: TCP bulk throughput between a lab guest and dom0, for
 * bench/netbackd.
 *
 *   xlab-tput server PORT            serve clients, one after another
 *   xlab-tput send HOST PORT SECS    we send for SECS, the server sinks
 *   xlab-tput recv HOST PORT SECS    the server sends for SECS, we sink
 *   xlab-tput put HOST PORT MIB      send MIB MiB of a pseudo-random stream
 *   xlab-tput take PORT              take one connection's bytes to EOF
 *
 * The client prints "bytes=N secs=S mbit=M" and exits 0. put and take,
 * for the lab's bulk transfers with matching sums (netbackd-bulk), print
 * "bytes=N sum=S": S hashes the bytes in order, so a segment lost,
 * doubled or damaged on the way changes it; the stream is xorshift64*
 * output, which never repeats within a transfer (a repeated block would
 * let a doubled copy of it go unseen), and both ends run in C because
 * busybox's cat | tee | sha256sum pipelines took minutes a transfer under
 * emulation. "send" counts
 * what the server says it received, and stops the clock when that count
 * arrives, so bytes still queued in our socket are not counted as moved.
 *
 * Why not iperf3: the lab's guests run a busybox initramfs with static
 * programs only, and Debian's iperf3 is a dynamic binary (libiperf,
 * libssl, libsctp). Built statically here, the same program runs in
 * the guest and in dom0.
 *
 * Protocol: the client's first byte is 'r' (server receives until EOF,
 * then answers its byte count, 8 bytes big-endian) or 's' followed by 4
 * bytes big-endian of seconds (server sends that long, then closes).
 */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ (128 * 1024)
#define MAX_SECS 3600

static unsigned char buf[BUFSZ];

/* a 64-bit hash of a byte stream, the same however the stream is split
 * into reads: the bytes are taken as little-endian 64-bit words */
struct sum {
	uint64_t h, part, bytes;
	unsigned nbits;
};

static void sum_word(struct sum *s, uint64_t w)
{
	s->h = (s->h ^ w) * 0x100000001b3ULL;
	s->h ^= s->h >> 31;
}

static void sum_add(struct sum *s, const unsigned char *p, size_t n)
{
	s->bytes += n;
	while (n && s->nbits) {
		s->part |= (uint64_t)*p++ << s->nbits;
		n--;
		s->nbits = (s->nbits + 8) % 64;
		if (!s->nbits) {
			sum_word(s, s->part);
			s->part = 0;
		}
	}
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w = 0;
		int i;

		for (i = 7; i >= 0; i--)
			w = w << 8 | p[i];
		sum_word(s, w);
	}
	for (; n; n--, s->nbits += 8)
		s->part |= (uint64_t)*p++ << s->nbits;
}

static uint64_t sum_end(struct sum *s)
{
	sum_word(s, s->part);
	sum_word(s, s->bytes);
	return s->h;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: xlab-tput server PORT | send HOST PORT SECS | "
		"recv HOST PORT SECS | put HOST PORT MIB | take PORT\n");
	return 2;
}

static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, void *p, size_t n)
{
	unsigned char *c = p;

	while (n) {
		ssize_t r = read(fd, c, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/* sink FD until EOF; the byte count, or -1 on a read error */
static long long sink(int fd)
{
	long long total = 0;

	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return total;
		total += r;
	}
}

/* write to FD for SECS seconds; the byte count, or -1 */
static long long source(int fd, unsigned long secs)
{
	long long total = 0;
	double end = now() + (double)secs;

	while (now() < end) {
		if (write_all(fd, buf, sizeof(buf)) < 0)
			return -1;
		total += (long long)sizeof(buf);
	}
	return total;
}

/* a listening socket on PORT, or minus main's exit status */
static int listen_on(const char *port_s)
{
	struct sockaddr_in sa;
	unsigned long port;
	int s, one = 1;

	if (parse_num(port_s, 65535, &port) < 0)
		return -usage();
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		perror("xlab-tput: socket");
		return -1;
	}
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 4) < 0) {
		perror("xlab-tput: bind/listen");
		close(s);
		return -1;
	}
	return s;
}

/* a socket connected to HOST:PORT, or minus main's exit status */
static int connect_to(const char *host, const char *port_s)
{
	struct sockaddr_in sa;
	unsigned long port;
	int s;

	if (parse_num(port_s, 65535, &port) < 0)
		return -usage();
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return -usage();
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("xlab-tput: connect");
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

static void serve_one(int c)
{
	unsigned char hdr[5];
	long long n;
	unsigned long secs;
	int i;

	if (read_all(c, hdr, 1) < 0)
		return;
	if (hdr[0] == 'r') {
		unsigned char cnt[8];

		n = sink(c);
		if (n < 0)
			return;
		for (i = 0; i < 8; i++)
			cnt[i] = (unsigned char)((unsigned long long)n >> (56 - 8 * i));
		write_all(c, cnt, sizeof(cnt));
	} else if (hdr[0] == 's' && read_all(c, hdr + 1, 4) == 0) {
		secs = (unsigned long)hdr[1] << 24 | (unsigned long)hdr[2] << 16 |
			(unsigned long)hdr[3] << 8 | hdr[4];
		if (secs >= 1 && secs <= MAX_SECS)
			source(c, secs);
	}
}

static int server(const char *port_s)
{
	int s = listen_on(port_s);

	if (s < 0)
		return -s;
	for (;;) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("xlab-tput: accept");
			return 1;
		}
		serve_one(c);
		close(c);
	}
}

static int client(int sending, const char *host, const char *port_s,
		  const char *secs_s)
{
	unsigned long secs;
	unsigned char hdr[5], cnt[8];
	long long n;
	double t0, t1;
	int s, i;

	if (parse_num(secs_s, MAX_SECS, &secs) < 0)
		return usage();
	s = connect_to(host, port_s);
	if (s < 0)
		return -s;
	t0 = now();
	if (sending) {
		hdr[0] = 'r';
		if (write_all(s, hdr, 1) < 0 || source(s, secs) < 0 ||
		    shutdown(s, SHUT_WR) < 0 || read_all(s, cnt, 8) < 0) {
			perror("xlab-tput: send");
			return 1;
		}
		for (n = 0, i = 0; i < 8; i++)
			n = n << 8 | cnt[i];
	} else {
		hdr[0] = 's';
		for (i = 0; i < 4; i++)
			hdr[1 + i] = (unsigned char)(secs >> (24 - 8 * i));
		if (write_all(s, hdr, 5) < 0 || (n = sink(s)) < 0) {
			perror("xlab-tput: recv");
			return 1;
		}
	}
	t1 = now();
	close(s);
	printf("bytes=%lld secs=%.3f mbit=%.1f\n", n, t1 - t0,
	       (double)n * 8 / 1e6 / (t1 - t0));
	return 0;
}

/* put: MIB MiB of xorshift64* words to HOST:PORT, then close; the
 * stream is seeded with the port, so that two transfers on different
 * ports do not show the same sum */
static int put(const char *host, const char *port_s, const char *mib_s)
{
	unsigned long mib, port, i;
	uint64_t x;
	struct sum sum = { .h = 0xcbf29ce484222325ULL };
	size_t j;
	int s;

	if (parse_num(mib_s, 1UL << 20, &mib) < 0 ||
	    parse_num(port_s, 65535, &port) < 0)
		return usage();
	x = 0x9e3779b97f4a7c15ULL ^ port;
	s = connect_to(host, port_s);
	if (s < 0)
		return -s;
	for (i = 0; i < mib * (1024 * 1024 / BUFSZ); i++) {
		for (j = 0; j < BUFSZ; j += 8) {
			uint64_t w;
			int k;

			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			w = x * 0x2545f4914f6cdd1dULL;
			for (k = 0; k < 8; k++)
				buf[j + k] = (unsigned char)(w >> 8 * k);
		}
		sum_add(&sum, buf, BUFSZ);
		if (write_all(s, buf, BUFSZ) < 0) {
			perror("xlab-tput: put");
			return 1;
		}
	}
	if (close(s) < 0) {
		perror("xlab-tput: put");
		return 1;
	}
	printf("bytes=%llu sum=%016llx\n", (unsigned long long)sum.bytes,
	       (unsigned long long)sum_end(&sum));
	return 0;
}

/* take: one connection on PORT, its bytes to EOF */
static int take(const char *port_s)
{
	struct sum sum = { .h = 0xcbf29ce484222325ULL };
	int s = listen_on(port_s), c;

	if (s < 0)
		return -s;
	do
		c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
	while (c < 0 && errno == EINTR);
	if (c < 0) {
		perror("xlab-tput: accept");
		return 1;
	}
	for (;;) {
		ssize_t r = read(c, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			perror("xlab-tput: take");
			return 1;
		}
		if (r == 0)
			break;
		sum_add(&sum, buf, (size_t)r);
	}
	printf("bytes=%llu sum=%016llx\n", (unsigned long long)sum.bytes,
	       (unsigned long long)sum_end(&sum));
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	/* a peer that goes away must fail a write, not kill us */
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	if (argc == 3 && strcmp(argv[1], "server") == 0)
		return server(argv[2]);
	if (argc == 5 && strcmp(argv[1], "send") == 0)
		return client(1, argv[2], argv[3], argv[4]);
	if (argc == 5 && strcmp(argv[1], "recv") == 0)
		return client(0, argv[2], argv[3], argv[4]);
	if (argc == 5 && strcmp(argv[1], "put") == 0)
		return put(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "take") == 0)
		return take(argv[2]);
	return usage();
}
