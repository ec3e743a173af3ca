/*
 * netbackd/fekeys.c: a frontend's keys from a table in memory, by
 * netif.h's layout (toplevel for one queue, queue-N/ for more), and
 * the frontends it refuses.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fekeys.h"

#define MAXKEYS 64

static struct {
	const char *key, *val;
} keys[MAXKEYS];
static unsigned nkeys;

static void
set(const char *key, const char *val)
{
	for (unsigned i = 0; i < nkeys; i++)
		if (strcmp(keys[i].key, key) == 0) {
			keys[i].val = val;
			return;
		}
	CHECK(nkeys < MAXKEYS);
	keys[nkeys].key = key;
	keys[nkeys++].val = val;
}

/* What xstore_read_uint does with a value. */
static int
get(void *arg, const char *key, uint64_t max, uint64_t *out)
{
	char *end;

	(void)arg;
	for (unsigned i = 0; i < nkeys; i++) {
		if (strcmp(keys[i].key, key) != 0 || keys[i].val == NULL)
			continue;
		if (keys[i].val[0] < '0' || keys[i].val[0] > '9')
			return -EINVAL;
		errno = 0;
		*out = strtoull(keys[i].val, &end, 10);
		if (*end || errno)
			return -EINVAL;
		return *out > max ? -ERANGE : 0;
	}
	return -ENOENT;
}

/* The keys besides the rings that every frontend here writes. */
static void
base(void)
{
	nkeys = 0;
	set("request-rx-copy", "1");
	set("feature-rx-notify", "1");
	set("feature-sg", "1");
	set("feature-gso-tcpv4", "1");
}

static void
queue(unsigned n, const char *tx, const char *rx, const char *ptx,
      const char *prx)
{
	static char names[8][4][40];
	const char *v[4] = { tx, rx, ptx, prx };
	static const char *const k[4] = { "tx-ring-ref", "rx-ring-ref",
	    "event-channel-tx", "event-channel-rx" };

	for (unsigned j = 0; j < 4; j++) {
		snprintf(names[n][j], sizeof(names[n][j]), "queue-%u/%s", n,
		    k[j]);
		set(names[n][j], v[j]);
	}
}

static void
test_single(void)
{
	struct queue_keys k[4];
	unsigned nq = 9;

	/* no multi-queue-num-queues: one queue, toplevel keys */
	base();
	set("tx-ring-ref", "8");
	set("rx-ring-ref", "9");
	set("event-channel", "5");
	CHECK(fekeys_read(get, NULL, 4, k, &nq) == NULL);
	CHECK_EQ(nq, 1);
	CHECK_EQ(k[0].tx_ref, 8);
	CHECK_EQ(k[0].rx_ref, 9);
	CHECK_EQ(k[0].port_tx, 5);
	CHECK_EQ(k[0].port_rx, 5);
	CHECK_EQ(k[0].sg, 1);
	CHECK_EQ(k[0].csum_blank, 1);
	CHECK_EQ(k[0].rx_gso, 1u << XEN_NETIF_GSO_TYPE_TCPV4);

	/* num-queues 1 keeps the toplevel keys; split channels */
	set("multi-queue-num-queues", "1");
	set("event-channel", NULL);
	set("event-channel-tx", "6");
	set("event-channel-rx", "7");
	set("feature-no-csum-offload", "1");
	CHECK(fekeys_read(get, NULL, 1, k, &nq) == NULL);
	CHECK_EQ(nq, 1);
	CHECK_EQ(k[0].port_tx, 6);
	CHECK_EQ(k[0].port_rx, 7);
	CHECK_EQ(k[0].csum_blank, 0);
}

static void
test_multi(void)
{
	struct queue_keys k[4];
	unsigned nq = 0;

	base();
	set("multi-queue-num-queues", "3");
	queue(0, "10", "11", "20", "21");
	queue(1, "12", "13", "22", "23");
	queue(2, "14", "15", "24", "24");	/* not split: see below */
	set("queue-2/event-channel-tx", NULL);
	set("queue-2/event-channel-rx", NULL);
	set("queue-2/event-channel", "24");
	/* toplevel rings of an older connection are not looked at */
	set("tx-ring-ref", "99");
	CHECK(fekeys_read(get, NULL, 4, k, &nq) == NULL);
	CHECK_EQ(nq, 3);
	for (unsigned i = 0; i < 3; i++) {
		CHECK_EQ(k[i].tx_ref, 10 + 2 * i);
		CHECK_EQ(k[i].rx_ref, 11 + 2 * i);
		CHECK_EQ(k[i].port_tx, 20 + 2 * i);
		CHECK_EQ(k[i].sg, 1);
	}
	CHECK_EQ(k[0].port_rx, 21);
	CHECK_EQ(k[1].port_rx, 23);
	CHECK_EQ(k[2].port_rx, 24);

	/* more than offered */
	CHECK_STR(fekeys_read(get, NULL, 2, k, &nq),
	    "more queues than multi-queue-max-queues");
	CHECK_EQ(nq, 0);
}

static void
test_refused(void)
{
	static const struct {
		const char *key, *val, *why;
	} cases[] = {
		{ "multi-queue-num-queues", "0", "multi-queue-num-queues is 0" },
		{ "multi-queue-num-queues", "x",
		    "multi-queue-num-queues does not parse" },
		{ "multi-queue-num-queues", "70000",
		    "multi-queue-num-queues does not parse" },
		{ "queue-1/rx-ring-ref", NULL,
		    "no valid tx-ring-ref and rx-ring-ref" },
		{ "queue-1/tx-ring-ref", "4294967296",
		    "no valid tx-ring-ref and rx-ring-ref" },
		{ "queue-1/rx-ring-ref", "12",
		    "tx-ring-ref and rx-ring-ref are one grant" },
		{ "queue-0/event-channel-rx", NULL, "no valid event-channel" },
		{ "queue-1/event-channel-rx", "22",
		    "event-channel-tx and -rx are one port" },
		{ "queue-1/rx-ring-ref", "10",
		    "two queues share a ring or a port" },
		{ "queue-1/event-channel-tx", "21",
		    "two queues share a ring or a port" },
		{ "request-rx-copy", "0",
		    "no request-rx-copy (rx-flip is not supported)" },
		{ "feature-rx-notify", NULL, "no feature-rx-notify" },
	};
	struct queue_keys k[4];
	unsigned nq;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		base();
		set("multi-queue-num-queues", "2");
		queue(0, "10", "11", "20", "21");
		queue(1, "12", "13", "22", "23");
		CHECK(fekeys_read(get, NULL, 4, k, &nq) == NULL);
		set(cases[c].key, cases[c].val);
		nq = 7;
		CHECK_STR(fekeys_read(get, NULL, 4, k, &nq), cases[c].why);
		CHECK_EQ(nq, 0);
	}
}

int
main(void)
{
	test_single();
	test_multi();
	test_refused();
	return CHECK_DONE();
}
