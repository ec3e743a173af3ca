/* The xenbus backend state machine, as a transition table. */
#include "config.h"

#include "xenbus_be.h"
#include "check.h"

struct row {
	int be, fe, online, hotplug;
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
	/* be  fe  on hp   state action */
	{ I,  I,  1, 0,   W,  XBE_FEATURES },
	{ I,  U,  0, 0,   X,  XBE_NONE },
	{ W,  I,  1, 1,  -1,  XBE_NONE },	/* frontend not ready */
	{ W,  D,  1, 0,  -1,  XBE_NONE },	/* hotplug not done */
	{ W,  D,  1, 1,   C,  XBE_CONNECT },
	{ W,  C,  1, 1,   C,  XBE_CONNECT },
	{ W,  D,  0, 1,   X,  XBE_NONE },	/* torn down early */
	{ C,  C,  1, 1,  -1,  XBE_NONE },
	{ C,  G,  1, 1,   G,  XBE_DISCONNECT },	/* frontend closes */
	{ C,  X,  1, 1,   X,  XBE_DISCONNECT },
	{ C,  U,  1, 1,   X,  XBE_DISCONNECT },	/* frontend vanished */
	{ C,  C,  0, 1,   G,  XBE_DISCONNECT },	/* online=0 */
	{ G,  G,  1, 1,  -1,  XBE_NONE },
	{ G,  X,  1, 1,   X,  XBE_NONE },
	{ G,  I,  1, 1,   W,  XBE_FEATURES },	/* restart without close */
	{ X,  I,  1, 1,   W,  XBE_FEATURES },	/* Windows-style reconnect */
	{ X,  D,  1, 1,   W,  XBE_FEATURES },
	{ X,  X,  1, 1,  -1,  XBE_NONE },
	{ X,  X,  0, 1,  -1,  XBE_REMOVE },	/* teardown */
};

int
main(void)
{
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct xbe_input in = { r->fe, r->online, r->hotplug };
		struct xbe_step s = xbe_next(r->be, &in);

		if (s.state != r->want_state || s.action != r->want_action) {
			fprintf(stderr, "row %u: be=%s fe=%s online=%d: got "
			    "%d/%d want %d/%d\n", i, xbe_state_name(r->be),
			    xbe_state_name(r->fe), r->online, s.state,
			    s.action, r->want_state, r->want_action);
			check_failures++;
		}
	}
	/* A full connect, close and reconnect cycle converges. */
	{
		int be = I;
		struct xbe_input in = { I, 1, 1 };
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
	return CHECK_DONE();
}
