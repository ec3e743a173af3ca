/*
 * The entropy unikernel's xentropyd client (unikernel/entropy/xent.c)
 * with fakes of xenstore, the vchan and the clock: an absent daemon
 * (reported once absent_by passes, or as soon as the key shows up),
 * service on request, a stale channel, presence keys a daemon should not
 * write, and answers: short ones with a retry-after, hostile frames, and
 * a daemon that answers at once with nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "xentropy_proto.h"
#include "unikernel/rt/clock.h"
#include "unikernel/rt/xs_client.h"
#include "unikernel/entropy/xent.h"

static uint64_t fake_now;

/* The presence key, and what it becomes at each watch event. */
static const char *presence;
static const char *script[4];
static unsigned nscript, pos;
static int requests_written, watching;
static char last_request[64];

/* The vchan: opens refused before this many, and the daemon's answers. */
static int refuse_opens, opens, closes;
static uint32_t open_domid;
static uint8_t answer[4 * XENTROPY_MAX_RESP];
static size_t answer_len, answer_off;
static int silent_zero;	/* answer every request with OK and no data */
static unsigned reqs_seen;

uint64_t
tm_now(void)
{
	return fake_now;
}

int
tm_wait(int (*done)(void *), void *arg, uint64_t deadline)
{
	CHECK(done == NULL);
	if (deadline > fake_now)
		fake_now = deadline;
	return -ETIMEDOUT;
}

int
xs_read(uint32_t tx, const char *path, char *buf, size_t cap)
{
	CHECK_STR(path, "data/xentropy/server");
	if (presence == NULL)
		return -ENOENT;
	if (strlen(presence) + 1 > cap)
		return -ERANGE;
	memcpy(buf, presence, strlen(presence) + 1);
	return (int)strlen(presence);
}

int
xs_write(uint32_t tx, const char *path, const char *value)
{
	CHECK_STR(path, "data/xentropy/request");
	snprintf(last_request, sizeof(last_request), "%s", value);
	requests_written++;
	return 0;
}

int
xs_watch(const char *path, const char *token)
{
	CHECK_STR(path, "data/xentropy/server");
	watching = 1;
	return 0;
}

int
xs_unwatch(const char *path, const char *token)
{
	watching = 0;
	return 0;
}

int
xs_watch_take(const char *token, char *path, size_t pcap, uint64_t deadline)
{
	CHECK(watching);
	if (pos == nscript) {
		CHECK(deadline != 0);
		fake_now = deadline;
		return -ETIMEDOUT;
	}
	fake_now += 10 * TM_MS;
	presence = script[pos++];
	snprintf(path, pcap, "data/xentropy/server");
	return 0;
}

int
vchan_open(struct vchan *v, domid_t server, const char *path)
{
	CHECK_STR(path, "data/xentropy/vchan");
	opens++;
	if (opens <= refuse_opens)
		return -ENOENT;
	open_domid = server;
	return 0;
}

void
vchan_close(struct vchan *v)
{
	closes++;
}

int
vchan_write_all(struct vchan *v, const void *buf, size_t n,
		uint64_t deadline)
{
	struct xentropy_req r;

	CHECK_EQ(xentropy_parse_request(buf, n, &r), XENTROPY_P_FRAME);
	CHECK_EQ(r.frame_len, n);
	reqs_seen++;
	if (silent_zero) {
		fake_now += TM_MS;	/* each round trip takes a little */
		answer_off = 0;
		answer_len = xentropy_encode_response(answer, XENTROPY_OK, 0, 0);
	}
	return 0;
}

int
vchan_read_full(struct vchan *v, void *buf, size_t n, uint64_t deadline)
{
	if (answer_len - answer_off < n)
		return -ETIMEDOUT;
	memcpy(buf, answer + answer_off, n);
	answer_off += n;
	return 0;
}

/* Queues a response with data_len bytes of 0xab. */
static void
queue(uint16_t status, uint32_t retry, uint32_t data_len)
{
	answer_len += xentropy_encode_response(answer + answer_len, status,
					       retry, data_len);
	memset(answer + answer_len, 0xab, data_len);
	answer_len += data_len;
}

static void
reset(void)
{
	fake_now = 1000 * TM_MS;
	presence = NULL;
	nscript = pos = 0;
	requests_written = watching = 0;
	refuse_opens = opens = closes = 0;
	open_domid = 0xffff;
	answer_len = answer_off = 0;
	silent_zero = 0;
	reqs_seen = 0;
}

