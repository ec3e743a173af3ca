/*
 * The rate key's limit, handed from the main thread (which reads
 * xenstore) to a queue's thread (which owns the queue's credit): the
 * main thread posts the newest limit, the queue's thread takes it when
 * woken. Only the last posted counts, as only the key's last value
 * does. A mutex, not atomics: bytes and usec must arrive as a pair,
 * and a limit changes seldom.
 */
#ifndef NETBACKD_RATEBOX_H
#define NETBACKD_RATEBOX_H

#include <pthread.h>
#include <stdint.h>

struct ratebox {
	pthread_mutex_t mu;
	uint64_t bytes, usec;
	int posted;
};

void ratebox_init(struct ratebox *b);
void ratebox_fini(struct ratebox *b);
/* The new limit (0 bytes: none), replacing one not taken yet. */
void ratebox_post(struct ratebox *b, uint64_t bytes, uint64_t usec);
/* 1 and the limit posted since the last take, or 0. */
int ratebox_take(struct ratebox *b, uint64_t *bytes, uint64_t *usec);

#endif
