/* Retention of gone domains' logs, scanned in a thread of its own. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logname.h"
#include "retention.h"

static int
alive_has(char *const *alive, size_t n, const char *dom)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(alive[i], dom) == 0)
			return 1;
	return 0;
}

int
retention_scan(int dirfd, time_t now, uint64_t max_age_ms,
	       char *const *alive, size_t n, retention_fn removed, void *arg)
{
	char dom[LOGNAME_MAX + 1], cname[LOGNAME_MAX + 1];
	struct dirent *de;
	int fd, count = 0;
	DIR *dir;

	/* fdopendir takes its fd; rewound, as the caller's may be read. */
	if ((fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -errno;
	if ((dir = fdopendir(fd)) == NULL) {
		int e = errno;

		close(fd);
		return -e;
	}
	rewinddir(dir);
	while ((de = readdir(dir)) != NULL) {
		unsigned long rot;
		struct stat st;
		uint64_t age;
		int err = 0;

		if (logname_parse(de->d_name, dom, sizeof(dom), cname,
		    sizeof(cname), &rot) < 0 || alive_has(alive, n, dom))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		/* A clock set back makes mtimes future: not old, then. */
		age = st.st_mtime >= now ? 0 : (uint64_t)(now - st.st_mtime);
		if (age * 1000 < max_age_ms)
			continue;
		if (unlinkat(dirfd, de->d_name, 0) < 0)
			err = -errno;
		else
			count++;
		if (removed)
			removed(de->d_name, err, arg);
	}
	closedir(dir);
	return count;
}

struct ret_result {
	struct ret_result *next;
	int err;
	char file[];
};

struct retention {
	int dirfd, efd;
	uint64_t max_age_ms;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	int stop;
	char **want;		/* the next scan's live domains; NULL: none */
	size_t nwant;
	int wanted;
	struct ret_result *results, **tail;
};

static void
names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* In the thread: queued for the loop's retention_collect. */
static void
ret_removed(const char *file, int err, void *arg)
{
	struct retention *r = arg;
	size_t len = strlen(file) + 1;
	struct ret_result *e = malloc(sizeof(*e) + len);
	uint64_t one = 1;

	if (e == NULL)
		return;
	e->next = NULL;
	e->err = err;
	memcpy(e->file, file, len);
	pthread_mutex_lock(&r->mu);
	*r->tail = e;
	r->tail = &e->next;
	pthread_mutex_unlock(&r->mu);
	if (write(r->efd, &one, sizeof(one)) < 0) {
		/* the counter is full: the loop has been told */
	}
}

static void *
ret_thread(void *arg)
{
	struct retention *r = arg;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		char **alive;
		size_t n;

		while (!r->stop && !r->wanted)
			pthread_cond_wait(&r->cond, &r->mu);
		if (r->stop)
			break;
		alive = r->want;
		n = r->nwant;
		r->want = NULL;
		r->nwant = 0;
		r->wanted = 0;
		pthread_mutex_unlock(&r->mu);
		retention_scan(r->dirfd, time(NULL), r->max_age_ms, alive, n,
		    ret_removed, r);
		names_free(alive, n);
		pthread_mutex_lock(&r->mu);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

int
retention_new(int dirfd, uint64_t max_age_ms, struct retention **out)
{
	struct retention *r = calloc(1, sizeof(*r));
	int e;

	if (r == NULL)
		return -ENOMEM;
	r->max_age_ms = max_age_ms;
	r->tail = &r->results;
	r->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	r->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (r->efd < 0 || r->dirfd < 0) {
		e = -errno;
		goto fail;
	}
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cond, NULL);
	if ((e = pthread_create(&r->thread, NULL, ret_thread, r)) != 0) {
		e = -e;
		pthread_cond_destroy(&r->cond);
		pthread_mutex_destroy(&r->mu);
		goto fail;
	}
	*out = r;
	return 0;
fail:
	if (r->efd >= 0)
		close(r->efd);
	if (r->dirfd >= 0)
		close(r->dirfd);
	free(r);
	return e;
}

int
retention_fd(const struct retention *r)
{
	return r->efd;
}

int
retention_request(struct retention *r, char *const *alive, size_t n)
{
	char **v = calloc(n ? n : 1, sizeof(*v));

	if (v == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if ((v[i] = strdup(alive[i])) == NULL) {
			names_free(v, i);
			return -ENOMEM;
		}
	}
	pthread_mutex_lock(&r->mu);
	names_free(r->want, r->nwant);
	r->want = v;
	r->nwant = n;
	r->wanted = 1;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->mu);
	return 0;
}

void
retention_collect(struct retention *r, retention_fn fn, void *arg)
{
	struct ret_result *e, *next;
	uint64_t v;

	if (read(r->efd, &v, sizeof(v)) < 0) {
		/* EAGAIN: nothing new, or a scan still to report */
	}
	pthread_mutex_lock(&r->mu);
	e = r->results;
	r->results = NULL;
	r->tail = &r->results;
	pthread_mutex_unlock(&r->mu);
	for (; e; e = next) {
		next = e->next;
		if (fn)
			fn(e->file, e->err, arg);
		free(e);
	}
}

void
retention_free(struct retention *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	names_free(r->want, r->nwant);
	retention_collect(r, NULL, NULL);
	close(r->efd);
	close(r->dirfd);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->mu);
	free(r);
}
