/*
 * xentropy-hostile: a lab guest program that speaks the xentropy protocol
 * badly, to show that xentropyd copes (tests/xenlab/cases/xentropyd-*).
 *
 *   xentropy-hostile [-t TIMEOUT-SECONDS] MODE...
 *
 * Modes where the daemon must close the channel (exit 0 once it did):
 *   badmagic   16 bytes of garbage
 *   oversize   a header announcing a 4 GiB body
 *   partial    half a header, then silence
 *   flood      requests without ever reading the answers
 * Modes where the daemon must answer with an error and keep the channel
 * (exit 0 when the error came and a proper request is served after it):
 *   badversion a version-9 frame
 *   toolarge   a request for 1 MiB
 *   badtype    a response sent to the daemon
 * Exit 1: the daemon did not behave as documented; 2: usage; 4: no daemon.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>
#include <xenstore.h>

#include "xentropy.h"
#include "gvchan.h"
#include "xentropy_proto.h"

static int
expect_close(struct xentropy *v, int ms)
{
	int64_t deadline = gvchan_now_ms() + ms;
	char buf[4096];

	for (;;) {
		int left = (int)(deadline - gvchan_now_ms());
		ssize_t r;

		if (left <= 0) {
			fprintf(stderr, "xentropy-hostile: channel still open "
			    "after %d ms\n", ms);
			return 1;
		}
		r = xentropy_raw_read(v, buf, sizeof(buf), left);
		if (r == -EPIPE) {
			printf("xentropy-hostile: channel closed by the daemon\n");
			return 0;
		}
	}
}

static int
expect_status(struct xentropy *v, uint16_t want, int ms)
{
	uint8_t head[XENTROPY_RESP_HEAD], data[64];
	struct xentropy_resp r;
	int e;

	if ((e = xentropy_raw_read_full(v, head, sizeof(head), ms)) < 0) {
		fprintf(stderr, "xentropy-hostile: no answer: %s\n",
		    strerror(-e));
		return 1;
	}
	if (xentropy_parse_response(head, sizeof(head), sizeof(data), &r) !=
	    XENTROPY_P_FRAME || r.status != want) {
		fprintf(stderr, "xentropy-hostile: answer is %s, not %s\n",
		    xentropy_status_name(r.status), xentropy_status_name(want));
		return 1;
	}
	printf("xentropy-hostile: answered %s\n", xentropy_status_name(want));
	/* The channel still works. */
	xentropy_encode_request(head, 32);
	if (xentropy_raw_write(v, head, XENTROPY_REQ_LEN, ms) < 0 ||
	    xentropy_raw_read_full(v, head, sizeof(head), ms) < 0 ||
	    xentropy_parse_response(head, sizeof(head), 32, &r) !=
	    XENTROPY_P_FRAME || r.status != XENTROPY_OK || r.data_len != 32 ||
	    xentropy_raw_read_full(v, data, 32, ms) < 0) {
		fprintf(stderr, "xentropy-hostile: not served after the "
		    "error\n");
		return 1;
	}
	printf("xentropy-hostile: served 32 bytes after the error\n");
	return 0;
}

