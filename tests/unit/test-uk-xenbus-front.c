/*
 * The unikernel's xenbus frontend (unikernel/rt/xenbus_front.c) against a
 * fake xenstore in memory and a scripted backend: finding the backend,
 * hostile backend nodes, publishing in one transaction (repeated on
 * EAGAIN, nothing left behind when it fails), the frontend's moves, and
 * waiting for the backend's state by its watch.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "unikernel/rt/clock.h"
#include "unikernel/rt/xenbus_front.h"
#include "unikernel/rt/xs_client.h"

#define NKEYS 32

struct kv {
	char path[160];
	char value[160];
};

static struct kv store[NKEYS], pending[NKEYS];
static unsigned nstore, npending;
static uint32_t open_tx;
static int eagain_commits, txs_started;
static char watched[160], watch_token[80];
static uint64_t fake_now;

/* The backend's script: the state it writes at each watch event. */
static const char *script[8];
static unsigned nscript, script_pos;

static struct kv *
find(struct kv *t, unsigned n, const char *path)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(t[i].path, path) == 0)
			return &t[i];
	return NULL;
}

static void
put(struct kv *t, unsigned *n, const char *path, const char *value)
{
	struct kv *e = find(t, *n, path);

	if (e == NULL) {
		CHECK(*n < NKEYS);
		e = &t[(*n)++];
		snprintf(e->path, sizeof(e->path), "%s", path);
	}
	snprintf(e->value, sizeof(e->value), "%s", value);
}

static const char *
get(const char *path)
{
	struct kv *e = find(store, nstore, path);

	return e ? e->value : NULL;
}

/* The fakes of xs_client.c. */
int
xs_read(uint32_t tx, const char *path, char *buf, size_t cap)
{
	const char *v = get(path);

	CHECK_EQ(tx, 0);
	if (v == NULL)
		return -ENOENT;
	if (strlen(v) + 1 > cap)
		return -ERANGE;
	memcpy(buf, v, strlen(v) + 1);
	return (int)strlen(v);
}

int
xs_write(uint32_t tx, const char *path, const char *value)
{
	if (tx == 0) {
		put(store, &nstore, path, value);
		return 0;
	}
	CHECK_EQ(tx, open_tx);
	if (strstr(path, "refuse"))
		return -EACCES;
	put(pending, &npending, path, value);
	return 0;
}

int
xs_rm(uint32_t tx, const char *path)
{
	return -ENOSYS;
}

int
xs_tx_start(uint32_t *tx)
{
	CHECK_EQ(open_tx, 0);
	*tx = open_tx = 40 + (uint32_t)txs_started++;
	npending = 0;
	return 0;
}

int
xs_tx_end(uint32_t tx, int commit)
{
	CHECK_EQ(tx, open_tx);
	open_tx = 0;
	if (!commit)
		return 0;
	if (eagain_commits > 0) {
		eagain_commits--;
		return -EAGAIN;
	}
	for (unsigned i = 0; i < npending; i++)
		put(store, &nstore, pending[i].path, pending[i].value);
	return 0;
}

int
xs_watch(const char *path, const char *token)
{
	snprintf(watched, sizeof(watched), "%s", path);
	snprintf(watch_token, sizeof(watch_token), "%s", token);
	return 0;
}

int
xs_unwatch(const char *path, const char *token)
{
	CHECK_STR(path, watched);
	CHECK_STR(token, watch_token);
	watched[0] = '\0';
	return 0;
}

int
xs_watch_take(const char *token, char *path, size_t pcap, uint64_t deadline)
{
	CHECK_STR(token, watch_token);
	if (script_pos == nscript) {
		fake_now = deadline;
		return -ETIMEDOUT;
	}
	put(store, &nstore, watched, script[script_pos++]);
	fake_now += TM_MS;
	snprintf(path, pcap, "%s", watched);
	return 0;
}

static void
reset(void)
{
	nstore = npending = 0;
	open_tx = 0;
	eagain_commits = 0;
	watched[0] = watch_token[0] = '\0';
	nscript = script_pos = 0;
	put(store, &nstore, "device/vif/0/backend",
	    "/local/domain/0/backend/vif/5/0");
	put(store, &nstore, "device/vif/0/backend-id", "0");
}

static void
test_open(void)
{
	struct xbf f;

	reset();
	CHECK_EQ(xbf_open(&f, "device/vif/0"), 0);
	CHECK_STR(f.backend, "/local/domain/0/backend/vif/5/0");
	CHECK_EQ(f.backend_id, 0);
	CHECK_EQ(f.state, XenbusStateUnknown);
	CHECK_STR(watched, "/local/domain/0/backend/vif/5/0/state");
	xbf_close(&f);
	CHECK_STR(watched, "");
	/* Our state as the toolstack wrote it: Initialising, from which a
	 * frontend publishes. */
	put(store, &nstore, "device/vif/0/state", "1");
	CHECK_EQ(xbf_open(&f, "device/vif/0"), 0);
	CHECK_EQ(f.state, XenbusStateInitialising);
	put(store, &nstore, "device/vif/0/state", "x");
	CHECK_EQ(xbf_open(&f, "device/vif/0"), -EPROTO);
	reset();

	CHECK_EQ(xbf_open(&f, "device/vif/1"), -ENOENT);
	put(store, &nstore, "device/vif/0/backend", "backend/vif/5/0");
	CHECK_EQ(xbf_open(&f, "device/vif/0"), -EPROTO);
	reset();
	put(store, &nstore, "device/vif/0/backend-id", "0x0");
	CHECK_EQ(xbf_open(&f, "device/vif/0"), -EPROTO);
	put(store, &nstore, "device/vif/0/backend-id", "32752");	/* DOMID_FIRST_RESERVED */
	CHECK_EQ(xbf_open(&f, "device/vif/0"), -EPROTO);
	put(store, &nstore, "device/vif/0/backend-id", "12345678901234567890");
	CHECK_EQ(xbf_open(&f, "device/vif/0"), -EPROTO);
	reset();
	{
		char longp[200];

		memset(longp, 'a', sizeof(longp) - 1);
		longp[0] = '/';
		longp[sizeof(longp) - 1] = '\0';
		put(store, &nstore, "device/vif/0/backend", longp);
		CHECK_EQ(xbf_open(&f, "device/vif/0"), -ENAMETOOLONG);
	}
}

