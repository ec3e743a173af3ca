/*
 * xentropy-client: fetch entropy from xentropyd, from inside a Linux guest.
 * Static, so that it runs from an initramfs at boot. See xentropyd(8).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/random.h>

#include "xentropy.h"
#include "gvchan.h"

enum { EX_OK = 0, EX_ERR = 1, EX_USAGE = 2, EX_THROTTLED = 3,
       EX_NODAEMON = 4, EX_TIMEOUT = 5 };

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: xentropy-client [-sxqv] [-n bytes] [-t seconds] [--no-wait]\n"
	    "  -n, --bytes=N      bytes to fetch (default 32, at most 1 MiB)\n"
	    "  -t, --timeout=S    give up after S seconds (default 5)\n"
	    "  -x, --hex          print the bytes in hex (default: raw)\n"
	    "  -s, --seed-kernel  credit the bytes to the kernel's RNG\n"
	    "                     (RNDADDENTROPY) instead of printing them\n"
	    "      --no-wait      do not wait out rate limits\n"
	    "  -q, --quiet        no messages on success\n"
	    "  -h, --help         this help\n"
	    "exit: 0 ok, 1 error, 2 usage, 3 rate-limited, 4 no entropy daemon,\n"
	    "      5 timed out\n");
}

static int
seed_kernel(const unsigned char *buf, size_t n)
{
	struct rand_pool_info *info;
	int fd, r = 0;

	info = malloc(sizeof(*info) + n + sizeof(info->buf[0]));
	if (info == NULL)
		return -ENOMEM;
	info->entropy_count = (int)(n * 8);
	info->buf_size = (int)n;
	memcpy(info->buf, buf, n);
	fd = open("/dev/random", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, RNDADDENTROPY, info) < 0)
		r = -errno;
	if (fd >= 0)
		close(fd);
	explicit_bzero(info, sizeof(*info) + n);
	free(info);
	return r;
}

static int
write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bytes", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "hex", no_argument, NULL, 'x' },
		{ "seed-kernel", no_argument, NULL, 's' },
		{ "no-wait", no_argument, NULL, 'W' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long n = 32;
	double timeout = 5;
	int c, hex = 0, seed = 0, flags = 0, quiet = 0, r, timeout_ms;
	int64_t t0 = gvchan_now_ms();
	struct xentropy *x;
	unsigned char *buf;
	size_t got = 0;
	uint32_t retry = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "n:t:xsqh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || n == 0 || n > (1UL << 20)) {
				fprintf(stderr, "xentropy-client: bad byte count "
				    "'%s'\n", optarg);
				return EX_USAGE;
			}
			break;
		case 't':
			timeout = strtod(optarg, &end);
			if (*end || !(timeout > 0 && timeout <= 3600)) {
				fprintf(stderr, "xentropy-client: bad timeout "
				    "'%s'\n", optarg);
				return EX_USAGE;
			}
			break;
		case 'x': hex = 1; break;
		case 's': seed = 1; break;
		case 'W': flags |= XENTROPY_NOWAIT; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EX_USAGE;
	}
	timeout_ms = (int)(timeout * 1000);
	buf = malloc(n);
	if (buf == NULL)
		return EX_ERR;

	r = xentropy_open(timeout_ms, &x);
	if (r == -ENOENT) {
		fprintf(stderr, "xentropy-client: no entropy daemon (checked "
		    "in %lld ms)\n", (long long)(gvchan_now_ms() - t0));
		return EX_NODAEMON;
	}
	if (r == -ETIMEDOUT) {
		fprintf(stderr, "xentropy-client: the entropy daemon offered "
		    "no channel within %g s\n", timeout);
		return EX_TIMEOUT;
	}
	if (r < 0) {
		fprintf(stderr, "xentropy-client: cannot connect (%s): %s\n",
		    xentropy_step, strerror(-r));
		return EX_ERR;
	}
	r = xentropy_read(x, buf, n, flags,
	    timeout_ms - (int)(gvchan_now_ms() - t0), &got, &retry);
	xentropy_close(x);
	if (r == -EAGAIN) {
		fprintf(stderr, "xentropy-client: rate-limited after %zu of "
		    "%lu bytes; retry after %u ms\n", got, n, retry);
		return EX_THROTTLED;
	}
	if (r == -ETIMEDOUT) {
		fprintf(stderr, "xentropy-client: timed out after %zu of %lu "
		    "bytes\n", got, n);
		return EX_TIMEOUT;
	}
	if (r < 0) {
		fprintf(stderr, "xentropy-client: after %zu of %lu bytes: %s\n",
		    got, n, strerror(-r));
		return EX_ERR;
	}
	if (seed) {
		if ((r = seed_kernel(buf, n)) < 0) {
			fprintf(stderr, "xentropy-client: RNDADDENTROPY: %s\n",
			    strerror(-r));
			return EX_ERR;
		}
		if (!quiet)
			fprintf(stderr, "xentropy-client: credited %lu bits to "
			    "the kernel's RNG\n", n * 8);
	}
	if (hex) {
		for (size_t i = 0; i < n; i++)
			printf("%02x", buf[i]);
		printf("\n");
		fflush(stdout);
	} else if (!seed && write_all(STDOUT_FILENO, buf, n) < 0) {
		return EX_ERR;
	}
	if (!quiet && !seed)
		fprintf(stderr, "xentropy-client: %lu bytes in %lld ms\n", n,
		    (long long)(gvchan_now_ms() - t0));
	explicit_bzero(buf, n);
	return EX_OK;
}