static int
run(const char *mode, int ms)
{
	struct xentropy *x, *v;
	uint8_t b[256];
	int r, rc;

	r = xentropy_open(ms, &x);
	if (r == -ENOENT) {
		fprintf(stderr, "xentropy-hostile: no entropy daemon\n");
		return 4;
	}
	if (r < 0) {
		fprintf(stderr, "xentropy-hostile: %s: cannot connect (%s): %s\n",
		    mode, xentropy_step, strerror(-r));
		return 1;
	}
	v = x;
	memset(b, 0, sizeof(b));
	printf("xentropy-hostile: %s\n", mode);
	if (strcmp(mode, "badmagic") == 0) {
		memcpy(b, "GET / HTTP/1.0\r\n", 16);
		rc = xentropy_raw_write(v, b, 16, ms) < 0 || expect_close(v, ms);
	} else if (strcmp(mode, "oversize") == 0) {
		xentropy_encode_header(b, XENTROPY_MAGIC, 1, XENTROPY_T_REQUEST,
		    0xffffffffu);
		rc = xentropy_raw_write(v, b, XENTROPY_HDR_LEN, ms) < 0 ||
		    expect_close(v, ms);
	} else if (strcmp(mode, "partial") == 0) {
		xentropy_encode_request(b, 32);
		rc = xentropy_raw_write(v, b, 6, ms) < 0 || expect_close(v, ms);
	} else if (strcmp(mode, "flood") == 0) {
		/* Fill both rings: answers pile up, requests wait. */
		int n = 0;

		for (;;) {
			xentropy_encode_request(b, XENTROPY_MAX_REQUEST);
			if (xentropy_raw_write(v, b, XENTROPY_REQ_LEN, 2000) < 0)
				break;
			n++;
		}
		printf("xentropy-hostile: %d requests sent unread\n", n);
		rc = expect_close(v, ms);
	} else if (strcmp(mode, "badversion") == 0) {
		xentropy_encode_header(b, XENTROPY_MAGIC, 9, XENTROPY_T_REQUEST,
		    8);
		rc = xentropy_raw_write(v, b, XENTROPY_HDR_LEN + 8, ms) < 0 ||
		    expect_status(v, XENTROPY_BAD_VERSION, ms);
	} else if (strcmp(mode, "toolarge") == 0) {
		xentropy_encode_request(b, 1 << 20);
		rc = xentropy_raw_write(v, b, XENTROPY_REQ_LEN, ms) < 0 ||
		    expect_status(v, XENTROPY_TOO_LARGE, ms);
	} else if (strcmp(mode, "badtype") == 0) {
		xentropy_encode_response(b, 0, 0, 0);
		rc = xentropy_raw_write(v, b, XENTROPY_RESP_HEAD, ms) < 0 ||
		    expect_status(v, XENTROPY_BAD_REQUEST, ms);
	} else {
		fprintf(stderr, "xentropy-hostile: unknown mode '%s'\n", mode);
		rc = 2;
	}
	xentropy_close(x);
	if (rc == 1)
		fprintf(stderr, "xentropy-hostile: %s: the daemon did not behave "
		    "as documented\n", mode);
	return rc;
}

/* The presence key's value, or "" when absent. */
static void
presence(char *buf, size_t len)
{
	struct xs_handle *xs = xs_open(0);
	char *id, *v = NULL, path[96];
	unsigned int n;

	buf[0] = '\0';
	if (xs == NULL)
		return;
	if ((id = xs_read(xs, XBT_NULL, "domid", &n)) != NULL) {
		snprintf(path, sizeof(path), "/local/domain/%s/data/xentropy/"
		    "server", id);
		free(id);
		v = xs_read(xs, XBT_NULL, path, &n);
	}
	if (v)
		snprintf(buf, len, "%s", v);
	free(v);
	xs_close(xs);
}

/*
 * Waits (10 s at most) until the daemon has seen us go and replaced the
 * channel we used, so that the next mode does not race its teardown.
 */
static void
await_new_channel(const char *old)
{
	int64_t deadline = gvchan_now_ms() + 10000;
	char now[128];
	struct timespec ts = { 0, 20 * 1000000 };

	do {
		presence(now, sizeof(now));
		if (strcmp(now, old) != 0)
			return;
		nanosleep(&ts, NULL);
	} while (gvchan_now_ms() < deadline);
}

int
main(int argc, char **argv)
{
	int ms = 20000, i = 1, rc = 0, r;

	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		ms = atoi(argv[2]) * 1000;
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: xentropy-hostile [-t SECONDS] MODE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		char used[128];

		fflush(stdout);
		presence(used, sizeof(used));
		r = run(argv[i], ms);
		await_new_channel(used);
		if (r != 0) {
			rc = r;
			break;
		}
	}
	if (rc == 0)
		fprintf(stderr, "xentropy-hostile: all modes behaved\n");
	return rc;
}
