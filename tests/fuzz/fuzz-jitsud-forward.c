/*
 * libFuzzer target: jitsud's forwarding state machine (jitsud/forward.h)
 * against hostile resolvers. The input holds queries and what comes back:
 * responses (with the attempt's ID patched in or not, from the resolver
 * asked or another), timeouts and socket failures, in any order.
 * Checked: the table never holds more than its bound; every attempt goes
 * to a configured resolver with the ID just drawn; every reply carries
 * its client's ID and QR, and fits a UDP client's size; and once time
 * runs out every query has had its reply, SERVFAIL at worst.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "answer.h"
#include "forward.h"
#include "fuzz.h"

#define MAX 4

static uint16_t last_id;
static struct sockaddr_storage res[2];
static uint8_t msg[JD_MSG_MAX];

static uint16_t
rnd(void *arg)
{
	struct fuzz_in *in = arg;

	last_id = (uint16_t)(fuzz_u8(in) << 8 | fuzz_u8(in));
	return last_id;
}

struct client {
	bool live, tcp;
	uint16_t id;
	size_t limit;
	uint16_t att_id;	/* the current attempt's */
	unsigned int resolver;
};

static struct client clients[MAX];

static void
seen(struct fwd *f, const struct fwd_event *ev)
{
	struct client *c;

	if (ev->action == FWD_NONE)
		return;
	FUZZ_CHECK(ev->slot >= 0 && ev->slot < MAX);
	c = &clients[ev->slot];
	FUZZ_CHECK(c->live);
	if (ev->action == FWD_SEND) {
		FUZZ_CHECK(ev->resolver < 2);
		FUZZ_CHECK(ev->len >= 12);
		FUZZ_CHECK((ev->msg[0] << 8 | ev->msg[1]) == last_id);
		c->att_id = last_id;
		c->resolver = ev->resolver;
		return;
	}
	FUZZ_CHECK(ev->len >= 12);
	FUZZ_CHECK((ev->msg[0] << 8 | ev->msg[1]) == c->id);
	FUZZ_CHECK(ev->msg[2] & 0x80);
	if (!c->tcp)
		FUZZ_CHECK(ev->len <= (c->limit < 512 ? 512 : c->limit));
	c->live = false;
	(void)f;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fwd_limits l = { MAX, 100, 3 };
	struct fwd *f;
	struct fwd_event ev;
	uint64_t now = 0;
	unsigned int nres = 1 + (fuzz_u8(&in) & 1);

	for (int i = 0; i < 2; i++) {
		struct sockaddr_in *a = (struct sockaddr_in *)&res[i];

		memset(&res[i], 0, sizeof(res[i]));
		a->sin_family = AF_INET;
		a->sin_port = htons(53);
		a->sin_addr.s_addr = htonl(0xc0000201 + i);
	}
	memset(clients, 0, sizeof(clients));
	f = fwd_new(&l, res, nres, rnd, &in);
	FUZZ_CHECK(f != NULL);
	while (in.left > 0) {
		uint8_t op = fuzz_u8(&in);
		int slot = (op >> 3) % MAX;
		size_t len;
		const uint8_t *p;

		switch (op & 7) {
		case 0: {	/* a query */
			bool tcp = op & 0x80;
			size_t limit = op & 0x40 ? 512 : 1232;

			p = fuzz_bytes(&in, fuzz_u8(&in), &len);
			memcpy(msg, p, len);
			if (fwd_start(f, msg, len, tcp, limit, now, &ev) == 0) {
				FUZZ_CHECK(!clients[ev.slot].live);
				clients[ev.slot] = (struct client){ true, tcp,
				    (uint16_t)(msg[0] << 8 | msg[1]), limit,
				    0, 0 };
				seen(f, &ev);
			}
			break;
		}
		case 1:	/* a response, maybe with the right ID */
		case 2: {
			struct sockaddr_storage *from =
			    &res[(op >> 5) & 1];

			len = (size_t)fuzz_u8(&in) << 4;
			p = fuzz_bytes(&in, len, &len);
			memcpy(msg, p, len);
			if ((op & 7) == 2 && len >= 2) {
				msg[0] = (uint8_t)(clients[slot].att_id >> 8);
				msg[1] = (uint8_t)clients[slot].att_id;
				from = &res[clients[slot].resolver];
			}
			fwd_response(f, slot, op & 0x80 ? NULL :
			    (struct sockaddr *)from, sizeof(struct sockaddr_in),
			    msg, len, now, &ev);
			seen(f, &ev);
			break;
		}
		case 3:
			fwd_failed(f, slot, now, &ev);
			seen(f, &ev);
			break;
		default:
			now += fuzz_u8(&in);
			for (fwd_expire(f, now, &ev); ev.action != FWD_NONE;
			    fwd_expire(f, now, &ev))
				seen(f, &ev);
			break;
		}
		FUZZ_CHECK(fwd_pending(f) <= MAX);
	}
	/* Time runs out: every query ends, within its tries. */
	for (int round = 0; round < 4 && fwd_pending(f); round++) {
		now += 1000;
		for (fwd_expire(f, now, &ev); ev.action != FWD_NONE;
		    fwd_expire(f, now, &ev))
			seen(f, &ev);
	}
	FUZZ_CHECK(fwd_pending(f) == 0);
	for (int i = 0; i < MAX; i++)
		FUZZ_CHECK(!clients[i].live);
	fwd_free(f);
	return 0;
}