static void
test_publish(void)
{
	static const struct xbf_kv kv[] = { { "tx-ring-ref", "8" },
		{ "rx-ring-ref", "9" }, { "event-channel", "5" } };
	static const struct xbf_kv bad[] = { { "tx-ring-ref", "10" },
		{ "refuse", "1" } };
	struct xbf f;

	reset();
	CHECK_EQ(xbf_open(&f, "device/vif/0"), 0);
	/* Not a move a frontend makes from where it is. */
	CHECK_EQ(xbf_publish(&f, kv, 3, XenbusStateConnected), -EINVAL);
	CHECK_EQ(xbf_switch(&f, XenbusStateInitialising), 0);
	CHECK_STR(get("device/vif/0/state"), "1");

	/* A failed write aborts: nothing of the transaction is seen. */
	CHECK_EQ(xbf_publish(&f, bad, 2, XenbusStateConnected), -EACCES);
	CHECK(get("device/vif/0/tx-ring-ref") == NULL);
	CHECK_STR(get("device/vif/0/state"), "1");
	CHECK_EQ(f.state, XenbusStateInitialising);
	CHECK_EQ(open_tx, 0);

	/* xenstored asks twice to repeat it: done on the third try. */
	eagain_commits = 2;
	txs_started = 0;
	CHECK_EQ(xbf_publish(&f, kv, 3, XenbusStateConnected), 0);
	CHECK_EQ(txs_started, 3);
	CHECK_STR(get("device/vif/0/tx-ring-ref"), "8");
	CHECK_STR(get("device/vif/0/rx-ring-ref"), "9");
	CHECK_STR(get("device/vif/0/event-channel"), "5");
	CHECK_STR(get("device/vif/0/state"), "4");
	CHECK_EQ(f.state, XenbusStateConnected);

	/* ... but not forever. */
	CHECK_EQ(xbf_switch(&f, XenbusStateClosed), 0);
	CHECK_EQ(xbf_switch(&f, XenbusStateInitialising), 0);
	eagain_commits = 100;
	txs_started = 0;
	CHECK_EQ(xbf_publish(&f, kv, 3, XenbusStateConnected), -EAGAIN);
	CHECK_EQ(txs_started, XBF_TX_TRIES);
	CHECK_EQ(f.state, XenbusStateInitialising);
	CHECK_EQ(xbf_switch(&f, XenbusStateInitialising), -EINVAL);
}

static void
test_wait(void)
{
	struct xbf f;
	int st = -1;

	reset();
	CHECK_EQ(xbf_open(&f, "device/vif/0"), 0);
	CHECK_EQ(xbf_backend_state(&f, &st), 0);
	CHECK_EQ(st, XenbusStateUnknown);

	/* The backend comes up step by step; we wait for InitWait. */
	script[0] = "1";
	script[1] = "2";
	nscript = 2;
	CHECK_EQ(xbf_wait_backend(&f, 1u << XenbusStateInitWait, 0),
		 XenbusStateInitWait);
	CHECK_EQ(script_pos, 2);
	/* Already there: no event needed. */
	CHECK_EQ(xbf_wait_backend(&f, 1u << XenbusStateInitWait, 0),
		 XenbusStateInitWait);
	/* It never connects. */
	fake_now = 1000;
	CHECK_EQ(xbf_wait_backend(&f, 1u << XenbusStateConnected,
				  fake_now + TM_S), -ETIMEDOUT);
	CHECK(fake_now >= 1000 + TM_S);
	/* Either of two states ends the wait. */
	script[2] = "6";
	nscript = 3;
	CHECK_EQ(xbf_wait_backend(&f, 1u << XenbusStateConnected |
				  1u << XenbusStateClosed, 0), XenbusStateClosed);
	/* A backend that writes no state is refused, not guessed at. */
	script[3] = "4 ";
	nscript = 4;
	CHECK_EQ(xbf_wait_backend(&f, 1u << XenbusStateConnected, 0), -EPROTO);
	put(store, &nstore, watched, "a very long value that is no state");
	CHECK_EQ(xbf_backend_state(&f, &st), -EPROTO);
	put(store, &nstore, watched, "9");
	CHECK_EQ(xbf_backend_state(&f, &st), -EPROTO);
}

int
main(void)
{
	test_open();
	test_publish();
	test_wait();
	return CHECK_DONE();
}
