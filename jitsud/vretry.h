/*
 * The libvirt connection's reconnecting, without the I/O: when it was
 * lost (said once, however many calls find it so), when the next attempt
 * is due (at once, then after a delay that doubles up to VR_MAX_MS, so
 * that a libvirtd that is back is found within 5 s and one that stays
 * away costs a connect every 5 s), and when it is up again. Times in ms
 * of a monotonic clock.
 */
#ifndef JITSUD_VRETRY_H
#define JITSUD_VRETRY_H

#include <stdbool.h>
#include <stdint.h>

#define VR_FIRST_MS 250
#define VR_MAX_MS 5000

struct vretry {
	bool down;
	unsigned int tries;	/* failed attempts since it was lost */
	uint64_t next_ms;	/* down: the next attempt */
};

/* Lost: true if it was up (then say so). The first attempt is due now. */
bool vr_lost(struct vretry *v, uint64_t now);
/* An attempt failed: the next one after the delay. */
void vr_failed(struct vretry *v, uint64_t now);
/* Down, and an attempt is due. */
bool vr_due(const struct vretry *v, uint64_t now);
/* How long until the next attempt: 0 when due, UINT64_MAX when up. */
uint64_t vr_wait_ms(const struct vretry *v, uint64_t now);
/* Connected: the attempts it took, this one included (0: it was not
 * down). */
unsigned int vr_up(struct vretry *v);

#endif
