/*
 * xentropy-bench: the measuring end of bench/xentropyd, static so that the
 * same binary runs in dom0 and in the lab's guests.
 *
 *   xentropy-bench getrandom BYTES   getrandom(2) throughput, in calls of
 *                                    XENTROPY_MAX_REQUEST bytes, as the
 *                                    daemon makes them
 *   xentropy-bench fetch BYTES [WINDOW]
 *                                    in a guest: connect to xentropyd, time
 *                                    the first 32 bytes, then BYTES with
 *                                    WINDOW requests in flight, in reads
 *                                    of up to FETCH_CHUNK
 * One result line on stderr: "key=value ..." (MB are 10^6 bytes).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>

#include "xentropy.h"
#include "xentropy_proto.h"

/*
 * Bytes per xentropy_read() of a fetch. Each call's window of requests
 * drains at its end, and the daemon then idles while the guest reads the
 * last answers: with reads of 1 MiB that was a quarter of the daemon's
 * time, a cost of the loop here, not of the daemon.
 */
#define FETCH_CHUNK (64u << 20)

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
tv_secs(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	static unsigned char buf[1 << 16];
	unsigned char *big;
	unsigned long long n, done = 0;
	double t0, t1, t2, t3;
	struct xentropy *x;
	struct rusage ru;
	int r;

	if (argc < 3 || argc > 4 || (n = strtoull(argv[2], NULL, 10)) == 0) {
		fprintf(stderr, "usage: xentropy-bench getrandom|fetch BYTES "
		    "[WINDOW]\n");
		return 2;
	}
	if (strcmp(argv[1], "getrandom") == 0) {
		t0 = now();
		while (done < n) {
			size_t c = n - done > XENTROPY_MAX_REQUEST ?
			    XENTROPY_MAX_REQUEST : n - done;
			ssize_t g = getrandom(buf, c, 0);

			if (g < 0 && errno != EINTR)
				return 1;
			if (g > 0)
				done += (size_t)g;
		}
		t1 = now();
		fprintf(stderr, "getrandom bytes=%llu secs=%.3f mbps=%.2f\n", n,
		    t1 - t0, n / (t1 - t0) / 1e6);
		return 0;
	}
	if (strcmp(argv[1], "fetch") != 0)
		return 2;
	big = malloc(n < FETCH_CHUNK ? n : FETCH_CHUNK);
	if (big == NULL) {
		fprintf(stderr, "fetch: out of memory\n");
		return 1;
	}
	/*
	 * Its page faults (costly in a PV guest) are not the daemon's. Not
	 * zeroes: the compiler would make malloc and memset a calloc, which
	 * touches nothing.
	 */
	memset(big, 0xa5, n < FETCH_CHUNK ? n : FETCH_CHUNK);
	t0 = now();
	if ((r = xentropy_open(30000, &x)) < 0) {
		fprintf(stderr, "fetch: cannot connect: %s\n", strerror(-r));
		return 1;
	}
	if (argc == 4 && (r = xentropy_set_window(x,
	    (unsigned int)strtoul(argv[3], NULL, 10))) < 0) {
		fprintf(stderr, "fetch: window: %s\n", strerror(-r));
		return 2;
	}
	t1 = now();
	if ((r = xentropy_read(x, buf, 32, 0, 30000, NULL, NULL)) < 0) {
		fprintf(stderr, "fetch: first bytes: %s\n", strerror(-r));
		return 1;
	}
	t2 = now();
	while (done < n) {
		size_t c = n - done > FETCH_CHUNK ? FETCH_CHUNK : n - done;

		if ((r = xentropy_read(x, big, c, 0, 60000, NULL, NULL)) < 0) {
			fprintf(stderr, "fetch: after %llu bytes: %s\n", done,
			    strerror(-r));
			return 1;
		}
		done += c;
	}
	t3 = now();
	free(big);
	xentropy_close(x);
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "fetch connect_ms=%.1f first_ms=%.1f bytes=%llu "
	    "secs=%.3f mbps=%.2f window=%s user=%.3f sys=%.3f waits=%ld\n",
	    (t1 - t0) * 1e3, (t2 - t1) * 1e3, n, t3 - t2,
	    n / (t3 - t2) / 1e6, argc == 4 ? argv[3] : "default",
	    tv_secs(&ru.ru_utime), tv_secs(&ru.ru_stime), ru.ru_nvcsw);
	return 0;
}
