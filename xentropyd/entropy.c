/* Random bytes for guests; see entropy.h. */
#include "config.h"

#include <errno.h>
#include <sys/random.h>

#include "entropy.h"

int
xe_fill_random(uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, GRND_NONBLOCK);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		got += (size_t)r;
	}
	return 0;
}
