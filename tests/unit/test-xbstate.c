/*
 * lib/xbstate.c: every state's name, the strict parse of a state node's
 * value (what a hostile peer may write there), and the move tables of
 * both ends, including the handshakes Linux's netfront and netback make.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "check.h"
#include "xbstate.h"

static int
parse(const char *s, size_t len)
{
	int st = -1, r = xbstate_parse(s, len, &st);

	return r < 0 ? r : st;
}

#define P(s) parse(s, sizeof(s) - 1)

static void
test_names(void)
{
	CHECK_STR(xbstate_name(XenbusStateUnknown), "Unknown");
	CHECK_STR(xbstate_name(XenbusStateInitWait), "InitWait");
	CHECK_STR(xbstate_name(XenbusStateConnected), "Connected");
	CHECK_STR(xbstate_name(XenbusStateReconfigured), "Reconfigured");
	CHECK_STR(xbstate_name(-1), "invalid");
	CHECK_STR(xbstate_name(9), "invalid");
}

static void
test_parse(void)
{
	for (int s = 0; s <= 8; s++) {
		char c = (char)('0' + s);

		CHECK_EQ(parse(&c, 1), s);
	}
	/* Only the part within len counts. */
	CHECK_EQ(parse("45", 1), 4);
	CHECK_EQ(P("9"), -ERANGE);
	CHECK_EQ(P("10"), -ERANGE);
	CHECK_EQ(P("99999999999999999999999"), -ERANGE);
	CHECK_EQ(P(""), -EINVAL);
	CHECK_EQ(P("04"), -EINVAL);
	CHECK_EQ(P("00"), -EINVAL);
	CHECK_EQ(P("+4"), -EINVAL);
	CHECK_EQ(P("-1"), -EINVAL);
	CHECK_EQ(P(" 4"), -EINVAL);
	CHECK_EQ(P("4 "), -EINVAL);
	CHECK_EQ(P("4\n"), -EINVAL);
	CHECK_EQ(P("4\0"), -EINVAL);
	CHECK_EQ(P("Connected"), -EINVAL);
	CHECK_EQ(P("0x4"), -EINVAL);
	/* A failed parse leaves the caller's value alone. */
	{
		int st = 77;

		CHECK_EQ(xbstate_parse("x", 1, &st), -EINVAL);
		CHECK_EQ(st, 77);
	}
}

/* Walks a sequence of states, each move allowed for that end. */
static int
walk(enum xbstate_side side, const int *seq, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (!xbstate_may(side, seq[i - 1], seq[i]))
			return (int)i;
	return 0;
}

static void
test_moves(void)
{
	/* Linux netfront goes straight to Connected; blkfront via Initialised. */
	static const int netfront[] = { XenbusStateUnknown,
		XenbusStateInitialising, XenbusStateConnected,
		XenbusStateClosing, XenbusStateClosed, XenbusStateInitialising };
	static const int blkfront[] = { XenbusStateInitialising,
		XenbusStateInitialised, XenbusStateConnected,
		XenbusStateReconfiguring, XenbusStateReconfigured,
		XenbusStateConnected, XenbusStateClosed };
	static const int backend[] = { XenbusStateUnknown,
		XenbusStateInitialising, XenbusStateInitWait,
		XenbusStateConnected, XenbusStateClosing, XenbusStateClosed,
		XenbusStateInitWait, XenbusStateConnected, XenbusStateClosing,
		XenbusStateInitWait };

	CHECK_EQ(walk(XBSTATE_FRONTEND, netfront, 6), 0);
	CHECK_EQ(walk(XBSTATE_FRONTEND, blkfront, 7), 0);
	CHECK_EQ(walk(XBSTATE_BACKEND, backend, 10), 0);

	/* InitWait is the backend's; Initialised the frontend's. */
	CHECK(!xbstate_may(XBSTATE_FRONTEND, XenbusStateInitialising,
	    XenbusStateInitWait));
	CHECK(!xbstate_may(XBSTATE_BACKEND, XenbusStateInitialising,
	    XenbusStateInitialised));
	/* No skipping the handshake, no going back while connected. */
	CHECK(!xbstate_may(XBSTATE_BACKEND, XenbusStateInitialising,
	    XenbusStateConnected));
	CHECK(!xbstate_may(XBSTATE_FRONTEND, XenbusStateUnknown,
	    XenbusStateConnected));
	CHECK(!xbstate_may(XBSTATE_FRONTEND, XenbusStateConnected,
	    XenbusStateInitialising));
	CHECK(!xbstate_may(XBSTATE_FRONTEND, XenbusStateClosing,
	    XenbusStateConnected));
	CHECK(!xbstate_may(XBSTATE_FRONTEND, XenbusStateClosed,
	    XenbusStateClosing));
	CHECK(!xbstate_may(XBSTATE_FRONTEND, XenbusStateClosed,
	    XenbusStateConnected));
	/* Giving up is always possible; staying is not a move. */
	for (int s = 0; s <= 8; s++) {
		CHECK_EQ(xbstate_may(XBSTATE_FRONTEND, s, XenbusStateClosed),
		    s != XenbusStateClosed);
		CHECK_EQ(xbstate_may(XBSTATE_BACKEND, s, XenbusStateClosing),
		    s != XenbusStateClosed && s != XenbusStateClosing);
		CHECK(!xbstate_may(XBSTATE_BACKEND, s, s));
		CHECK(!xbstate_may(XBSTATE_FRONTEND, s, XenbusStateUnknown));
	}
	/* Out of range either way. */
	CHECK(!xbstate_may(XBSTATE_FRONTEND, -1, XenbusStateInitialising));
	CHECK(!xbstate_may(XBSTATE_FRONTEND, XenbusStateClosed, 9));
	CHECK(!xbstate_may(XBSTATE_BACKEND, 9, XenbusStateClosed));
}

int
main(void)
{
	test_names();
	test_parse();
	test_moves();
	return CHECK_DONE();
}
