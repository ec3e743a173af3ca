/* Xenbus states: names, strict parsing, allowed moves. No I/O. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "xbstate.h"

#define XBSTATE_N (XenbusStateReconfigured + 1)

const char *
xbstate_name(int s)
{
	static const char *const n[XBSTATE_N] = { "Unknown", "Initialising",
	    "InitWait", "Initialised", "Connected", "Closing", "Closed",
	    "Reconfiguring", "Reconfigured" };

	return s >= 0 && s < XBSTATE_N ? n[s] : "invalid";
}

int
xbstate_parse(const char *val, size_t len, int *state)
{
	unsigned v = 0;

	/* Any state is one digit: a longer number is at best out of range. */
	if (len == 0 || (val[0] == '0' && len > 1))
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (val[i] < '0' || val[i] > '9')
			return -EINVAL;
		if (v < 100)
			v = v * 10 + (unsigned)(val[i] - '0');
	}
	if (v >= XBSTATE_N)
		return -ERANGE;
	*state = (int)v;
	return 0;
}

/* Bit `to` of row `from`: the forward moves of each end. */
#define B(s) (1u << (s))
static const unsigned xbstate_fe_moves[XBSTATE_N] = {
	[XenbusStateUnknown] = B(XenbusStateInitialising),
	[XenbusStateInitialising] = B(XenbusStateInitialised) |
	    B(XenbusStateConnected),
	[XenbusStateInitialised] = B(XenbusStateConnected),
	[XenbusStateConnected] = B(XenbusStateReconfiguring),
	[XenbusStateReconfiguring] = B(XenbusStateReconfigured),
	[XenbusStateReconfigured] = B(XenbusStateConnected),
	[XenbusStateClosed] = B(XenbusStateInitialising),
};
static const unsigned xbstate_be_moves[XBSTATE_N] = {
	[XenbusStateUnknown] = B(XenbusStateInitialising),
	[XenbusStateInitialising] = B(XenbusStateInitWait),
	[XenbusStateInitWait] = B(XenbusStateConnected),
	[XenbusStateConnected] = B(XenbusStateReconfiguring),
	[XenbusStateReconfiguring] = B(XenbusStateReconfigured),
	[XenbusStateReconfigured] = B(XenbusStateConnected),
	[XenbusStateClosing] = B(XenbusStateInitWait),
	[XenbusStateClosed] = B(XenbusStateInitialising) |
	    B(XenbusStateInitWait),
};

int
xbstate_may(enum xbstate_side side, int from, int to)
{
	const unsigned *moves = side == XBSTATE_FRONTEND ? xbstate_fe_moves :
	    xbstate_be_moves;

	if (from < 0 || from >= XBSTATE_N || to < 0 || to >= XBSTATE_N ||
	    from == to)
		return 0;
	/* Either end may give up at any point until it is closed. */
	if (to == XenbusStateClosing)
		return from != XenbusStateClosed;
	if (to == XenbusStateClosed)
		return 1;
	return (moves[from] & B(to)) != 0;
}
