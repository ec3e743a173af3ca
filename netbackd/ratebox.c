/* A new rate limit passed between threads. */
#include "config.h"

#include "ratebox.h"

void
ratebox_init(struct ratebox *b)
{
	pthread_mutex_init(&b->mu, NULL);
	b->bytes = b->usec = 0;
	b->posted = 0;
}

void
ratebox_fini(struct ratebox *b)
{
	pthread_mutex_destroy(&b->mu);
}

void
ratebox_post(struct ratebox *b, uint64_t bytes, uint64_t usec)
{
	pthread_mutex_lock(&b->mu);
	b->bytes = bytes;
	b->usec = usec;
	b->posted = 1;
	pthread_mutex_unlock(&b->mu);
}

int
ratebox_take(struct ratebox *b, uint64_t *bytes, uint64_t *usec)
{
	int posted;

	pthread_mutex_lock(&b->mu);
	posted = b->posted;
	if (posted) {
		*bytes = b->bytes;
		*usec = b->usec;
		b->posted = 0;
	}
	pthread_mutex_unlock(&b->mu);
	return posted;
}
