/*
 * The pure tables (forward.c, hold.c) keep deadlines in milliseconds of
 * the monotonic clock; one libevent timer each follows the earliest.
 */
#ifndef JITSUD_DEADLINE_H
#define JITSUD_DEADLINE_H

#include <stdint.h>

struct event;

/* CLOCK_MONOTONIC in ms. */
uint64_t jd_now_ms(void);
/* Arms timer for deadline (UINT64_MAX: disarms it). */
void jd_timer_at(struct event *timer, uint64_t deadline);

#endif
