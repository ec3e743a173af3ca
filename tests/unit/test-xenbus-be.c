/*
 * The xenbus backend state machine, as a transition table; and the
 * device layer that keeps a device's failed flag, driven over a fake
 * xenstore (this test's xs_* come before libxenstore's).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "xenbus_be.h"
#include "xstore.h"
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

/* --- a fake xenstore: a few nodes, no watch events (we kick) ----------- */

#define NODES 16
static struct { char path[128], val[128]; } store[NODES];

struct xs_handle { int unused; };

static const char *
node(const char *path)
{
	for (int i = 0; i < NODES; i++)
		if (strcmp(store[i].path, path) == 0)
			return store[i].val;
	return NULL;
}

static void
unset(const char *path)
{
	for (int i = 0; i < NODES; i++)
		if (strcmp(store[i].path, path) == 0)
			store[i].path[0] = store[i].val[0] = '\0';
}

static void
set(const char *path, const char *val)
{
	int i, free_slot = -1;

	for (i = 0; i < NODES; i++) {
		if (strcmp(store[i].path, path) == 0)
			break;
		if (free_slot < 0 && store[i].path[0] == '\0')
			free_slot = i;
	}
	if (i == NODES && (i = free_slot) < 0)
		abort();
	snprintf(store[i].path, sizeof(store[i].path), "%s", path);
	snprintf(store[i].val, sizeof(store[i].val), "%s", val);
}

struct xs_handle *
xs_open(unsigned long flags)
{
	(void)flags;
	return calloc(1, sizeof(struct xs_handle));
}

void
xs_close(struct xs_handle *h)
{
	free(h);
}

void *
xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
	unsigned int *len)
{
	const char *v = node(path);
	char *copy;

	(void)h;
	(void)t;
	if (v == NULL) {
		errno = ENOENT;
		return NULL;
	}
	if ((copy = strdup(v)) != NULL && len)
		*len = (unsigned int)strlen(v);
	return copy;
}

bool
xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
	 const void *data, unsigned int len)
{
	char v[sizeof(store[0].val)];

	(void)h;
	(void)t;
	snprintf(v, sizeof(v), "%.*s", (int)len, (const char *)data);
	set(path, v);
	return true;
}

bool
xs_watch(struct xs_handle *h, const char *path, const char *token)
{
	(void)h;
	(void)path;
	(void)token;
	return true;
}

bool
xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
	(void)h;
	(void)path;
	(void)token;
	return true;
}

#define BE "/local/domain/0/backend/console/5/1"
#define FE "/local/domain/5/device/console/1"

struct calls {
	int features, connects, disconnects, removed, fail_connect;
};

static int
on_features(struct xbe_dev *d, void *arg)
{
	(void)d;
	((struct calls *)arg)->features++;
	return 0;
}

static int
on_connect(struct xbe_dev *d, void *arg)
{
	struct calls *c = arg;

	(void)d;
	c->connects++;
	return c->fail_connect ? -EPROTO : 0;
}

static void
on_disconnect(struct xbe_dev *d, void *arg)
{
	(void)d;
	((struct calls *)arg)->disconnects++;
}

static void
on_removed(struct xbe_dev *d, void *arg)
{
	(void)d;
	((struct calls *)arg)->removed++;
}

/* The frontend moves to fe; the device evaluates; its state, as written. */
static int
frontend(struct xbe_dev *d, int fe)
{
	char v[4];

	snprintf(v, sizeof(v), "%d", fe);
	set(FE "/state", v);
	xbe_dev_kick(d);
	CHECK_EQ(atoi(node(BE "/state") ? node(BE "/state") : "-1"),
	    xbe_dev_state(d));
	return xbe_dev_state(d);
}

/*
 * A hostile frontend is closed, held while it stays put, and served
 * again after it acknowledges and starts over; likewise after a failed
 * connect(). What is checked is the device's own result: the state it
 * wrote and the ops it called.
 */
