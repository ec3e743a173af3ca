/*
 * libFuzzer target: the xenbus backend state machine, xbe_next()
 * (lib/xenbus_be.h). The frontend's state is the guest's to write, any
 * integer; online and hotplug-status are the toolstack's. The input is a
 * sequence of what the device layer reads, each settled the way
 * xbe_eval() settles it (apply the step, look again, up to 8 times), with
 * connect() failing when the input says so. Checked, whatever the
 * starting state: a step never asks for an invalid state or writes the
 * one it is in; features lead to InitWait, connect to Connected,
 * disconnect out of Connected, removal to no write; nothing is set up
 * while offline, for a frontend that is not ready, or for the
 * connection the backend gave up on; the device is connected exactly
 * while its state is Connected (so a mapping is never made twice or
 * leaked); and the machine settles within xbe_eval()'s 8 steps.
 */
#include "config.h"

#include "fuzz.h"
#include "xenbus_be.h"

static int
valid_target(int s)
{
	return s >= XenbusStateInitialising && s <= XenbusStateClosed;
}

static int
any_state(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);

	/* Mostly the real states, sometimes anything a guest can write. */
	return b < 240 ? b % 10 : (int)(fuzz_u32(in) & 0x7fffffff);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	int state = any_state(&in), failed = fuzz_u8(&in) & 1;
	int connected = state == XenbusStateConnected;

	while (in.left > 0) {
		struct xbe_input x;
		uint8_t b = fuzz_u8(&in);
		int connect_fails = b & 8, settled = 0, removed = 0;

		x.fe_state = any_state(&in);
		x.online = b & 1;
		x.hotplug_ok = (b >> 1) & 1;
		for (int i = 0; i < 8 && !settled && !removed; i++) {
			struct xbe_step s;
			int held;

			x.failed = failed;
			held = failed && !xbe_fe_restarted(x.fe_state);
			s = xbe_next(state, &x);
			FUZZ_CHECK(s.state == -1 || valid_target(s.state));
			FUZZ_CHECK(s.state != state);
			FUZZ_CHECK(xbstate_name(state) != NULL);
			if (xbe_fe_restarted(x.fe_state))
				failed = 0;
			switch (s.action) {
			case XBE_FEATURES:
				FUZZ_CHECK(s.state == XenbusStateInitWait);
				FUZZ_CHECK(x.online && !held);
				break;
			case XBE_CONNECT:
				FUZZ_CHECK(s.state == XenbusStateConnected);
				FUZZ_CHECK(x.online && !held && x.hotplug_ok);
				FUZZ_CHECK(x.fe_state == XenbusStateInitialised ||
				    x.fe_state == XenbusStateConnected);
				FUZZ_CHECK(!connected);
				if (connect_fails) {
					s.state = XenbusStateClosing;
					failed = 1;
				} else {
					connected = 1;
				}
				break;
			case XBE_DISCONNECT:
				FUZZ_CHECK(state == XenbusStateConnected);
				FUZZ_CHECK(s.state == XenbusStateClosing ||
				    s.state == XenbusStateClosed);
				connected = 0;
				break;
			case XBE_REMOVE:
				FUZZ_CHECK(s.state == -1 && !x.online);
				FUZZ_CHECK(!connected);
				removed = 1;
				break;
			case XBE_NONE:
				break;
			default:
				FUZZ_CHECK(!"unknown action");
			}
			if (s.state < 0)
				settled = 1;
			else
				state = s.state;
			FUZZ_CHECK(connected == (state == XenbusStateConnected));
		}
		if (removed)
			break;
		FUZZ_CHECK(settled);
	}
	return 0;
}
