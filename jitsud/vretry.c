#include "config.h"

#include "vretry.h"

bool
vr_lost(struct vretry *v, uint64_t now)
{
	if (v->down)
		return false;
	v->down = true;
	v->tries = 0;
	v->next_ms = now;
	return true;
}

void
vr_failed(struct vretry *v, uint64_t now)
{
	uint64_t delay = VR_FIRST_MS;

	if (!v->down)
		return;
	for (unsigned int i = 0; i < v->tries && delay < VR_MAX_MS; i++)
		delay *= 2;
	v->tries++;
	v->next_ms = now + (delay < VR_MAX_MS ? delay : VR_MAX_MS);
}

bool
vr_due(const struct vretry *v, uint64_t now)
{
	return v->down && now >= v->next_ms;
}

uint64_t
vr_wait_ms(const struct vretry *v, uint64_t now)
{
	if (!v->down)
		return UINT64_MAX;
	return now >= v->next_ms ? 0 : v->next_ms - now;
}

unsigned int
vr_up(struct vretry *v)
{
	unsigned int n = v->down ? v->tries + 1 : 0;

	v->down = false;
	v->tries = 0;
	return n;
}