static void
test_open(void)
{
	static struct xent x;

	/* No daemon: -ENOENT exactly when absent_by passes. */
	reset();
	CHECK_EQ(xent_open(&x, fake_now + 500 * TM_MS, fake_now + 10 * TM_S),
		 -ENOENT);
	CHECK_EQ(fake_now, 1500 * TM_MS);
	CHECK_EQ(requests_written, 0);
	CHECK(!watching);

	/* Absent, then idle (ask), then ready: connected to that domain. */
	reset();
	script[0] = "1 7 idle";
	script[1] = "1 7 ready 812.4";
	nscript = 2;
	CHECK_EQ(xent_open(&x, fake_now + 500 * TM_MS, fake_now + 10 * TM_S), 0);
	CHECK_EQ(requests_written, 1);
	CHECK(strncmp(last_request, "uk.", 3) == 0);
	CHECK_EQ(open_domid, 7);
	CHECK_EQ(x.server, 7);
	CHECK(!watching);

	/* A stale channel: ask again, connect to the next generation. */
	reset();
	presence = "1 0 ready 812.4";
	script[0] = "1 0 wait";
	script[1] = "1 0 ready 812.5";
	nscript = 2;
	refuse_opens = 1;
	CHECK_EQ(xent_open(&x, fake_now, fake_now + 10 * TM_S), 0);
	CHECK_EQ(opens, 2);
	CHECK_EQ(requests_written, 1);
	CHECK_EQ(open_domid, 0);

	/* Ready but never working: gives up at the deadline, not before. */
	reset();
	presence = "1 0 ready 1.1";
	refuse_opens = 100;
	CHECK_EQ(xent_open(&x, fake_now, fake_now + 3 * TM_S), -ETIMEDOUT);
	CHECK_EQ(fake_now, 1000 * TM_MS + 3 * TM_S);

	reset();
	presence = "1 0 denied";
	CHECK_EQ(xent_open(&x, fake_now, fake_now + TM_S), -EACCES);
	presence = "2 0 ready 1.1";
	CHECK_EQ(xent_open(&x, fake_now, fake_now + TM_S), -EPROTONOSUPPORT);
	{
		static const char *const bad[] = { "", "1", "1 0", "1  0 idle",
			"x 0 idle", "1 0x0 idle", "1 32752 idle", "1 -1 idle",
			"1 0 idle 1.1 extra", "1 0 idle ", "1 0 averyveryverylongstate",
			"01 0 idle" };

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			presence = bad[i];
			if (xent_open(&x, fake_now, fake_now + TM_S) != -EPROTO)
				fprintf(stderr, "presence '%s' not refused\n",
					bad[i]);
			CHECK_EQ(xent_open(&x, fake_now, fake_now + TM_S),
				 -EPROTO);
		}
	}
	CHECK_EQ(opens, 0);
}

static void
test_read(void)
{
	static struct xent x;
	static uint8_t buf[70000];
	size_t got;

	/* One request, answered in full. */
	reset();
	queue(XENTROPY_OK, 0, 4096);
	CHECK_EQ(xent_read(&x, buf, 4096, fake_now + TM_S, &got), 0);
	CHECK_EQ(got, 4096);
	CHECK_EQ(buf[4095], 0xab);
	CHECK_EQ(x.requests, 1);

	/* More than one request may ask for: two requests. */
	reset();
	x.requests = 0;
	queue(XENTROPY_OK, 0, XENTROPY_MAX_REQUEST);
	queue(XENTROPY_OK, 0, 70000 - XENTROPY_MAX_REQUEST);
	CHECK_EQ(xent_read(&x, buf, 70000, fake_now + TM_S, &got), 0);
	CHECK_EQ(got, 70000);
	CHECK_EQ(x.requests, 2);

	/* Short, then rate-limited: the limits are waited out. */
	reset();
	queue(XENTROPY_OK, 100, 1000);
	queue(XENTROPY_RATE_LIMITED, 200, 0);
	queue(XENTROPY_OK, 0, 3096);
	CHECK_EQ(xent_read(&x, buf, 4096, fake_now + TM_S, &got), 0);
	CHECK_EQ(got, 4096);
	CHECK_EQ(fake_now, 1000 * TM_MS + 300 * TM_MS);

	/* A limit beyond the deadline is -EAGAIN, with what came. */
	reset();
	queue(XENTROPY_OK, 5000, 1000);
	CHECK_EQ(xent_read(&x, buf, 4096, fake_now + TM_S, &got), -EAGAIN);
	CHECK_EQ(got, 1000);

	/* Hostile answers: more than asked, data with an error, a bad type. */
	reset();
	queue(XENTROPY_OK, 0, 4097);
	CHECK_EQ(xent_read(&x, buf, 4096, fake_now + TM_S, &got), -EPROTO);
	CHECK_EQ(got, 0);
	reset();
	queue(XENTROPY_RATE_LIMITED, 10, 16);
	CHECK_EQ(xent_read(&x, buf, 4096, fake_now + TM_S, &got), -EPROTO);
	reset();
	answer_len = xentropy_encode_header(answer, XENTROPY_MAGIC,
					    XENTROPY_VERSION, XENTROPY_T_REQUEST,
					    XENTROPY_RESP_FIXED);
	answer_len += XENTROPY_RESP_FIXED;
	CHECK_EQ(xent_read(&x, buf, 4096, fake_now + TM_S, &got), -EPROTO);
	reset();
	queue(XENTROPY_BAD_REQUEST, 0, 0);
	CHECK_EQ(xent_read(&x, buf, 4096, fake_now + TM_S, &got), -EPROTO);

	/* OK with no data, at once, forever: stops at the deadline. */
	reset();
	silent_zero = 1;
	CHECK_EQ(xent_read(&x, buf, 16, fake_now + TM_S, &got), -ETIMEDOUT);
	CHECK_EQ(got, 0);
	CHECK_EQ(reqs_seen, 1000);
}

int
main(void)
{
	test_open();
	test_read();
	return CHECK_DONE();
}
