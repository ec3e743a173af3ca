/*
 * The stack's pure pieces: the HTTP responder (the page, 404, 405, 400
 * for anything malformed or incomplete, HEAD) and SipHash-2-4 against
 * the reference vectors.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "unikernel/net/http.h"
#include "unikernel/net/siphash.h"

static char resp[2048];

static const char *
ask(const char *req, int done)
{
	struct http_page pg = { "uk-httpd", 12345678901ull };
	size_t n = http_respond((const uint8_t *)req, strlen(req), done, &pg,
				(uint8_t *)resp, sizeof(resp) - 1);

	resp[n] = '\0';
	return resp;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Content-Length matches the body that follows the head. */
static void
check_length(const char *r, int head)
{
	const char *cl = strstr(r, "\r\nContent-Length: ");
	const char *body = strstr(r, "\r\n\r\n");

	CHECK(cl && body);
	if (!cl || !body)
		return;
	CHECK_EQ(strlen(body + 4), head ? 0 : strtoul(cl + 18, NULL, 10));
	CHECK(strstr(r, "\r\nConnection: close\r\n") != NULL);
}

static void
test_page(void)
{
	const char *r = ask("GET / HTTP/1.0\r\n\r\n", 0);

	CHECK(starts(r, "HTTP/1.1 200 OK\r\n"));
	CHECK(strstr(r, "Content-Type: text/html") != NULL);
	CHECK(strstr(r, "<title>uk-httpd</title>") != NULL);
	CHECK(strstr(r, "<h1>uk-httpd</h1>") != NULL);
	CHECK(strstr(r, "up for 12.345 s.") != NULL);
	check_length(r, 0);

	r = ask("GET /index.html HTTP/1.1\r\nHost: 10.0.0.2\r\n"
		"User-Agent: curl/8\r\nAccept: */*\r\n\r\n", 0);
	CHECK(starts(r, "HTTP/1.1 200 OK\r\n"));
	r = ask("GET /?x=1 HTTP/1.1\r\nhOsT: a\r\n\r\n", 0);	/* any case */
	CHECK(starts(r, "HTTP/1.1 200 OK\r\n"));
	r = ask("GET / HTTP/1.0\n\n", 0);			/* bare LF */
	CHECK(starts(r, "HTTP/1.1 200 OK\r\n"));

	/* HEAD: the same head, no body */
	r = ask("HEAD / HTTP/1.0\r\n\r\n", 0);
	CHECK(starts(r, "HTTP/1.1 200 OK\r\n"));
	check_length(r, 1);
	CHECK(strstr(r, "Content-Length: 0\r\n") == NULL);

	/* the uptime's milliseconds keep their zeros */
	{
		struct http_page pg = { "x", 7005000000ull };
		char out[512];
		size_t n = http_respond((const uint8_t *)"GET / HTTP/1.0\r\n\r\n",
					18, 0, &pg, (uint8_t *)out,
					sizeof(out) - 1);

		out[n] = '\0';
		CHECK(strstr(out, "up for 7.005 s.") != NULL);
	}
}

static void
test_errors(void)
{
	static const char *const bad[] = {
		"\r\n\r\n",
		"GET\r\n\r\n",
		"GET /\r\n\r\n",
		"GET  / HTTP/1.0\r\n\r\n",
		"GET / HTTP/1.0 \r\n\r\n",
		"GET / HTTP/2.0\r\n\r\n",
		"GET / HTTP/1.10\r\n\r\n",
		"GET / http/1.0\r\n\r\n",
		"GET index.html HTTP/1.0\r\n\r\n",
		"G(T / HTTP/1.0\r\n\r\n",
		"GET /a\x01 HTTP/1.0\r\n\r\n",
		"GET / HTTP/1.0\r\nNoColon\r\n\r\n",
		"GET / HTTP/1.0\r\nHost : a\r\n\r\n",
		"GET / HTTP/1.0\r\n: empty\r\n\r\n",
		"GET / HTTP/1.0\r\nX: a\x01z\r\n\r\n",
		"GET / HTTP/1.1\r\n\r\n",		/* 1.1 without Host */
		"\x16\x03\x01\x02\x05\x01\xfc\x03\x03\n\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *r = ask(bad[i], 0);

		if (!starts(r, "HTTP/1.1 400 Bad Request\r\n"))
			fprintf(stderr, "request %zu: %.20s\n", i, r);
		CHECK(starts(r, "HTTP/1.1 400 Bad Request\r\n"));
		check_length(r, 0);
	}
	CHECK(starts(ask("GET /nope HTTP/1.0\r\n\r\n", 0),
		     "HTTP/1.1 404 Not Found\r\n"));
	check_length(resp, 0);
	CHECK(starts(ask("GET /index.htm HTTP/1.0\r\n\r\n", 0),
		     "HTTP/1.1 404 Not Found\r\n"));
	CHECK(starts(ask("POST / HTTP/1.0\r\nContent-Length: 1\r\n\r\nx", 0),
		     "HTTP/1.1 405 Method Not Allowed\r\n"));
	CHECK(strstr(resp, "\r\nAllow: GET, HEAD\r\n") != NULL);
	check_length(resp, 0);
}

/* Incomplete: wait while more may come, 400 when none will. */
static void
test_incomplete(void)
{
	CHECK_STR(ask("GET / HTTP/1.0\r\n", 0), "");
	CHECK_STR(ask("GET / HTTP/1.0\r\nHost: a\r\n\r", 0), "");
	CHECK_STR(ask("", 0), "");
	CHECK(starts(ask("GET / HTTP/1.0\r\n", 1), "HTTP/1.1 400 "));
	CHECK(starts(ask("", 1), "HTTP/1.1 400 "));
	/* a complete head answers even with bytes after it */
	CHECK(starts(ask("GET / HTTP/1.0\r\n\r\nGET /x HTTP/1.0\r\n", 0),
		     "HTTP/1.1 200 OK"));
}

static void
test_escape_and_room(void)
{
	struct http_page pg = { "<b>&\"", 0 };
	char out[1024];
	uint8_t small[40];
	size_t n;

	n = http_respond((const uint8_t *)"GET / HTTP/1.0\r\n\r\n", 18, 0, &pg,
			 (uint8_t *)out, sizeof(out) - 1);
	out[n] = '\0';
	CHECK(strstr(out, "<h1>&lt;b&gt;&amp;&quot;</h1>") != NULL);
	CHECK(strstr(out, "<b>") == NULL);

	/* a response larger than the room is cut, never overrun */
	memset(small, 0xaa, sizeof(small));
	n = http_respond((const uint8_t *)"GET / HTTP/1.0\r\n\r\n", 18, 0, &pg,
			 small, 32);
	CHECK_EQ(n, 32);
	for (size_t i = 32; i < sizeof(small); i++)
		CHECK_EQ(small[i], 0xaa);
}

/* The reference vectors (the SipHash paper, appendix A; vectors.h). */
static void
test_siphash(void)
{
	uint64_t key[2] = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };
	uint8_t m[64];

	for (int i = 0; i < 64; i++)
		m[i] = (uint8_t)i;
	CHECK(siphash24(key, m, 0) == 0x726fdb47dd0e0e31ull);
	CHECK(siphash24(key, m, 15) == 0xa129ca6149be45e5ull);
	CHECK(siphash24(key, m, 8) == 0x93f5f5799a932462ull);
}

int
main(void)
{
	test_page();
	test_errors();
	test_incomplete();
	test_escape_and_room();
	test_siphash();
	return CHECK_DONE();
}