static void
test_dev(void)
{
	static const struct xbe_ops ops = { on_features, on_connect,
	    on_disconnect, NULL };
	struct calls c = { 0 };
	struct xstore *xs;
	struct xbe_dev *d;

	set(BE "/frontend", FE);
	set(BE "/frontend-id", "5");
	set(FE "/state", "1");
	CHECK_EQ(xstore_open(NULL, &xs), 0);
	CHECK_EQ(xbe_dev_new(xs, BE, 0, &ops, &c, &d), 0);
	CHECK_EQ(xbe_dev_info(d)->fe_domid, 5);
	CHECK_EQ(frontend(d, I), W);
	CHECK_EQ(frontend(d, D), C);
	CHECK_EQ(c.connects, 1);

	xbe_dev_fail(d);		/* found hostile */
	CHECK_EQ(xbe_dev_state(d), G);
	CHECK_EQ(c.disconnects, 1);
	/* held while the frontend stays on that connection */
	CHECK_EQ(frontend(d, C), G);
	CHECK_EQ(frontend(d, D), G);
	CHECK_EQ(frontend(d, G), G);
	CHECK_EQ(c.connects, 1);
	/* it acknowledges and starts over: served again */
	CHECK_EQ(frontend(d, X), X);
	CHECK_EQ(frontend(d, I), W);
	CHECK_EQ(c.features, 2);
	CHECK_EQ(frontend(d, D), C);
	CHECK_EQ(c.connects, 2);
	CHECK_EQ(c.disconnects, 1);

	/* the frontend closes; its next connection's connect() fails */
	CHECK_EQ(frontend(d, G), G);
	CHECK_EQ(c.disconnects, 2);
	CHECK_EQ(frontend(d, X), X);
	CHECK_EQ(frontend(d, I), W);
	c.fail_connect = 1;
	CHECK_EQ(frontend(d, D), G);
	CHECK_EQ(c.connects, 3);
	/* no retry loop while it stays Initialised */
	CHECK_EQ(frontend(d, D), G);
	CHECK_EQ(c.connects, 3);
	c.fail_connect = 0;
	/* once it has closed, the failure is over: it connects again */
	CHECK_EQ(frontend(d, X), X);
	CHECK_EQ(frontend(d, D), C);
	CHECK_EQ(c.features, 4);
	CHECK_EQ(c.connects, 4);

	xbe_dev_free(d);		/* disconnects what is connected */
	CHECK_EQ(c.disconnects, 3);
	xstore_close(xs);
}

/*
 * The toolstack removes a connected device's backend directory: the
 * device disconnects and reports removed, and writes nothing there.
 */
static void
test_dev_gone(void)
{
	static const struct xbe_ops ops = { on_features, on_connect,
	    on_disconnect, on_removed };
	struct calls c = { 0 };
	struct xstore *xs;
	struct xbe_dev *d;

	memset(store, 0, sizeof(store));
	set(BE "/frontend", FE);
	set(BE "/frontend-id", "5");
	set(FE "/state", "1");
	CHECK_EQ(xstore_open(NULL, &xs), 0);
	CHECK_EQ(xbe_dev_new(xs, BE, 0, &ops, &c, &d), 0);
	CHECK_EQ(frontend(d, D), C);
	unset(BE "/frontend");
	unset(BE "/frontend-id");
	unset(BE "/state");
	set(FE "/state", "5");
	xbe_dev_kick(d);
	CHECK_EQ(c.disconnects, 1);
	CHECK_EQ(c.removed, 1);
	CHECK(node(BE "/state") == NULL);
	xbe_dev_free(d);		/* nothing connected: no second call */
	CHECK_EQ(c.disconnects, 1);
	xstore_close(xs);
}

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
			    xbstate_name(r->be), xbstate_name(r->fe),
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
	test_dev();
	test_dev_gone();
	return CHECK_DONE();
}
