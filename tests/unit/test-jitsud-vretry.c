/*
 * The libvirt connection's reconnecting (vretry.c): lost once however
 * often it is found so, the first attempt at once, then delays that
 * double up to VR_MAX_MS and stay there, and back to up (with the number
 * of attempts) from any point.
 */
#include "config.h"

#include "check.h"
#include "vretry.h"

int
main(void)
{
	static const uint64_t delays[] = { 250, 500, 1000, 2000, 4000, 5000,
	    5000, 5000 };
	struct vretry v = { 0 };
	uint64_t t = 1000;

	/* up: nothing due, nothing to wait for */
	CHECK(!vr_due(&v, t));
	CHECK_EQ(vr_wait_ms(&v, t), UINT64_MAX);
	CHECK_EQ(vr_up(&v), 0);
	vr_failed(&v, t);		/* not down: no effect */
	CHECK(!v.down);

	/* lost: said once; the first attempt is due at once */
	CHECK(vr_lost(&v, t));
	CHECK(!vr_lost(&v, t + 5));
	CHECK(!vr_lost(&v, t + 10));
	CHECK(vr_due(&v, t));
	CHECK_EQ(vr_wait_ms(&v, t), 0);

	/* each failure: the next attempt after a doubling delay, capped */
	for (unsigned int i = 0; i < sizeof(delays) / sizeof(*delays); i++) {
		vr_failed(&v, t);
		CHECK(!vr_due(&v, t));
		CHECK_EQ(vr_wait_ms(&v, t), delays[i]);
		CHECK(!vr_due(&v, t + delays[i] - 1));
		CHECK_EQ(vr_wait_ms(&v, t + delays[i] - 1), 1);
		CHECK(vr_due(&v, t + delays[i]));
		t += delays[i];
	}
	/* a loss found again while down changes nothing */
	CHECK(!vr_lost(&v, t));
	CHECK(vr_due(&v, t));
	CHECK_EQ(v.tries, 8);

	/* up: the attempts it took (8 failed, this one); then a new loss is
	 * said again and starts from the first delay */
	CHECK_EQ(vr_up(&v), 9);
	CHECK(!vr_due(&v, t));
	CHECK_EQ(vr_up(&v), 0);
	CHECK(vr_lost(&v, t));
	CHECK_EQ(vr_up(&v), 1);		/* the attempt at once worked */
	CHECK(vr_lost(&v, t));
	vr_failed(&v, t);
	CHECK_EQ(vr_wait_ms(&v, t), 250);

	/* a very long outage: the delay stays capped (no overflow) */
	for (int i = 0; i < 100; i++)
		vr_failed(&v, t);
	CHECK_EQ(vr_wait_ms(&v, t), VR_MAX_MS);
	return CHECK_DONE();
}
