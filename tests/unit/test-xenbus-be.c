/* The xenbus backend state machine, as a transition table. */
#include "config.h"

#include "xenbus_be.h"
#include "check.h"

struct row {
	int be, fe, online, hotplug, failed;
	int want_state;
	enum xbe_action want_action;
};

#define I XenbusStateInitialising
#define W XenbusStateInitWait
#define D XenbusStateInitialised
#define C XenbusStateConnected
#define G XenbusStateClosing
#define X XenbusStateClosed
#define U XenbusStateUnknown

static const struct row rows[] = {
	/* be  fe  on hp fl  state action */
	{ I,  I,  1, 0, 0,   W,  XBE_FEATURES },
	{ I,  U,  0, 0, 0,   X,  XBE_NONE },
	{ W,  I,  1, 1, 0,  -1,  XBE_NONE },	/* frontend not ready */
	{ W,  D,  1, 0, 0,  -1,  XBE_NONE },	/* hotplug not done */
	{ W,  D,  1, 1, 0,   C,  XBE_CONNECT },
	{ W,  C,  1, 1, 0,   C,  XBE_CONNECT },
	{ W,  D,  0, 1, 0,   X,  XBE_NONE },	/* torn down early */
	{ C,  C,  1, 1, 0,  -1,  XBE_NONE },
	{ C,  G,  1, 1, 0,   G,  XBE_DISCONNECT },	/* frontend closes */
	{ C,  X,  1, 1, 0,   X,  XBE_DISCONNECT },
	{ C,  U,  1, 1, 0,   X,  XBE_DISCONNECT },	/* frontend vanished */
	{ C,  C,  0, 1, 0,   G,  XBE_DISCONNECT },	/* online=0 */
	{ G,  G,  1, 1, 0,  -1,  XBE_NONE },
	{ G,  X,  1, 1, 0,   X,  XBE_NONE },
	{ G,  I,  1, 1, 0,   W,  XBE_FEATURES },	/* restart without close */
	{ X,  I,  1, 1, 0,   W,  XBE_FEATURES },	/* Windows-style reconnect */
	{ X,  D,  1, 1, 0,   W,  XBE_FEATURES },
	{ X,  X,  1, 1, 0,  -1,  XBE_NONE },
	{ X,  X,  0, 1, 0,  -1,  XBE_REMOVE },	/* teardown */
	/* failed: the backend gave up on the frontend (xbe_dev_fail) */
	{ C,  C,  1, 1, 1,   G,  XBE_DISCONNECT },	/* hostile: close */
	{ C,  D,  1, 1, 1,   G,  XBE_DISCONNECT },
	{ C,  X,  1, 1, 1,   X,  XBE_DISCONNECT },	/* closed meanwhile */
	{ G,  C,  1, 1, 1,  -1,  XBE_NONE },	/* frontend ignores it */
	{ G,  G,  1, 1, 1,  -1,  XBE_NONE },
	{ G,  X,  1, 1, 1,   X,  XBE_NONE },	/* frontend acknowledges */
	{ G,  I,  1, 1, 1,   W,  XBE_FEATURES },	/* reset: served again */
	{ X,  C,  1, 1, 1,  -1,  XBE_NONE },	/* still on the old ring */
	{ X,  D,  1, 1, 1,  -1,  XBE_NONE },	/* no reconnect loop */
	{ X,  I,  1, 1, 1,   W,  XBE_FEATURES },	/* reset */
	{ X,  X,  1, 1, 1,  -1,  XBE_NONE },
	{ X,  D,  0, 1, 1,  -1,  XBE_REMOVE },	/* teardown still frees */
	{ W,  D,  1, 1, 1,   G,  XBE_NONE },	/* connect() failed */
	{ W,  I,  1, 1, 1,  -1,  XBE_NONE },	/* restarted: waits */
	{ I,  D,  1, 1, 1,   X,  XBE_NONE },
};

int
main(void)
{
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct xbe_input in = { r->fe, r->online, r->hotplug,
		    r->failed };
		struct xbe_step s = xbe_next(r->be, &in);

		if (s.state != r->want_state || s.action != r->want_action) {
			fprintf(stderr, "row %u: be=%s fe=%s online=%d "
			    "failed=%d: got %d/%d want %d/%d\n", i,
			    xbe_state_name(r->be), xbe_state_name(r->fe),
			    r->online, r->failed, s.state, s.action,
			    r->want_state, r->want_action);
			check_failures++;
		}
	}
	/* A full connect, close and reconnect cycle converges. */
	{
		int be = I;
		struct xbe_input in = { I, 1, 1, 0 };
		int fes[] = { I, D, C, G, X, I, D, C };
		int want[] = { W, C, C, G, X, W, C, C };

		for (unsigned i = 0; i < 8; i++) {
			struct xbe_step s;

			in.fe_state = fes[i];
			s = xbe_next(be, &in);
			if (s.state >= 0)
				be = s.state;
			CHECK_EQ(be, want[i]);
		}
	}
	/* The frontend states that end a failure, and only those. */
	CHECK_EQ(xbe_fe_restarted(U), 1);
	CHECK_EQ(xbe_fe_restarted(I), 1);
	CHECK_EQ(xbe_fe_restarted(W), 1);
	CHECK_EQ(xbe_fe_restarted(X), 1);
	CHECK_EQ(xbe_fe_restarted(D), 0);
	CHECK_EQ(xbe_fe_restarted(C), 0);
	CHECK_EQ(xbe_fe_restarted(G), 0);
	/*
	 * A hostile frontend is closed, held while it stays put, and served
	 * again after it acknowledges and starts over; failed is kept and
	 * ended the way xbe_eval does.
	 */
	{
		int be = C, failed = 1;
		struct xbe_input in = { C, 1, 1, 1 };
		int fes[] = { C, C, D, G, X, X, I, D, C };
		int want[] = { G, G, G, G, X, X, W, C, C };

		for (unsigned i = 0; i < sizeof(fes) / sizeof(fes[0]); i++) {
			struct xbe_step s;

			in.fe_state = fes[i];
			in.failed = failed;
			s = xbe_next(be, &in);
			if (xbe_fe_restarted(fes[i]))
				failed = 0;
			if (s.state >= 0)
				be = s.state;
			CHECK_EQ(be, want[i]);
		}
		CHECK_EQ(failed, 0);
	}
	return CHECK_DONE();
}
